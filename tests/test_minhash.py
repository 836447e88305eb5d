"""``ingest.minhash`` against datasketch itself: the same signatures of real text, the same banding."""

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import minhash
from ingest.dedup import normalise, normalised_lines
from ingest.minhash import BLOCK, optimal_bands, shingles, signature, text_signature, text_signature_py
from tests.conftest import ROOT, SAMPLES

PROSE = ROOT / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"


def datasketch_values(values: set[bytes], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=seed)
    minhash.update_batch(list(values))
    return minhash.hashvalues


def real_texts() -> list[str]:
    faq = PROSE.read_text(encoding="utf-8").split("\n\n")
    samples = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.iterdir()) if p.is_file()]
    return [t for t in faq + samples if t.strip()]


TEXTS = real_texts()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(TEXTS), st.sampled_from([2, 5, 8]), st.sampled_from([16, 128, 200]), st.integers(1, 3))
def test_signatures_of_real_text_are_datasketchs(text, size, num_perm, seed):
    grams = shingles(normalise(text), size)
    ours = signature(grams, num_perm, seed)
    theirs = datasketch_values(grams, num_perm, seed)
    assert ours.dtype == theirs.dtype and ours.tolist() == theirs.tolist()


def test_a_text_of_more_shingles_than_one_block_is_signed_as_datasketch_signs_it():
    text = normalise(PROSE.read_text(encoding="utf-8"))
    grams = shingles(text, 5)
    assert len(grams) > 3 * BLOCK
    assert signature(grams).tolist() == datasketch_values(grams).tolist() == text_signature(text, 5).tolist()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(TEXTS), st.integers(0, 2000), st.sampled_from([1, 5, 9]))
def test_a_texts_signature_is_its_shingle_sets_whatever_repeats(text, cut, size):
    """Hashed position by position (repeats included) or as a set: the same minima, for short texts too."""
    text = normalise(text)[:cut]
    assert text_signature(text, size).tolist() == signature(shingles(text, size)).tolist()


def test_no_value_leaves_every_minimum_at_its_largest():
    assert signature(set()).tolist() == datasketch_values(set()).tolist() == [2**32 - 1] * 128
    assert text_signature("", 5).tolist() == datasketch_values({b""}).tolist()  # an empty text is one empty shingle


@pytest.mark.parametrize("num_perm", [8, 16, 64, 128, 256])
def test_the_banding_is_datasketchs_for_every_threshold(num_perm):
    from datasketch.lsh import _optimal_param

    for threshold in [round(t, 2) for t in np.arange(0.05, 1.0, 0.05)]:
        for weights in [(0.5, 0.5), (0.2, 0.8)]:
            assert optimal_bands(threshold, num_perm, weights) == _optimal_param(threshold, num_perm, *weights), \
                (threshold, weights)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(TEXTS), st.lists(st.text(), max_size=6).map("\n".join)))
def test_a_text_normalised_whole_is_its_lines_normalised_and_joined(text):
    """record_keys normalises each line once and joins them: the same as normalising the whole text
    (Greek final sigma, combining marks after a newline, NFKC's expansions included by hypothesis)."""
    assert "".join(normalised_lines(text)) == normalise(text)


BUILT = importlib.util.find_spec("ingest._minhash_core") is not None
compiled_only = pytest.mark.skipif(not minhash.COMPILED, reason="the compiled MinHash core is not built here")


def test_the_compiled_signature_runs_where_it_is_built():
    assert minhash.COMPILED == BUILT
    print("compiled MinHash core" if minhash.COMPILED else "Python text_signature (the extension is not built)")


@compiled_only
@pytest.mark.parametrize("sha_extensions", [True, False], ids=["sha-ni", "portable"])
def test_the_compiled_signature_is_the_python_ones(sha_extensions):
    """Real texts (normalised or raw, several blocks long), any UTF-8 text, shingles of 1-40 characters (up to
    160 bytes: SHA-1's padding in a second and third block), empty and shorter-than-a-shingle texts; with
    the CPU's SHA extensions (where it has them) and with the portable compression."""
    core = minhash.CORE
    assert core is not None
    running = core.sha_extensions()
    try:
        core.sha_extensions(sha_extensions)
        print("SHA-NI" if core.sha_extensions() else "portable SHA-1")
        signatures_are_the_python_ones()
    finally:
        core.sha_extensions(running)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(TEXTS).map(normalise), st.sampled_from(TEXTS),
                 st.text(st.characters(codec="utf-8"), max_size=80)),
       st.integers(1, 40), st.sampled_from([1, 16, 128]), st.integers(1, 3))
def signatures_are_the_python_ones(text, size, num_perm, seed):
    compiled, reference = text_signature(text, size, num_perm, seed), text_signature_py(text, size, num_perm, seed)
    assert compiled.dtype == reference.dtype and compiled.tolist() == reference.tolist()
