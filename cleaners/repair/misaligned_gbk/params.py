"""The repair's tuning, in one frozen object (like ftfy's ``TextFixerConfig``).

Scores are natural-log probabilities of the character model plus the bonuses and costs
below; every module reads ``PARAMS`` (imported as ``P``). The values were tuned on the
samples and the round-trip tests (tests/test_mojibake_*.py): change one and run them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RepairParams:
    # The beam search
    beam: int = 60  # hypotheses kept after each byte
    char_bonus: float = 3.0  # added per output character, so hypotheses of different length compare
    fourgram_bonus: float = 4.0  # the page holds the same four characters elsewhere
    lead_prior: float = 0.5  # weight of the page's own P(character | trail byte) for a swallowed lead byte
    unlisted_cost: float = 2.0  # a trigger character the page never shows annotated
    pinned_unlisted_cost: float = 4.0  # an annotated character the page never shows annotated

    # Spans and their endings
    max_closings: int = 3  # ``?`` closings tried per span, nearest first
    span_lookback: int = 80  # characters before a span its repair reads (quote_score's window)
    accept_margin: float = 2.0  # how much better than the damaged text a T2 repair must read
    lost_cost: float = 5.0  # a closing ``?`` that swallowed a real ASCII character is the rarer case

    # Dropped user-defined pairs (gap chains)
    gap_cost: float = 3.5  # a dropped user-defined pair costs this much
    max_gaps: int = 2  # consecutive dropped pairs at one place
    gap_worth: float = -6.0  # a character this likely in context is not looked behind for dropped pairs
    gap_seeds: int = 3  # hypotheses a gap chain may start from
    gap_bases: int = 8  # partial chains kept at each depth
    gap_keep: int = 8  # completed chains kept per base
    common: int = 2500  # characters that may stand between two dropped pairs
    closing_common: int = 400  # characters tried where a closing ``?`` swallowed a dropped pair's neighbour

    # Candidate ranking
    interior_head: int = 64  # the first entries of an interior ranking worked out at once (the search rarely reads more)
    rank_margin: float = 1e-9  # relative: far above the rounding of a probability and of its logarithm

    # Confidence: is a slot's reading written, or lost (U+FFFD)?
    confident: float = 0.5  # a guess is written only if no other reads within this much
    structure_margin: float = 3.0  # ... or, for a reading with other characters hidden by dropped pairs, this much
    # ... or, for a reading that neither the page nor the word list bears out, this much: the
    # round trip's wrong readings that won over a reading with dropped pairs led by up to 5.46
    unattested_structure_margin: float = 6.0
    witness: int = 3  # characters either side of a hidden one that an intact copy on the page must share
    rival_beam: int = 8  # hypotheses kept while the rest of a rival reading is rescored
    rival_interiors: int = 40  # characters tried between two dropped pairs when looking for rivals

    # Punctuation and quotation marks
    quote_cost: float = 2.0  # per quotation mark a candidate leaves unbalanced
    short_quote: int = 8  # a quotation this short is a term, not a sentence ...
    short_quote_cost: float = 3.0  # ... so a sentence end inside it costs this much
    odd_punctuation_cost: float = 3.0  # a sentence end, a closing quote, then a list comma (``。”、``)


PARAMS = RepairParams()
