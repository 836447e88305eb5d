from collections.abc import Sequence
from typing import Any

import numpy as np

def configure(
    ascii_logp: float,
    paired: float,
    other_pair: float,
    doc_prior: float,
    floor: float,
    punctuation_share: dict[str, float],
    punctuation_pairs: frozenset[str],
    /,
) -> None: ...
def fourgrams(text: str, /) -> set[str]: ...
def logps(model: Any, prev: str, chars: Sequence[str], /) -> list[float]: ...

def probability_row(
    out: np.ndarray,
    start: np.ndarray,
    share: np.ndarray,
    script: np.ndarray,
    simples: list[str],
    chars: tuple[str, ...],
    bg_counts: dict[str, int] | None,
    ending: float,
    inside: int,
    doc_counts: dict[str, int] | None,
    n: int,
    /,
) -> None: ...
