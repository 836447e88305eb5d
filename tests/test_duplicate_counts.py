"""mark_duplicate_parts counts 8-grams in numpy (``copied_parts``) as the sets did (``copied_from`` of ``grams``,
the oracle), on collections made of real prose: copies, copies with a word deleted everywhere, subsets of
paragraphs, parts in other scripts, and pages whose letters reach past U+FFFF."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.structure import duplicates
from cleaners.structure.duplicates import copied_from, copied_parts, grams
from tests.roundtrip import prose_documents

PROSE = prose_documents()


def oracle(texts: list[str]) -> list[int | None]:
    return copied_from([grams(text) for text in texts])


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@st.composite
def collections(draw) -> list[str]:
    """Parts of a collection: originals, and parts copied from them the ways model-text collections copy."""
    originals = [draw(st.sampled_from(PROSE))[: draw(st.integers(0, 3000))] for _ in range(draw(st.integers(1, 4)))]
    parts = list(originals)
    for _ in range(draw(st.integers(0, 5))):
        source = draw(st.sampled_from(originals))
        how = draw(st.sampled_from(["same", "deleted", "subset", "prefix", "astral", "noise"]))
        if how == "same":
            parts.append(source)
        elif how == "deleted" and len(source) > 20:
            start = draw(st.integers(0, len(source) - 3))
            parts.append(source.replace(source[start:start + 2], ""))
        elif how == "subset":
            lines = paragraphs(source)
            keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
            parts.append("\n".join(line for line, kept in zip(lines, keep, strict=True) if kept))
        elif how == "prefix":
            parts.append(source[: draw(st.integers(0, len(source)))])
        elif how == "astral":
            parts.append(source + "𠀀𠀁")
        else:
            parts.append(draw(st.text(max_size=60)))
    return draw(st.permutations(parts))


@settings(max_examples=200, deadline=None)
@given(collections())
def test_copied_parts_as_the_sets_say(texts):
    assert copied_parts(texts) == oracle(texts)


@settings(max_examples=50, deadline=None)
@given(collections())
def test_copied_parts_when_every_mix_collides(texts):
    """A mix that makes different pairs collide is caught, and the pairs themselves number the grams."""
    saved = duplicates.MIX
    duplicates.MIX = np.uint64(0)  # the mix is then the second key alone: pairs sharing it collide
    try:
        assert copied_parts(texts) == oracle(texts)
    finally:
        duplicates.MIX = saved


def test_a_copied_part_is_found():
    """As page 002's S3 is six of S8's eleven paragraphs: the part made of some documents of another copies it."""
    documents = sorted(PROSE, key=len)[-6:]
    texts = ["\n".join(documents), "\n".join(documents[1:4]), sorted(PROSE, key=len)[-7]]
    assert copied_parts(texts) == oracle(texts) == [None, 0, None]
