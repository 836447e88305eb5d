"""Text as numpy arrays of code points, and tables indexed by code point.

Counting per character without a Python loop: a text becomes its code points
(:func:`code_points`), which index a table made once a process (:func:`marked`,
from patterns run over :func:`every_code_point`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

CODE_POINTS = 0x110000


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates too), as a numpy array.

    >>> code_points("中a").tolist()
    [20013, 97]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def every_code_point() -> str:
    """Every code point in order, lone surrogates included: what tables by code point are made from.

    Made anew for each table (~3 ms): kept, it would hold 4.4 MB for the life of the process for tables
    made once."""
    return np.arange(CODE_POINTS, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def marked(bits: Iterable[tuple[int, re.Pattern[str]]]) -> np.ndarray:
    """A byte per code point with each ``bit`` set where its pattern matches that code point (patterns are run over
    :func:`every_code_point`, so they should match runs: ``[...]+``)."""
    every = every_code_point()
    table = np.zeros(CODE_POINTS, dtype=np.uint8)
    for bit, pattern in bits:
        for match in pattern.finditer(every):
            table[match.start():match.end()] |= bit
    return table
