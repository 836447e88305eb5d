"""Imports at a process's start, with the cyclic garbage collector paused and what they built frozen.

Importing Prefect, FastAPI, SQLAlchemy and pydantic's schemas builds hundreds of thousands of objects,
almost none of them garbage; the cyclic collector, triggered by every 700 allocations, walks them again and
again while they are imported (~13-20 % of the import time). Paused for the imports, then frozen
(``gc.freeze``: moved to a permanent generation), they are walked neither then nor by the full collections
of the run that follows. What the imports left as cyclic garbage (little) is never collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC for the block; freeze what is alive at its end, then restore the GC as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
