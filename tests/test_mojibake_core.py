"""The compiled core of the seed repair (issue 14) against its Python reference, call by call.

Where the extension is built (``pip install -e .`` with a C compiler), the search runs it; every
call here is checked against the Python form over real prose damaged by the mechanism
(:mod:`tests.damage`, as in ``tests/test_mojibake_oracles.py``). Where it is not built, the
Python forms run and these comparisons skip; one test says which form ran.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import partial

import numpy as np
import pytest

import cleaners.repair.charlm as charlm
import cleaners.repair.misaligned_gbk.closing as closing
import cleaners.repair.misaligned_gbk.confidence as confidence
import cleaners.repair.misaligned_gbk.gaps as gaps
import cleaners.repair.misaligned_gbk.ranking as ranking
import cleaners.repair.misaligned_gbk.scoring as scoring
import cleaners.repair.misaligned_gbk.search as search
from cleaners.model import CleanConfig
from cleaners.repair.misaligned_gbk import core, repair_mojibake
from tests.test_mojibake_oracles import damaged, same

CONFIG = CleanConfig()
BUILT = importlib.util.find_spec("cleaners.repair.misaligned_gbk._core") is not None
ROW_BUILT = importlib.util.find_spec("cleaners.repair._charlm_core") is not None
compiled_only = pytest.mark.skipif(not (core.COMPILED and charlm.COMPILED_ROW), reason="the compiled core is not built here")


def test_the_compiled_core_runs_where_it_is_built():
    """Which form runs: the compiled core wherever its module can be found, else the Python forms."""
    assert core.COMPILED == BUILT
    assert charlm.COMPILED_ROW == ROW_BUILT
    print("compiled core" if core.COMPILED else "Python forms (the extension is not built)")
    print("compiled probability row" if charlm.COMPILED_ROW else "numpy probability row (the extension is not built)")


def test_without_the_core_the_python_forms_run(monkeypatch):
    monkeypatch.setattr(scoring, "CORE", None)
    monkeypatch.setattr(charlm, "ROW_CORE", None)
    monkeypatch.setattr(ranking, "CORE", None)
    monkeypatch.setattr(gaps, "CORE", None)
    monkeypatch.setattr(search, "CORE", None)
    monkeypatch.setattr(confidence, "CORE", None)
    page = damaged("s", 3, False, 3)
    with_python = repair_mojibake(page, CONFIG)
    monkeypatch.undo()
    assert repair_mojibake(page, CONFIG) == with_python


def assert_identical(a: list, b: list) -> None:
    """The same objects in the same order."""
    assert len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


@pytest.fixture
def compared(monkeypatch):
    """Every compiled call checked against its Python reference (exact floats, same order)."""
    calls: Counter[str] = Counter()
    compiled = scoring.follower_scores

    def follower_scores(h, chars, left, model, extra=0.0):
        chars = list(chars)
        fast = compiled(h, chars, left, model, extra)
        assert fast == scoring.follower_scores_py(h, chars, left, model, extra)
        calls["follower_scores"] += 1
        return fast

    emit_compiled, push_compiled = scoring.emit, scoring.push

    def emit(h, char, guessed, left, model, extra=0.0, pending=None, pending_guessed=False):
        fast = emit_compiled(h, char, guessed, left, model, extra, pending, pending_guessed)
        assert same([fast], [scoring.emit_py(h, char, guessed, left, model, extra, pending, pending_guessed)])
        calls["emit"] += 1
        return fast

    def push(hyps, byte, guessed, left, model):
        fast = push_compiled(hyps, byte, guessed, left, model)
        assert same(fast, scoring.push_py(hyps, byte, guessed, left, model))
        calls["push"] += 1
        return fast

    probabilities = charlm.CharModel.probabilities

    def compared_probabilities(model, prev, chars):
        fast = probabilities(model, prev, chars)
        if fast is not None:
            saved, charlm.ROW_CORE = charlm.ROW_CORE, None
            try:
                slow = probabilities(model, prev, chars)
            finally:
                charlm.ROW_CORE = saved
            assert slow is not None and fast[0].tobytes() == slow[0].tobytes() and fast[1] == slow[1]
            assert fast[0].dtype == np.float64
            calls["probability_row"] += 1
        return fast

    monkeypatch.setattr(charlm.CharModel, "probabilities", compared_probabilities)
    logps = charlm.CharModel.logps

    def compared_logps(model, prev, chars):
        chars = list(chars)
        missing = {prev + c for c in chars} - model.cache.keys()
        fast = logps(model, prev, chars)  # fills the cache with what it worked out
        worked_out = {key: model.cache.pop(key) for key in missing}
        slow = model.logps_py(prev, chars)  # works the same out again
        assert fast == slow and all(model.cache[key] == value for key, value in worked_out.items())
        calls["logps"] += 1
        calls["logps_missed"] += len(missing)
        return fast

    monkeypatch.setattr(charlm.CharModel, "logps", compared_logps)
    rank_head = ranking.rank_head

    def compared_rank_head(values, special, keys, chars, want):
        fast = rank_head(values, special, keys, chars, want)
        assert fast == ranking.rank_head_py(values, special, keys, chars, want)
        calls["rank_head"] += 1
        return fast

    monkeypatch.setattr(ranking, "rank_head", compared_rank_head)
    best_chains = gaps.best_chains

    def compared_best_chains(bases, lead, left, model):
        fast = best_chains(bases, lead, left, model)  # first: it meets the cache misses the search meets
        assert same(fast, gaps.best_chains_py(bases, lead, left, model))
        doubled = [*bases, *reversed(bases)]  # every score twice: the kept ones tie, first come first
        assert same(best_chains(doubled, lead, left, model), gaps.best_chains_py(doubled, lead, left, model))
        calls["best_chains"] += 1
        return fast

    monkeypatch.setattr(gaps, "best_chains", compared_best_chains)
    interior_heads = gaps.interior_heads

    def compared_interior_heads(bases, model, keep):
        fast = interior_heads(bases, model, keep)  # first: it meets the rankings' heads as the search does
        assert fast == gaps.interior_heads_py(bases, model, keep)
        doubled = [*bases, *reversed(bases)]  # the same scores again under other indexes: ties broken by n
        assert interior_heads(doubled, model, keep) == gaps.interior_heads_py(doubled, model, keep)
        wide = 3 * keep  # reads past more heads (the whole list worked out)
        assert interior_heads(bases, model, wide) == gaps.interior_heads_py(bases, model, wide)
        calls["interior_heads"] += 1
        return fast

    monkeypatch.setattr(gaps, "interior_heads", compared_interior_heads)
    gap_seeds = gaps.gap_seeds

    def compared_gap_seeds(seeds, left, model):
        fast = gap_seeds(seeds, left, model)  # first: it meets the cache misses the search meets
        slow = gaps.gap_seeds_py(seeds, left, model)
        assert same([h for h, _ in fast], [h for h, _ in slow]) and [t for _, t in fast] == [t for _, t in slow]
        doubled = [*seeds, *reversed(seeds)]  # every score twice: ties, first come first
        for args in ((doubled, left, model), (seeds, left, model, 1000)):  # 1000: all of them, sorted
            fast, slow = gap_seeds(*args), gaps.gap_seeds_py(*args)
            assert same([h for h, _ in fast], [h for h, _ in slow]) and [t for _, t in fast] == [t for _, t in slow]
        calls["gap_seeds"] += 1
        return gap_seeds(seeds, left, model)

    monkeypatch.setattr(gaps, "gap_seeds", compared_gap_seeds)
    ended_pruned = search.ended_pruned

    def compared_ended_pruned(hyps, width):
        fast = ended_pruned(hyps, width)
        assert same(fast, search.ended_pruned_py(hyps, width))
        doubled = [*hyps, *reversed(hyps)]  # every score twice: ties, first come first
        assert same(ended_pruned(doubled, width), search.ended_pruned_py(doubled, width))
        calls["ended_pruned"] += 1
        calls["ended_pruned_cut"] += len(hyps) > width
        return fast

    monkeypatch.setattr(search, "ended_pruned", compared_ended_pruned)
    finish_scored = scoring.finish_scored

    def compared_finish_scored(hyps, left, right, before, after, model):
        fast = finish_scored(hyps, left, right, before, after, model)  # first: it meets the cache misses
        slow = scoring.finish_scored_py(hyps, left, right, before, after, model)
        assert [s for s, _ in fast] == [s for s, _ in slow] and all(a is b for (_, a), (_, b) in zip(fast, slow, strict=True))
        doubled = [*hyps, *reversed(hyps)]  # every score twice: ties, first come first
        fast2, slow2 = (f(doubled, left, right, before, after, model) for f in (finish_scored, scoring.finish_scored_py))
        assert [s for s, _ in fast2] == [s for s, _ in slow2] and all(a is b for (_, a), (_, b) in zip(fast2, slow2, strict=True))
        calls["finish_scored"] += 1
        calls["finish_scored_line_end"] += not right
        calls["finish_scored_lost_after"] += right == " "
        calls["finish_scored_quotes"] += any(scoring.quote_score(before, h.out, after) for h in hyps)
        calls["finish_scored_fourgrams"] += any(
            s != scoring.final_score(h, left, "", model) + scoring.quote_score(before, h.out, after) for s, h in slow
        ) and bool(right) and right != " "
        return fast

    monkeypatch.setattr(search, "finish_scored", compared_finish_scored)
    with_lead_priors = scoring.with_lead_priors

    def compared_with_lead_priors(hyps, model):
        fast = with_lead_priors(hyps, model)  # first: it meets the weights not worked out yet
        assert same(fast, scoring.with_lead_priors_py(hyps, model))
        missing = core.CORE.with_lead_priors(hyps, {}, partial(scoring.lead_weight, model))  # every weight a miss
        assert same(missing, fast)
        calls["with_lead_priors"] += 1
        return fast

    monkeypatch.setattr(search, "with_lead_priors", compared_with_lead_priors)
    finishable = search.finishable

    def compared_finishable(hyps, dictionary, pinned):
        fast = finishable(hyps, dictionary, pinned)
        assert_identical(fast, search.finishable_py(hyps, dictionary, pinned))
        marked = {**dictionary, **{h.out[n % len(h.out)]: "x" for n, h in enumerate(hyps[::3]) if h.out}}
        for args in ((hyps, marked, pinned), (hyps, marked, not pinned), ([*hyps, *hyps], dictionary, pinned)):
            assert_identical(finishable(*args), search.finishable_py(*args))
        calls["finishable"] += 1
        calls["finishable_dropped"] += len(fast) < len(hyps)
        return fast

    monkeypatch.setattr(search, "finishable", compared_finishable)
    closing_rivals = confidence.Confidence.closing_rivals

    def compared_closing_rivals(run, hyps, k, reading):
        fast = closing_rivals(run, hyps, k, reading)  # first: it meets the cache misses the search meets
        assert same(fast, run.closing_rivals_py(hyps, k, reading))
        doubled = [*hyps, *reversed(hyps)]  # every score twice: ties, first come first
        assert same(closing_rivals(run, doubled, k, reading), run.closing_rivals_py(doubled, k, reading))
        calls["closing_rivals"] += 1
        calls["closing_rivals_lengths"] += len({h.slot_length(k) for h in fast}) > 1  # groups by length
        calls["closing_rivals_skipped"] += not same(fast, run.closing_rivals_py(hyps, k, ()))  # the reading left out
        return fast

    monkeypatch.setattr(confidence.Confidence, "closing_rivals", compared_closing_rivals)
    kept_by_length = confidence.kept_by_length

    def compared_kept_by_length(hyps, k, end=False):
        fast = kept_by_length(hyps, k, end)
        assert same(fast, confidence.kept_by_length_py(hyps, k, end))
        doubled = [*hyps, *reversed(hyps)]  # every score twice: ties, first come first
        for flag in (False, True):
            assert same(kept_by_length(doubled, k, flag), confidence.kept_by_length_py(doubled, k, flag))
        calls["kept_by_length"] += 1
        calls["kept_by_length_cut"] += len(fast) < len(hyps)
        calls["kept_by_length_lengths"] += len({h.slot_length(k) for h in hyps}) > 1
        return fast

    monkeypatch.setattr(confidence, "kept_by_length", compared_kept_by_length)
    replayed = confidence.Confidence.replayed

    def compared_replayed(run, hyps, j, best):
        fast = replayed(run, hyps, j, best)
        assert same(fast, run.replayed_py(hyps, j, best))
        calls["replayed"] += 1
        return fast

    monkeypatch.setattr(confidence.Confidence, "replayed", compared_replayed)
    for module in (scoring, closing, confidence, gaps, search):
        for name, wrapped in (("follower_scores", follower_scores), ("emit", emit), ("push", push)):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, wrapped)
    return calls


@compiled_only
def test_the_compiled_core_matches_the_python_forms_on_many_spans(compared):
    spans = 0
    pages = [damaged(variant, index, keep, index) for variant in ("s2t", "s") for keep in (True, False)
             for index in range(0, 120, 4)]
    for page in pages:
        change = repair_mojibake(page, CONFIG)
        spans += change.counts.get("mojibake_spans", 0)
    assert spans >= 1000, "the damage must open spans"
    assert compared["follower_scores"] >= 10_000, dict(compared)
    assert compared["emit"] >= 10_000, dict(compared)
    assert compared["push"] >= 1000, dict(compared)
    assert compared["probability_row"] >= 10_000, dict(compared)
    assert compared["rank_head"] >= 10_000, dict(compared)
    assert compared["best_chains"] >= 1000, dict(compared)
    assert compared["interior_heads"] >= 800, dict(compared)  # 897 on this sweep
    assert compared["gap_seeds"] >= 800, dict(compared)  # once per gap_chains, as interior_heads
    assert compared["ended_pruned"] >= 1000 and compared["ended_pruned_cut"] >= 100, dict(compared)
    assert compared["finish_scored"] >= 1000, dict(compared)
    assert compared["logps"] >= 10_000 and compared["logps_missed"] >= 10_000, dict(compared)
    assert compared["with_lead_priors"] >= 100, dict(compared)
    assert compared["closing_rivals"] >= 50 and compared["closing_rivals_lengths"] >= 20, dict(compared)
    assert compared["closing_rivals_skipped"] >= 20, dict(compared)
    assert compared["kept_by_length"] >= 1000 and compared["kept_by_length_cut"] >= 100, dict(compared)
    assert compared["kept_by_length_lengths"] >= 100, dict(compared)
    assert compared["replayed"] >= 50, dict(compared)  # readings with hidden characters: the test below
    assert compared["finishable"] >= 1000 and compared["finishable_dropped"] >= 100, dict(compared)
    print(sorted(compared.items()))
    for case in ("line_end", "lost_after", "quotes", "fourgrams"):
        assert compared[f"finish_scored_{case}"] >= 10, dict(compared)


@compiled_only
def test_finish_scored_matches_its_python_form_on_quoted_prose():
    """Quotations of every length around the run (short ones end a sentence inside them), the run at a
    line end, before a lost character, before full- and half-width marks, and ties: the same scores
    and order as the Python form; an ``out`` holding more than one character per element falls back."""
    from cleaners.repair.charlm import CharModel, DocumentModel
    from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis
    from cleaners.repair.misaligned_gbk.text import document_text
    from tests.conftest import seed_text

    page = seed_text("002")
    model = CharModel(DocumentModel(document_text(page)))
    lines = [line for line in page.split("\n") if "“" in line or "。" in line][:40]
    checked = 0
    for line in lines:
        text = line.replace("?", "")[:60]
        for cut in range(3, len(text) - 3, 5):
            before, run, after = text[:cut], text[cut : cut + 8], text[cut + 8 :]
            hyps = [Hypothesis(-float(n % 3), None, False, tuple(run[n:]), (False,) * len(run[n:]), ())
                    for n in range(len(run))]
            hyps += [Hypothesis(-1.0, None, False, ("“", *run[:3], "。", "”"), (False,) * 6, ())]
            for right in (after[:3], "", " ", "，x", ",!", "”、"):
                args = (hyps, before[-3:], right, before, after, model)
                fast, slow = scoring.finish_scored(*args), scoring.finish_scored_py(*args)
                assert [s for s, _ in fast] == [s for s, _ in slow]
                assert all(a is b for (_, a), (_, b) in zip(fast, slow, strict=True))
                checked += 1
    assert checked >= 500
    wide = [Hypothesis(0.0, None, False, ("ab", "“"), (False, False), ())]
    assert core.CORE.finish_scored(wide, "", "", "", model, "", "") is None
    assert scoring.finish_scored(wide, "", "", "", "", model) == scoring.finish_scored_py(wide, "", "", "", "", model)


@compiled_only
def test_with_lead_priors_keeps_a_hypothesis_that_wrote_nothing():
    from cleaners.repair.charlm import CharModel, DocumentModel
    from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis
    from tests.conftest import seed_text

    model = CharModel(DocumentModel(seed_text("003")))
    hyps = [Hypothesis(-1.5, 0xB5, True, (), ()), Hypothesis(-2.0, None, False, ("的",), (True,)),
            Hypothesis(-2.0, None, False, ("地", "方"), (True, False))]
    fast = scoring.with_lead_priors(hyps, model)
    assert fast[0] is hyps[0] and same(fast, scoring.with_lead_priors_py(hyps, model))
    assert fast[1].score != hyps[1].score


@compiled_only
def test_replayed_matches_its_python_form_on_readings_with_hidden_characters():
    """A slot read as up to three characters (the first ones before dropped pairs, scored with the gap's
    cost), replayed after hypotheses written from page 002's prose: the same hypotheses as in Python."""
    from types import SimpleNamespace

    from cleaners.chinese import HAN_CHAR
    from cleaners.repair.charlm import CharModel, DocumentModel
    from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis
    from cleaners.repair.misaligned_gbk.text import HIDDEN, document_text
    from tests.conftest import seed_text

    page = document_text(seed_text("002"))
    run = SimpleNamespace(left=page[100:103], model=CharModel(DocumentModel(page)))
    prose = HAN_CHAR.findall(page[200:2000])
    hyps = [Hypothesis(-float(n), 0xB5, True, tuple(prose[n : n + 1 + n % 5]), (False,) * (1 + n % 5), ())
            for n in range(0, 300, 7)]
    checked = 0
    for at in range(0, len(prose) - 4, 11):
        for width in (1, 2, 3):
            reading = tuple(prose[at : at + width])
            levels = (True, HIDDEN, False)[3 - width:]
            best = Hypothesis(0.0, None, False, ("的", *reading), (False, *levels), (1, 1 + width))
            fast = confidence.Confidence.replayed(run, hyps, 1, best)
            assert same(fast, confidence.Confidence.replayed_py(run, hyps, 1, best))
            checked += 1
    assert checked >= 100


@compiled_only
def test_the_page_four_grams_are_the_python_forms():
    """Every page of the sweep and the samples (short, empty, astral and mixed-width text too)."""
    from tests.conftest import seed_text

    pages = [damaged(variant, index, keep, index) for variant in ("s2t", "s") for keep in (True, False)
             for index in range(0, 120, 12)]
    pages += [seed_text(p) for p in ("000", "001", "002", "003", "004")]
    pages += ["", "abc", "abcd", "漢字a\U00020000b，。", "\U00020000" * 6]
    for page in pages:
        assert charlm.fourgrams(page) == charlm.fourgrams_py(page)
