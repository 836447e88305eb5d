import numpy as np

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
