from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

def configure(char_bonus: float, fourgram_bonus: float, odd_punctuation_cost: float, /) -> None: ...
def configure_quotes(quote_cost: float, short_quote: int, short_quote_cost: float, /) -> None: ...
def finish_scored(
    hyps: Sequence[Any], left: str, right: str, full_right: str, model: Any, quote_before: str, quote_after: str, /
) -> list[tuple[float, Any]] | None: ...
def with_lead_priors(hyps: Sequence[Any], weights: dict[str, float], weight_of: Callable[[str], float], /) -> list[Any]: ...
def finishable(hyps: Sequence[Any], dictionary: dict[str, str], pinned: bool, /) -> list[Any]: ...
def closing_rivals(
    made: Sequence[Any],
    hyps: Sequence[Any],
    k: int,
    reading: tuple[str, ...],
    left: str,
    model: Any,
    chars_after: Callable[[int], tuple[str, ...]],
    beam: int,
    /,
) -> list[Any] | None: ...
def kept_by_length(hyps: Sequence[Any], k: int, beam: int, end: bool, /) -> list[Any] | None: ...
def replayed(
    hyps: Sequence[Any], reading: tuple[str, ...], levels: tuple[Any, ...], left: str, model: Any, gap_cost: float, /
) -> list[Any]: ...
def configure_hypothesis(cls: type, /) -> None: ...
def follower_scores(
    base: float,
    history: str,
    chars: Sequence[str],
    cache: dict[str, float],
    fourgrams: set[str] | frozenset[str],
    extra: float,
    /,
) -> list[float] | None: ...
def emit(
    h: Any, char: str, guessed: Any, left: str, model: Any, extra: float, pending: int | None, pending_guessed: bool, /
) -> Any: ...
def push(hyps: Sequence[Any], byte: int, guessed: bool, left: str, model: Any, chars: list[str | None], /) -> list[Any]: ...
def rank_head(
    values: np.ndarray,
    special: dict[int, float],
    keys: tuple[int, ...],
    chars: tuple[str, ...],
    want: int,
    margin: float,
    /,
) -> list[tuple[float, int, str]] | None: ...
def best_chains(
    bases: Sequence[tuple[Any, tuple[int, ...]]],
    lead: int | None,
    left: str,
    model: Any,
    chain_ends: Callable[[str, tuple[int, ...], int | None, Any], Sequence[str]],
    keep: int,
    guessed: Any,
    /,
) -> list[Any]: ...
def interior_heads(
    bases: Sequence[tuple[Any, tuple[int, ...]]],
    model: Any,
    ranking_of: Callable[[str, tuple[int, ...], Any], Any],
    keep: int,
    /,
) -> list[tuple[float, int, int, str]]: ...
def gap_seeds(
    hyps: Sequence[Any],
    left: str,
    model: Any,
    candidates_of: Callable[[int], tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]],
    keep: int,
    extra: float,
    /,
) -> list[tuple[Any, tuple[int, ...]]]: ...
def ended_pruned(hyps: Sequence[Any], width: int, /) -> list[Any] | None: ...
