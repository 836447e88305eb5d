"""``ingest.minhash`` against datasketch itself: the same signatures of real text, the same banding."""

import importlib.util
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import minhash
from ingest.dedup import (
    _COMPOSING_STARTERS_14,
    ARRAY_FROM,
    composing_starters,
    gathered_lines,
    normalise,
    normalised_lines,
    normalises_alone,
)
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


def normalised_lines_oracle(text: str) -> list[str]:
    """The slow form of ``normalised_lines``: each line normalised on its own."""
    return [normalise(line) for line in text.split("\n")]


# Characters whose NFKC looks at their neighbours, or that the fast path must send to the slow form:
# combining marks, the Hangul jamo that compose, vowel signs that compose, precomposed letters, sigma.
NEIGHBOURLY_CHARS = "\u0301\u0308\u0338\u1100\u1161\u11a8\u3131\u314f\uac00\u0b47\u0b3e\u0dd9\u0dcf" \
                    "e\u00e9\u0130\u03a3\u03c3<=\uff21\u2460\u3392\ufb01\uf900\u2f00\u3000\u00a0\n"


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.sampled_from(TEXTS),
    st.lists(st.sampled_from(TEXTS).flatmap(lambda t: st.sampled_from(t.split("\n"))), max_size=8).map("\n".join),
    st.lists(st.one_of(st.sampled_from(NEIGHBOURLY_CHARS), st.characters(exclude_categories=("Cs",))), max_size=40).map("".join),
    st.text()))
def test_the_lines_normalised_by_one_translate_are_each_line_normalised(text):
    assert normalised_lines(text) == normalised_lines_oracle(text)


def test_the_real_texts_normalise_alike_by_both_forms():
    long = [text for text in [*TEXTS, PROSE.read_text(encoding="utf-8")] if len(text) >= ARRAY_FROM]
    for text in TEXTS:
        assert normalised_lines(text) == normalised_lines_oracle(text)
    for text in long:
        gathered = gathered_lines(text)
        assert gathered is None or gathered == normalised_lines_oracle(text)
    assert sum(gathered_lines(text) is not None for text in long) > len(long) // 2  # the fast path is tested


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(TEXTS).flatmap(lambda t: st.sampled_from(t.split("\n"))),
    st.lists(st.one_of(st.sampled_from(NEIGHBOURLY_CHARS), st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))),
             max_size=20).map("".join),
    st.text()), min_size=1, max_size=12).map("\n".join), st.integers(1, 40))
def test_long_texts_gathered_through_the_array_are_each_line_normalised(text, times):
    """Texts long enough for the array (``gathered_lines``; None sends a text to ``str.translate``)."""
    text = "\n".join([text] * times)
    gathered = gathered_lines(text)
    assert gathered is None or gathered == normalised_lines_oracle(text)
    assert normalised_lines(text) == normalised_lines_oracle(text)


def test_every_character_that_normalises_alone_does_beside_any_other():
    """Each character of the samples and the FAQ that the fast path takes alone, next to each neighbourly one."""
    alone = sorted({c for text in TEXTS for c in text if normalises_alone(c)})
    for char in alone:
        for other in NEIGHBOURLY_CHARS:
            for text in (char + other, other + char, other + char + other):
                assert normalised_lines(text) == normalised_lines_oracle(text), (char, other)


def test_the_composing_starters_are_the_running_unicodes():
    if unicodedata.unidata_version.startswith("14."):
        assert composing_starters() == _COMPOSING_STARTERS_14


BUILT = importlib.util.find_spec("ingest._minhash_core") is not None
compiled_only = pytest.mark.skipif(not minhash.COMPILED, reason="the compiled MinHash core is not built here")


def test_the_compiled_signature_runs_where_it_is_built():
    assert minhash.COMPILED == BUILT
    print("compiled MinHash core" if minhash.COMPILED else "Python text_signature (the extension is not built)")


@compiled_only
@pytest.mark.parametrize("vector_extensions", [True, False], ids=["avx2", "portable-loop"])
@pytest.mark.parametrize("sha_extensions", [True, False], ids=["sha-ni", "portable"])
def test_the_compiled_signature_is_the_python_ones(sha_extensions, vector_extensions):
    """Real texts (normalised or raw, several blocks long), any UTF-8 text, shingles of 1-40 characters (up to
    160 bytes: SHA-1's padding in a second and third block), empty and shorter-than-a-shingle texts; with
    the CPU's SHA extensions (where it has them) and with the portable compression, and the permutations'
    loop on AVX2 (where the CPU has it) and portable."""
    core = minhash.CORE
    assert core is not None
    running = core.sha_extensions(), core.vector_extensions()
    try:
        core.sha_extensions(sha_extensions)
        core.vector_extensions(vector_extensions)
        print("SHA-NI" if core.sha_extensions() else "portable SHA-1",
              "AVX2" if core.vector_extensions() else "portable loop")
        signatures_are_the_python_ones()
    finally:
        core.sha_extensions(running[0])
        core.vector_extensions(running[1])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(TEXTS).map(normalise), st.sampled_from(TEXTS),
                 st.text(st.characters(codec="utf-8"), max_size=80)),
       st.integers(1, 40), st.sampled_from([1, 16, 128]), st.integers(1, 3))
def signatures_are_the_python_ones(text, size, num_perm, seed):
    compiled, reference = text_signature(text, size, num_perm, seed), text_signature_py(text, size, num_perm, seed)
    assert compiled.dtype == reference.dtype and compiled.tolist() == reference.tolist()
