"""Units built side by side in worker processes, each with a builder of its own.

Workers ignore Ctrl-C (the parent handles it), speak the build's language, and end when their
parent is gone (killed outright, it cannot tell them).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.util import Finalize

from zpgen.builder.units import Options, UnitBuilder, UnitResult
from zpgen.i18n import set_language
from zpgen.load.sources import UnitSource

__all__ = ["pooled"]


def pooled(
    builder: UnitBuilder,
    options: Options,
    sources: list[UnitSource],
    waiting: list[UnitSource],
    jobs: int,
) -> Iterator[UnitResult]:
    """``waiting`` built in a pool, the other units here; the results in ``sources`` order."""
    in_pool = {source.folder for source in waiting}
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(options,)) as pool:
        try:
            built = pool.map(_run_in_worker, waiting)  # a unit at a time: listed as it is done
            for source in sources:
                yield next(built) if source.folder in in_pool else builder.run(source)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


_worker: UnitBuilder | None = None


def _start_worker(options: Options) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_language(options.language)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()
    _worker = UnitBuilder.start(options)
    Finalize(None, _worker.close, exitpriority=10)  # when the pool ends the worker


def _end_with_parent(parent: int) -> None:
    """End this worker when the build that started it is gone (killed outright, it cannot say
    so): an orphan would wait for work forever. A LibreOffice it started is ended first."""
    while os.getppid() == parent:
        time.sleep(0.5)
    from zpgen.write.libreoffice import end_all

    end_all()
    if _worker is not None:
        _worker.close()
    os._exit(1)


def _run_in_worker(source: UnitSource) -> UnitResult:
    assert _worker is not None, "the pool's initializer makes the builder"
    return _worker.run(source)
