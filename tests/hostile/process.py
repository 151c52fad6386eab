"""How a hostile case runs zpgen: a process of its own under a memory limit, as ``python -m zpgen``
would run, but forked from a server that imported zpgen once, because a fresh interpreter spends
most of a case's time importing.

Each case's process starts from multiprocessing's fork server, which has imported the modules
the commands use (``PRELOAD``) and done nothing else. In the case's process the memory limit is
set, the locale's variables are removed (messages in Chinese), stdout and stderr go to files, and
zpgen's entry point ``zpgen.cli.main`` runs with the case's arguments; the process exits with its
exit code, and an unexpected exception prints its traceback, as Python does.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from pathlib import Path

import zpgen.cli

from ..conftest import LOCALE_VARIABLES

# What the commands import as they run, imported by the fork server before it forks (a module
# that is not there is left out: the case's process imports what it needs in any case); and the
# main module of the tests' process (pytest's script), which a process would import otherwise.
PRELOAD = [
    "__main__",
    __name__,
    "zpgen.builder.run",
    "zpgen.commands.totext",
    "zpgen.commands.schema",
]
KILLED = -1
# Reading a process's exit code is not safe from two threads at once, and starting a process
# reads the exit codes of the others: both happen under this lock.
_processes = threading.Lock()


def _server() -> multiprocessing.context.ForkServerContext:
    """The fork server (POSIX only), started on first use with ``PRELOAD`` imported."""
    context: multiprocessing.context.ForkServerContext = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_case_command(
    args: tuple[str, ...], *, cwd: Path, memory: int, timeout: float, said: Path
) -> tuple[str, int]:
    """What zpgen printed (stdout, then stderr) and its exit code; a process still running
    after ``timeout`` seconds is killed (exit code ``KILLED``). ``said`` names the files (it
    and a sibling) that take the output: keep them outside what the case watches. Safe to call
    from several threads at once."""
    out, err = said.with_suffix(".stdout"), said.with_suffix(".stderr")
    with _processes:
        process = _server().Process(target=_command, args=(args, cwd, memory, out, err))
        process.start()
    code = _ended(process, timeout)
    if code is None:
        process.kill()
        _ended(process, None)
        return "(still running: killed)", KILLED
    return out.read_text("utf-8") + err.read_text("utf-8"), code


def _ended(process: BaseProcess, timeout: float | None) -> int | None:
    """The process's exit code once it has ended, or None if it runs ``timeout`` seconds on."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _processes:
            code = process.exitcode
        if code is not None:
            return code
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        multiprocessing.connection.wait([process.sentinel], left)


def _command(args: tuple[str, ...], cwd: Path, memory: int, out: Path, err: Path) -> None:
    """In the case's process: zpgen, as ``python -m zpgen`` with ``PYTHONIOENCODING=utf-8``."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    for variable in LOCALE_VARIABLES:
        os.environ.pop(variable, None)
    os.chdir(cwd)
    for stream, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, stream)
        os.close(opened)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.argv = ["zpgen", *args]
    zpgen.cli.main()
