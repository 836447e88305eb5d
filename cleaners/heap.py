"""Giving back to the system the memory a library freed after building its tables.

lingua's models are parsed from compressed files on their first use; what the
parse frees (~40 MB for the seven Latin-script languages of
:func:`cleaners.text.language.detector`) stays in the C heap among the models,
where glibc never returns it by itself: it only trims the top of the heap. That
memory would stay resident in each worker for the rest of the run. glibc's
``malloc_trim(0)`` gives back every free page of the heap (~1.6 ms the first
time, ~20 µs when there is nothing to give back). Elsewhere than glibc, nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # the symbols the interpreter is linked with: the C library's
    except (OSError, AttributeError):  # not glibc
        return None


def release_free_heap() -> bool:
    """Return the C heap's free pages to the system; False where the C library cannot (not glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
