"""Builder: load → model → figures → checks → render for each unit, then write what changed.

``planner`` plans a unit (every problem, and the documents of the good projects), ``run`` builds
and writes (``writer``) in one process or a pool of them (``pool``), and ``bookkeeping`` records
what each report was made from, so that a rebuild writes only what changed.
"""

from zpgen.builder.run import BuildReport, build

__all__ = ["BuildReport", "build"]
