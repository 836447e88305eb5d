"""The character model's two ways of computing log P(char | prev) agree exactly.

``CharModel.logps_many`` (numpy, for the long candidate tuples of the dropped-pair
search) must give bit for bit what ``CharModel.logp`` gives: the search ranks by
these values, and the repair's output must not depend on which path ran.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaners.repair.charlm as charlm
from cleaners.repair.charlm import CharModel, DocumentModel
from cleaners.repair.gbk import user_defined_pairs
from cleaners.repair.misaligned_gbk import core
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.ranking import (
    Ranking,
    closing_candidates,
    interior_candidates,
    lead_candidates,
    rank_head_py,
    ranked,
)
from cleaners.repair.misaligned_gbk.text import document_text
from tests.conftest import seed_text


@pytest.mark.parametrize("seed", ["002", "000"])  # a Traditional page, a Simplified one (script shares)
def test_vector_and_scalar_probabilities_are_identical(seed):
    text = seed_text(seed)
    vector = CharModel(DocumentModel(document_text(text)))
    scalar = CharModel(DocumentModel(document_text(text)))
    trails = sorted(set(user_defined_pairs().values()))
    prevs = ["", "的", "工", "會", "。", "“", "（", "a"] + sorted(set(text[:400]))[:40]
    checked = 0
    tuples = [closing_candidates(t)[1] for t in trails] + [interior_candidates(t)[1] for t in trails]
    tuples += [lead_candidates(t, lead)[1] for t in trails for lead in (0x40, 0xA1, 0xB0, 0xD2, 0xFE)]
    for candidates in tuples:
        for prev in prevs:
            assert vector.logps_many(prev, candidates) == [scalar.logp(prev, c) for c in candidates]
            checked += len(candidates)
    assert checked > 10_000


def test_partial_rankings_are_the_head_of_the_full_ranking():
    """The search ranks long candidate tuples by working out only the likeliest (``ranked``):
    what it reads must be exactly the start of the fully sorted list, ties and all."""
    text = seed_text("002")
    model = CharModel(DocumentModel(document_text(text)))
    trails = sorted(set(user_defined_pairs().values()))
    prevs = ["", "的", "會", "。", "“"] + sorted(set(text[:300]))[:20]
    partial = 0
    for keys, candidates in [interior_candidates(t) for t in trails] + [closing_candidates(t) for t in trails]:
        for prev in prevs:
            full = sorted(zip(model.logps_many(prev, candidates), keys, candidates, strict=False), reverse=True)
            for want in (8, 40):
                head, complete = ranked(model, prev, keys, candidates, want)
                assert len(head) >= min(want, len(full))
                assert head == full[: len(head)] and (not complete or len(head) == len(full))
                partial += not complete
            assert list(Ranking(model, prev, keys, candidates, 8).read(model)) == full
    assert partial > 100


@pytest.mark.parametrize("seed", ["002", "000"])
def test_the_compiled_row_is_the_numpy_row_bit_for_bit(seed, monkeypatch):
    """``CharModel.probabilities``' row in C (``_charlm_core``) against its numpy reference, for every
    candidate tuple of the search after many contexts (on the page or not, in the word list or not)."""
    if not charlm.COMPILED_ROW:
        pytest.skip("the compiled row is not built here")
    text = seed_text(seed)
    model = CharModel(DocumentModel(document_text(text)))
    trails = sorted(set(user_defined_pairs().values()))
    prevs = ["", "的", "工", "會", "。", "“", "（", "a", "\ue000"] + sorted(set(text[:600]))[:60]
    tuples = [closing_candidates(t)[1] for t in trails] + [interior_candidates(t)[1] for t in trails]
    tuples += [lead_candidates(t, lead)[1] for t in trails for lead in (0x40, 0xA1, 0xB0, 0xD2, 0xFE)]
    checked = 0
    for candidates in tuples:
        for prev in prevs:
            fast = model.probabilities(prev, candidates)
            monkeypatch.setattr(charlm, "ROW_CORE", None)
            slow = model.probabilities(prev, candidates)
            monkeypatch.undo()
            if fast is None:
                assert slow is None
                continue
            assert fast[0].tobytes() == slow[0].tobytes() and fast[1] == slow[1]
            checked += len(candidates)
    assert checked > 50_000


compiled_core_only = pytest.mark.skipif(core.CORE is None, reason="the compiled core is not built here")


@compiled_core_only
@pytest.mark.parametrize("seed", ["002", "000"])
def test_the_compiled_rank_head_is_the_python_one(seed):
    """``rank_head`` in C against :func:`rank_head_py` on the search's candidate tuples after many contexts."""
    model = CharModel(DocumentModel(document_text(seed_text(seed))))
    trails = sorted(set(user_defined_pairs().values()))
    prevs = ["", "的", "會", "。", "“", "a"] + sorted(set(seed_text(seed)[:400]))[:30]
    compared = heads = 0
    for keys, candidates in [interior_candidates(t) for t in trails] + [closing_candidates(t) for t in trails] \
            + [lead_candidates(t, lead) for t in trails for lead in (0x40, 0xA1, 0xB0, 0xD2)]:
        for prev in prevs:
            found = model.probabilities(prev, candidates)
            if found is None:
                continue
            values, special = found
            for want in (1, 8, 40, 64):
                if len(candidates) - len(special) <= want:
                    continue
                fast = core.CORE.rank_head(values, special, keys, candidates, want, P.rank_margin)
                assert fast == rank_head_py(values, special, keys, candidates, want)
                compared += 1
                heads += fast is not None
    assert compared > 1000 and heads > 500


@compiled_core_only
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([1e-8, 1e-6, 2e-6, 0.001, 0.0010000000001, 0.25, 0.5]) | st.floats(1e-8, 1.0),
                min_size=2, max_size=120),
       st.data())
def test_the_compiled_rank_head_on_drawn_values_with_ties(values, data):
    """Many equal probabilities, marks anywhere, any ``want``: the selection and the order of ties."""
    n = len(values)
    special_at = data.draw(st.sets(st.integers(0, n - 1), max_size=n // 3))
    special = {at: data.draw(st.sampled_from([-2.0, -9.2, -3.5])) for at in sorted(special_at)}
    want = data.draw(st.integers(1, max(1, n - len(special) - 1)))
    if n - len(special) <= want:
        return
    keys = tuple(data.draw(st.integers(0x40, 0x42)) for _ in range(n))
    chars = tuple(data.draw(st.sampled_from("的一是不了，。a")) for _ in range(n))
    array = np.array(values, dtype=np.float64)
    assert core.CORE.rank_head(array, special, keys, chars, want, P.rank_margin) == \
        rank_head_py(array, special, keys, chars, want)
