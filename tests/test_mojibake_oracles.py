"""The seed repair's fast paths against their reference forms (issue 10, item 2).

The search has four functions that compute, faster, what a plain composition of
its basic steps computes: :func:`~cleaners.repair.misaligned_gbk.scoring.follower_scores`
and :func:`~cleaners.repair.misaligned_gbk.scoring.emit_each` (``emit`` for each
character), :func:`~cleaners.repair.misaligned_gbk.closing.close_pruned` (the
closing's candidates, then the beam's pruning) and
:meth:`~cleaners.repair.misaligned_gbk.confidence.Confidence.closing_rivals` (a
closing's rivals, then the rivals' pruning). The reference forms live here, as
oracles: while the repair runs over real prose damaged by the mechanism
(:mod:`tests.damage`, both decoders, Simplified and Traditional), every call of a
fast path is checked against its oracle, hypothesis by hypothesis, score for score.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaners.repair.misaligned_gbk.closing as closing
import cleaners.repair.misaligned_gbk.confidence as confidence
import cleaners.repair.misaligned_gbk.gaps as gaps
import cleaners.repair.misaligned_gbk.scoring as scoring
from cleaners.chinese import UNIFIED_BLOCK
from cleaners.model import CleanConfig
from cleaners.repair.annotation import readings_of
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.misaligned_gbk.hypothesis import Ending, Hypothesis, prune
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from tests.damage import DamageConfig, damage
from tests.roundtrip import script_variant

CONFIG = CleanConfig()
FAST = {"follower_scores": scoring.follower_scores, "emit_each": scoring.emit_each,
        "close_pruned": closing.close_pruned, "closing_rivals": confidence.Confidence.closing_rivals}


# --- the oracles: the reference forms, built from emit, close and prune --------------------------

def follower_scores_oracle(h, chars, left, model, extra=0.0) -> list[float]:
    return [scoring.emit(h, char, False, left, model, extra=extra).score for char in chars]


def emit_each_oracle(h, chars, guessed, left, model) -> list[Hypothesis]:
    return [scoring.emit(h, char, guessed, left, model) for char in chars]


def close_pruned_oracle(hyps, left, model, allow_gaps, forced, limit) -> list[Hypothesis]:
    """``prune(close(...), limit)`` for a closing no annotation names: every candidate made, then pruned."""
    unnamed = Ending((), 0, True)
    return prune(closing.close(hyps, unnamed, {}, left, model, allow_gaps, forced, limit=None), limit)


def closing_rivals_oracle(run, hyps, k, reading) -> list[Hypothesis]:
    """Every closing of the slot but ``reading``, then the rivals' pruning: the best ``P.rival_beam`` of each length."""
    emitted = [h for h in run.emissions(hyps, k, gate=False) if h.slot(k) != reading]
    by_length: dict[int, list[Hypothesis]] = {}
    for h in emitted:
        by_length.setdefault(h.slot_length(k), []).append(h)
    return [h for group in by_length.values() for h in prune(group, P.rival_beam)]


# --- checking every call ---------------------------------------------------------------------------

def same(a: list[Hypothesis], b: list[Hypothesis]) -> bool:
    return [(h.score, h.pending, h.pending_guessed, h.out, h.guessed, h.slots) for h in a] == \
           [(h.score, h.pending, h.pending_guessed, h.out, h.guessed, h.slots) for h in b]


@pytest.fixture
def checked(monkeypatch):
    """Every fast path wrapped: it returns its own result after asserting the oracle's is the same."""
    calls: Counter[str] = Counter()

    def follower_scores(h, chars, left, model, extra=0.0):
        chars = list(chars)
        fast = FAST["follower_scores"](h, chars, left, model, extra)
        assert fast == follower_scores_oracle(h, chars, left, model, extra)
        calls["follower_scores"] += 1
        return fast

    def emit_each(h, chars, guessed, left, model):
        chars = list(chars)
        fast = FAST["emit_each"](h, chars, guessed, left, model)
        assert same(fast, emit_each_oracle(h, chars, guessed, left, model))
        calls["emit_each"] += 1
        return fast

    def close_pruned(hyps, left, model, allow_gaps, forced, limit):
        fast = FAST["close_pruned"](hyps, left, model, allow_gaps, forced, limit)
        assert same(fast, close_pruned_oracle(hyps, left, model, allow_gaps, forced, limit))
        calls["close_pruned"] += 1
        return fast

    def closing_rivals(self, hyps, k, reading):
        fast = FAST["closing_rivals"](self, hyps, k, reading)
        assert same(fast, closing_rivals_oracle(self, hyps, k, reading))
        calls["closing_rivals"] += 1
        return fast

    for module in (scoring, closing, confidence, gaps):
        if hasattr(module, "follower_scores"):
            monkeypatch.setattr(module, "follower_scores", follower_scores)
    monkeypatch.setattr(closing, "emit_each", emit_each)
    monkeypatch.setattr(closing, "close_pruned", close_pruned)
    monkeypatch.setattr(confidence.Confidence, "closing_rivals", closing_rivals)
    return calls


@lru_cache(maxsize=4)
def annotated(variant: str) -> dict[str, str]:
    """A site that annotates the prose's 300 most frequent hanzi (the samples' sites list 46 and 74):
    many more spans per page than their dictionaries open, so that the sweep is short."""
    counts = Counter(c for doc in script_variant(variant) for c in doc if UNIFIED_BLOCK[0] <= ord(c) <= UNIFIED_BLOCK[1])
    return {c: readings_of(c)[0] for c, _ in counts.most_common(400) if readings_of(c)}


def damaged(variant: str, index: int, keep_user_defined: bool, seed: int, documents: int = 3) -> str:
    """Three documents of the prose as one page, damaged by the mechanism."""
    docs = script_variant(variant)
    page = "\n".join(docs[(index + n) % len(docs)] for n in range(documents))
    return damage(page, DamageConfig(annotated(variant), keep_user_defined=keep_user_defined, closing_rate=0.9,
                                     seed=seed))


def test_the_fast_paths_match_their_oracles_on_many_spans(checked):
    """A fixed sweep: enough documents that each fast path is checked on thousands of calls."""
    spans = 0
    for variant in ("s2t", "s"):
        for keep_user_defined in (True, False):
            for index in range(0, 150, 3):
                spans += repair_mojibake(damaged(variant, index, keep_user_defined, index), CONFIG) \
                    .counts.get("mojibake_spans", 0)
    assert spans >= 1000, "the damage must open spans"
    for name in FAST:
        assert checked[name] >= (50 if name in ("close_pruned", "closing_rivals") else 1000), (name, dict(checked))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(variant=st.sampled_from(["s2t", "s2tw", "s"]), index=st.integers(0, 10_000),
       keep_user_defined=st.booleans(), seed=st.integers(0, 10_000))
def test_the_fast_paths_match_their_oracles_on_drawn_damage(checked, variant, index, keep_user_defined, seed):
    repair_mojibake(damaged(variant, index, keep_user_defined, seed), CONFIG)
