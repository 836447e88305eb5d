"""How a reading scores: each character in context (the page's character model, its 4-grams,
odd punctuation), the run's borders, its quotation marks, and the damaged text as it stands."""

from __future__ import annotations

from functools import lru_cache, partial
from operator import itemgetter

from cleaners.repair.annotation import (
    strip_annotations,
)
from cleaners.repair.charlm import CharModel
from cleaners.repair.gbk import (
    HALF_TO_FULL,
    char_of,
    flat_table,
    pair_of,
)
from cleaners.repair.misaligned_gbk.core import CORE
from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.text import (
    previous_char,
)


def with_lead_prior(h: Hypothesis, model: CharModel) -> Hypothesis:
    """Weigh a guessed first character by how often the page writes characters with its trail byte."""
    if not h.out:
        return h
    first = h.out[0]
    weight = model.lead_weights.get(first)
    if weight is None:
        weight = lead_weight(model, first)
    return Hypothesis(h.score + weight, h.pending, h.pending_guessed, h.out, h.guessed, h.slots)


def lead_weight(model: CharModel, first: str) -> float:
    """The weight :func:`with_lead_prior` gives a first character ``first`` (kept in ``model.lead_weights``)."""
    weight = model.lead_weights[first] = P.lead_prior * model.trail_prior(first, pair_of(first)[1])
    return weight


def with_lead_priors(hyps, model: CharModel) -> list[Hypothesis]:
    """``[with_lead_prior(h, model) for h in hyps]`` (the compiled core's where it is built;
    :func:`with_lead_priors_py` is its reference)."""
    if CORE is not None:
        return CORE.with_lead_priors(hyps, model.lead_weights, partial(lead_weight, model))
    return with_lead_priors_py(hyps, model)


def with_lead_priors_py(hyps, model: CharModel) -> list[Hypothesis]:
    """:func:`with_lead_priors` in Python."""
    return [with_lead_prior(h, model) for h in hyps]


def emit(h: Hypothesis, char: str, guessed: bool, left: str, model: CharModel, extra: float = 0.0,
         pending: int | None = None, pending_guessed: bool = False) -> Hypothesis:
    """``h`` followed by ``char``, scored in context (the compiled core's where it is built;
    :func:`emit_py` is its reference)."""
    if CORE is not None:
        return CORE.emit(h, char, guessed, left, model, extra, pending, pending_guessed)
    return emit_py(h, char, guessed, left, model, extra, pending, pending_guessed)


def emit_py(h: Hypothesis, char: str, guessed: bool, left: str, model: CharModel, extra: float = 0.0,
            pending: int | None = None, pending_guessed: bool = False) -> Hypothesis:
    """:func:`emit` in Python."""
    history = left + "".join(h.out[-3:])
    prev = history[-1:]
    logp = model.cache.get(prev + char)
    if logp is None:
        logp = model.logp(prev, char)
    # odd_punctuation(history[-2:] + char) and model.seen(history[-3:] + char), inline: the search's hot path
    odd = P.odd_punctuation_cost if (len(history) >= 2 and char in "、，," and history[-1] in "”’"
                                   and history[-2] in "。！？") else 0.0
    score = h.score + logp + P.char_bonus + extra - odd
    if len(history) >= 3 and history[-3:] + char in model.fourgrams:
        score += P.fourgram_bonus
    return Hypothesis(score, pending, pending_guessed, h.out + (char,), h.guessed + (guessed,), h.slots)


def emit_each(h: Hypothesis, chars, guessed: bool, left: str, model: CharModel) -> list[Hypothesis]:
    """``emit(h, char, guessed, left, model)`` for every character of ``chars``: the same
    scores, with the history and the probabilities after it worked out once."""
    flags = h.guessed + (guessed,)
    return [Hypothesis(score, None, False, h.out + (char,), flags, h.slots)
            for score, char in zip(follower_scores(h, chars, left, model), chars, strict=False)]


def follower_scores(h: Hypothesis, chars, left: str, model: CharModel, extra: float = 0.0) -> list[float]:
    """The scores ``emit(h, char, ..., extra=extra)`` gives ``h`` followed by each character of ``chars``
    (the same expression, with the history and the probabilities after it worked out once; checked
    against ``emit`` in ``tests/test_mojibake_oracles.py``). The compiled core's loop where it is
    built (:func:`follower_scores_py` is its reference)."""
    history = left + "".join(h.out[-3:])
    if CORE is not None:
        scores = CORE.follower_scores(h.score, history, chars, model.cache, model.fourgrams, extra)
        if scores is None:  # a probability not worked out yet: model.logps caches them all
            model.logps(history[-1:], chars)
            scores = CORE.follower_scores(h.score, history, chars, model.cache, model.fourgrams, extra)
        return scores
    return follower_scores_py(h, chars, left, model, extra)


def follower_scores_py(h: Hypothesis, chars, left: str, model: CharModel, extra: float = 0.0) -> list[float]:
    """:func:`follower_scores` in Python: the reference of the compiled core's loop."""
    history = left + "".join(h.out[-3:])
    prev = history[-1:]
    odd_context = len(history) >= 2 and history[-1] in "”’" and history[-2] in "。！？"  # odd_punctuation can apply
    context = history[-3:] if len(history) >= 3 else None
    fourgrams, base = model.fourgrams, h.score
    scores = []
    for char, logp in zip(chars, model.logps(prev, chars), strict=False):
        odd = P.odd_punctuation_cost if odd_context and char in "、，," else 0.0
        score = base + logp + P.char_bonus + extra - odd
        if context is not None and context + char in fourgrams:
            score += P.fourgram_bonus
        scores.append(score)
    return scores


def push(hyps, byte: int, guessed: bool, left: str, model: CharModel):
    """Every hypothesis after one more byte: a lead byte waits, a trail byte makes a character
    (the compiled core's where it is built; :func:`push_py` is its reference)."""
    if CORE is not None:
        return CORE.push(hyps, byte, guessed, left, model, flat_table())
    return push_py(hyps, byte, guessed, left, model)


def push_py(hyps, byte: int, guessed: bool, left: str, model: CharModel):
    """:func:`push` in Python."""
    out = []
    for h in hyps:
        if h.pending is None:
            if byte < 0x80:
                out.append(emit_py(h, chr(byte), False, left, model))
            else:
                out.append(Hypothesis(h.score, byte, guessed, h.out, h.guessed, h.slots))
            continue
        char = char_of(h.pending, byte)
        if char is not None:
            out.append(emit_py(h, char, guessed or h.pending_guessed, left, model))
    return out



def final_score(h: Hypothesis, left: str, right: str, model: CharModel) -> float:
    score = h.score
    if not right and h.out:
        score += model.line_end_logp(h.out[-1])
    if right:
        prev = h.out[-1] if h.out else left[-1:]
        if right == " ":
            return score
        following = HALF_TO_FULL.get(right[0], right[0])
        score += model.logp(prev, following) - odd_punctuation((left + "".join(h.out))[-2:] + following)
        text = (left + "".join(h.out))[-3:] + "".join(HALF_TO_FULL.get(c, c) for c in right)
        score += P.fourgram_bonus * sum(model.seen(text[k : k + 4]) for k in range(1, len(text) - 3))
    return score


def finish_scored(hyps, left: str, right: str, before: str, after: str, model: CharModel) -> list[tuple[float, Hypothesis]]:
    """``(final_score + quote_score, h)`` of every hypothesis, best first (stable): how a run's finished
    readings rank (the compiled core's where it is built; :func:`finish_scored_py` is its reference)."""
    if CORE is not None:
        found = CORE.finish_scored(hyps, left, right, "".join(HALF_TO_FULL.get(c, c) for c in right), model,
                                   quote_context_before(before[-P.span_lookback:]),
                                   quote_context_after(after[:P.span_lookback]))
        if found is not None:  # None: a reading the compiled form does not take (see _core.c)
            return found
    return finish_scored_py(hyps, left, right, before, after, model)


def finish_scored_py(hyps, left: str, right: str, before: str, after: str,
                     model: CharModel) -> list[tuple[float, Hypothesis]]:
    """:func:`finish_scored` in Python."""
    scored = ((final_score(h, left, right, model) + quote_score(before, h.out, after), h) for h in hyps)
    return sorted(scored, key=itemgetter(0), reverse=True)  # stable, as with key -score


def odd_punctuation(three: str) -> float:
    """A sentence end, a closing quote, then a list comma (``。”、``): writers do not do that."""
    if len(three) == 3 and three[0] in "。！？" and three[1] in "”’" and three[2] in "、，,":
        return P.odd_punctuation_cost
    return 0.0


def quote_score(before: str, out: tuple[str, ...], after: str) -> float:
    """A penalty for every quotation mark the candidate leaves unbalanced in its line."""
    if not any(c in "“”。！？" for c in out):
        return 0.0
    depth = unmatched = short = 0
    opened = -1
    chars = (*quote_context_before(before[-P.span_lookback:]), *out, *quote_context_after(after[:P.span_lookback]))
    for k, char in enumerate(chars):
        if char == "“":
            depth += 1
            opened = k
            if depth > 1:
                unmatched += 1
                depth = 1
        elif char == "”":
            if depth == 0:
                unmatched += 1
            elif chars[k - 1] in "。！？" and k - opened <= P.short_quote:
                short += 1  # a quoted term does not end a sentence: “大學。” is not how one writes
            depth = 0
    return -P.quote_cost * (unmatched + depth) - P.short_quote_cost * short


@lru_cache(maxsize=256)
def quote_context_before(before: str) -> str:
    """The 60 characters before a run that :func:`quote_score` reads (the same for all its candidates),
    from the ``P.span_lookback`` characters before it (the cache's key)."""
    return strip_annotations(before)[-60:]


@lru_cache(maxsize=256)
def quote_context_after(after: str) -> str:
    """The 60 characters after a run that :func:`quote_score` reads, from the ``P.span_lookback`` after it."""
    return strip_annotations(after)[:60]



def raw_score(line: str, i: int, end: int, model: CharModel, right_scored: bool = True) -> float:
    """How the damaged text reads, as plain text, on the same scale as a repair."""
    left = previous_char(line, i) or ""
    text = "".join(HALF_TO_FULL.get(c, c) for c in line[i:end + right_scored])
    score = 0.0
    prev = left
    for char in text:
        score += model.background_logp(prev, char) + P.char_bonus
        prev = char
    return score

