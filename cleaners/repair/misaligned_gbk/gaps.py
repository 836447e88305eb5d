"""Chains of user-defined pairs the decoder dropped: the characters they hid, and the
characters their bytes now make with their neighbours."""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from cleaners.repair.annotation import (
    readings_of,
)
from cleaners.repair.charlm import CharModel
from cleaners.repair.gbk import (
    char_of,
    pair_of,
    tables,
    user_defined_pairs,
)
from cleaners.repair.misaligned_gbk.core import CORE
from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis, prune
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.ranking import (
    chain_ends,
    interior_ranking,
    interior_ranking_of,
)
from cleaners.repair.misaligned_gbk.scoring import (
    emit,
    follower_scores,
)
from cleaners.repair.misaligned_gbk.text import (
    HIDDEN,
)


def may_drop_pairs(forced: tuple[str, ...] | None) -> bool:
    """Dropped pairs are searched before a slot unless the caller forces a single character there
    (a single character needs no dropped pair before it)."""
    return forced is None or len(forced) > 1


def gap_chains(hyps, lead: int | None, left: str, model: CharModel, gate: bool = True):
    """Hypotheses where user-defined pairs the decoder dropped sat before the byte ``lead``.

    One dropped pair (x, y) turns the character (p, lead) into (p, x) (y, lead);
    two turn it into (p, x1) (y1, x2) (y2, lead). The results have consumed ``lead``.
    ``lead`` None is a closing ``?``: the last character's trail is lost too.
    """
    uda = user_defined_pairs()
    out = []
    seeds = [h for h in prune([h for h in hyps if h.pending is not None], P.gap_seeds)
             if not (gate and lead is not None and reads_well(h, lead, left, model))]
    bases = gap_seeds(seeds, left, model)
    for depth in range(P.max_gaps):
        bases = sorted(bases, key=lambda bt: -bt[0].score)[:P.gap_bases if gate or depth == 0 else P.rival_interiors]
        out.extend(best_chains(bases, lead, left, model))  # kept per depth: the longer chains are rivals too
        if depth + 1 == P.max_gaps:
            break
        keep = P.gap_bases if gate else P.rival_interiors
        bases = [(emit(bases[n][0], char, HIDDEN, left, model, extra=-P.gap_cost), uda[x])
                 for _, n, x, char in interior_heads(bases, model, keep)]
    return out


def interior_heads(bases, model: CharModel, keep: int) -> list[tuple[float, int, int, str]]:
    """The ``keep`` best (score, n, x, character) of the characters that can follow each base ``n``
    before one more dropped pair (x its lead), best first (the compiled core's where it is built;
    :func:`interior_heads_py` is its reference)."""
    if CORE is not None:
        return CORE.interior_heads(bases, model, interior_ranking_of, keep)
    return interior_heads_py(bases, model, keep)


def interior_heads_py(bases, model: CharModel, keep: int) -> list[tuple[float, int, int, str]]:
    """:func:`interior_heads` in Python."""
    scored = []
    for n, (base, trails) in enumerate(bases):
        kth = None
        for k, (logp, x, char) in enumerate(interior_ranking(base.out[-1], trails, model)):
            score = base.score + logp
            if k >= keep and score < kth:
                break  # the rest of this base cannot make the overall first ``keep``
            scored.append((score, n, x, char))
            if k == keep - 1:
                kth = score
    scored.sort(reverse=True)
    return scored[:keep]


def gap_seeds(seeds, left: str, model: CharModel, keep: int = P.gap_bases) -> list[tuple[Hypothesis, tuple[int, ...]]]:
    """The first ``keep`` chains of one dropped pair after each seed (its pending lead p and a
    dropped pair's lead x make (p, x)), best first (sorted, stable), each with the trails of its
    pair's lead (the compiled core's where it is built; :func:`gap_seeds_py` is its reference)."""
    if CORE is not None:
        return CORE.gap_seeds(seeds, left, model, seed_candidates, keep, -P.gap_cost)
    return gap_seeds_py(seeds, left, model, keep)


def gap_seeds_py(seeds, left: str, model: CharModel, keep: int = P.gap_bases) -> list[tuple[Hypothesis, tuple[int, ...]]]:
    """:func:`gap_seeds` in Python."""
    uda = user_defined_pairs()
    entries = []  # (score, seed, character, trails): emit(seed, character, True, ..., extra=-P.gap_cost), unmade
    for h in seeds:
        pairs = [(char, trails) for x, trails in uda.items() if (char := char_of(h.pending, x)) is not None]
        chars = [char for char, _ in pairs]
        entries.extend(zip(follower_scores(h, chars, left, model, -P.gap_cost), repeat(h), chars,
                           (t for _, t in pairs)))
    # depth 0 keeps the first ``keep`` in score order (sorted, stable): only those are made
    entries = sorted(entries, key=itemgetter(0), reverse=True)[:keep]
    return [(Hypothesis(score, None, False, h.out + (char,), h.guessed + (True,), h.slots), trails)
            for score, h, char, trails in entries]


@lru_cache(maxsize=256)
def seed_candidates(pending: int) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """The characters (pending, x) for every lead x of a user-defined pair, and that pair's trails."""
    pairs = [(char, trails) for x, trails in user_defined_pairs().items() if (char := char_of(pending, x)) is not None]
    return tuple(char for char, _ in pairs), tuple(trails for _, trails in pairs)


def reads_well(h: Hypothesis, lead: int, left: str, model: CharModel) -> bool:
    """The character the bytes make without a gap reads well here: no dropped pair is sought.

    A dropped pair merges the trail of one character with the lead of a character two
    places on; what that makes is almost never a likely character in context.
    """
    char = char_of(h.pending, lead)
    if char is None:
        return False
    prev = (left + "".join(h.out))[-1:]
    return model.logp(prev, char) > P.gap_worth



def best_chains(bases, lead: int | None, left: str, model: CharModel) -> list[Hypothesis]:
    """``prune([chain for base, trails in bases for chain in close_chain(base, trails, ...)], P.gap_keep)``:
    the same hypotheses in the same order, scored first and made only for the ones kept (the compiled
    core's where it is built; :func:`best_chains_py` is its reference)."""
    if CORE is not None:
        guessed = True if lead is not None else HIDDEN  # as close_chain
        return CORE.best_chains(bases, lead, left, model, chain_ends, P.gap_keep, guessed)
    return best_chains_py(bases, lead, left, model)


def best_chains_py(bases, lead: int | None, left: str, model: CharModel) -> list[Hypothesis]:
    """:func:`best_chains` in Python."""
    entries = []
    for base, trails in bases:
        chars = chain_ends(base.out[-1], trails, lead, model)
        entries.extend(zip(follower_scores(base, chars, left, model), repeat(base), chars))
    if len(entries) > P.gap_keep:
        entries = sorted(entries, key=itemgetter(0), reverse=True)[:P.gap_keep]  # stable, as prune
    guessed = True if lead is not None else HIDDEN  # as close_chain
    return [Hypothesis(score, None, False, base.out + (char,), base.guessed + (guessed,), base.slots)
            for score, base, char in entries]



def named_after_gap(hyps, reading: str, dictionary, left: str, model: CharModel):
    """(p, x) then (y, T): a dropped pair before the character the closing annotation names."""
    uda = user_defined_pairs()
    out = []
    for h in prune([h for h in hyps if h.pending is not None], P.gap_seeds):
        for x, trails in uda.items():
            char = char_of(h.pending, x)
            if char is None:
                continue
            named = [c for c in read_as(reading, dictionary) if pair_of(c)[0] in trails]
            if not named:
                continue
            base = emit(h, char, True, left, model, extra=-P.gap_cost)
            for c in named:
                out.append(emit(base, c, len(named) > 1, left, model))
    return out


def read_as(reading: str, dictionary) -> list[str]:
    """GBK characters read as ``reading``: the page's dictionary first, then pypinyin."""
    named = [c for c, r in dictionary.items() if r == reading and pair_of(c) is not None]
    return named or list(gbk_chars_read_as(reading))


@lru_cache(maxsize=512)
def gbk_chars_read_as(reading: str) -> tuple[str, ...]:
    index = reading_index()
    return index[0].get(reading) or index[1].get(reading, ())


@lru_cache(maxsize=1)
def reading_index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Reading → GBK characters whose default reading it is; reading → those with it among others."""
    default: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for char in tables()[0].values():
        readings = readings_of(char)
        if readings:
            default.setdefault(readings[0], []).append(char)
            for r in readings:
                other.setdefault(r, []).append(char)
    return ({k: tuple(v) for k, v in default.items()}, {k: tuple(v) for k, v in other.items()})


