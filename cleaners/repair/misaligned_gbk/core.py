"""The compiled core (``_core``, built from ``_core.c`` by ``pip install -e .``), or None.

Each compiled function computes what a Python function of the package computes; that Python
form stays the reference (``tests/test_mojibake_core.py`` compares them call by call over
damaged real text) and runs wherever the extension was not built.
"""

from __future__ import annotations

from types import ModuleType

from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis
from cleaners.repair.misaligned_gbk.params import PARAMS as P


def load() -> ModuleType | None:
    try:
        from cleaners.repair.misaligned_gbk import _core
    except ImportError:
        return None
    _core.configure(P.char_bonus, P.fourgram_bonus, P.odd_punctuation_cost)
    _core.configure_quotes(P.quote_cost, P.short_quote, P.short_quote_cost)
    _core.configure_hypothesis(Hypothesis)  # the class whose objects it makes, through its slots
    return _core


CORE = load()
COMPILED = CORE is not None  # which form runs
