from collections.abc import Sequence

def configure(char_bonus: float, fourgram_bonus: float, odd_punctuation_cost: float, /) -> None: ...
def follower_scores(
    base: float,
    history: str,
    chars: Sequence[str],
    cache: dict[str, float],
    fourgrams: set[str] | frozenset[str],
    extra: float,
    /,
) -> list[float] | None: ...
