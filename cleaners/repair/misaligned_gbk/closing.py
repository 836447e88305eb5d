"""The last character of a run a ``?`` closed: its trail byte is lost, or named by an annotation."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from cleaners.repair.annotation import (
    chars_read_as,
)
from cleaners.repair.charlm import CharModel
from cleaners.repair.gbk import (
    chars_after,
)
from cleaners.repair.misaligned_gbk.gaps import gap_chains, may_drop_pairs, named_after_gap
from cleaners.repair.misaligned_gbk.hypothesis import Ending, Hypothesis
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.scoring import (
    emit,
    emit_each,
    follower_scores,
)


def close(hyps, ending: Ending, dictionary, left: str, model: CharModel, allow_gaps: bool,
          forced: tuple[str, ...] | None = None, limit: int | None = None):
    """The last character of a run closed by ``?``: its trail byte is lost (or named by an annotation).

    ``forced``: the caller keeps only the hypotheses whose closing reads so; the others
    are not made (a single character needs no dropped pair before it). ``limit``: the
    caller keeps ``prune(result, limit)``; that is what is returned, and a character
    after a hypothesis is made into one only if it is kept.
    """
    if limit is not None and ending.trail_reading is None:
        return close_pruned(hyps, left, model, allow_gaps, forced, limit)
    out = []
    if allow_gaps and may_drop_pairs(forced):
        if ending.trail_reading is not None:
            out.extend(named_after_gap(hyps, ending.trail_reading, dictionary, left, model))
        else:
            out.extend(gap_chains(hyps, None, left, model))
    for h in hyps:
        if h.pending is None:
            continue
        if ending.trail_reading is None:
            out.extend(emit_each(h, closing_followers(h.pending, forced), True, left, model))
            continue
        chars = named_after(h.pending, ending.trail_reading, dictionary, model)
        for char in chars:
            if forced is not None and forced != (char,):
                continue
            unlisted = ending.trail_reading is not None and dictionary.get(char) != ending.trail_reading
            out.append(emit(h, char, ending.trail_reading is None or len(chars) > 1, left, model,
                            extra=-P.pinned_unlisted_cost if unlisted else 0.0))
    return out


def closing_followers(lead: int, forced: tuple[str, ...] | None) -> tuple[str, ...]:
    """The characters that may close a run after the lead byte ``lead`` no annotation names: every one
    that can follow it, or the single one the caller forces (none when it cannot follow)."""
    chars = chars_after(lead)
    if forced is not None:
        return forced if len(forced) == 1 and forced[0] in chars else ()
    return chars


def named_after(lead: int, reading: str, dictionary, model: CharModel) -> list[str]:
    """The characters after ``lead`` that an annotation ``(reading)`` names (remembered per page)."""
    key = ("named", lead, reading)
    found = model.memo.get(key)
    if found is None:
        chars = chars_after(lead)
        named = set(chars_read_as(reading, dictionary, chars))
        found = model.memo[key] = [c for c in chars if c in named]
    return found


def close_pruned(hyps, left: str, model: CharModel, allow_gaps: bool, forced, limit: int):
    """``prune(close(...), limit)`` for a closing no annotation names, without making the
    hypotheses that are pruned: the same hypotheses, in the same order (the reference form is
    the oracle of ``tests/test_mojibake_oracles.py``)."""
    made = []  # hypotheses already made (dropped pairs), then scores of the followers
    if allow_gaps and may_drop_pairs(forced):
        made.extend(gap_chains(hyps, None, left, model))
    scores = [h.score for h in made]  # every candidate's score; then what it is: made, or base and character
    bases: list[Hypothesis | None] = [None] * len(made)
    chars_of: list[str | None] = [None] * len(made)
    for h in hyps:
        if h.pending is None:
            continue
        chars = closing_followers(h.pending, forced)
        scores.extend(follower_scores(h, chars, left, model))
        bases.extend(repeat(h, len(chars)))
        chars_of.extend(chars)
    order = range(len(scores))
    if len(scores) > limit:
        # what sorted(range(n), key=lambda n: -scores[n])[:limit] gives: best first, ties in order
        order = np.argsort(-np.array(scores, dtype=np.float64), kind="stable")[:limit].tolist()
    return [made[n] if bases[n] is None else
            Hypothesis(scores[n], None, False, bases[n].out + (chars_of[n],), bases[n].guessed + (True,), bases[n].slots)
            for n in order]


