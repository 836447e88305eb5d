"""``segments_main_is_utf8`` (stops at the first line that settles it) answers as the full count of
``segment_main_codec`` does, on pages whose lines are real text in UTF-8, GB18030 and Big5, some cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.decode.encoding import (
    decode_by_segments,
    decode_bytes,
    segment_main_codec,
    segments_main_is_utf8,
)
from tests.test_decode_detector import encoded, real_lines

LINE = st.tuples(st.integers(min_value=0), st.sampled_from(["utf-8", "gb18030", "big5"]),
                 st.sampled_from(["hans", "hant"]), st.integers(min_value=0, max_value=3))


def page_lines(drawn: list[tuple[int, str, str, int]]) -> list[bytes]:
    """Real lines, each in its codec and script; ``cut`` 1 drops the line's last byte (a bad sequence)."""
    pool = real_lines()
    lines = []
    for index, codec, script, cut in drawn:
        raw = encoded(pool[index % len(pool)], codec, script)
        lines.append((raw[:-1] if cut == 1 and raw else raw) + (b"\r\n" if cut == 2 else b"\n"))
    return lines


@settings(max_examples=400, deadline=None)
@given(drawn=st.lists(LINE, min_size=1, max_size=14))
def test_the_early_answer_is_the_full_counts(drawn):
    lines = page_lines(drawn)
    assert segments_main_is_utf8(lines) == (segment_main_codec(lines) == "utf-8")


@settings(max_examples=150, deadline=None)
@given(drawn=st.lists(LINE, min_size=2, max_size=10))
def test_a_utf8_page_with_legacy_lines_is_still_read_line_by_line(drawn):
    """Where the full counts make UTF-8 the main codec, decoding is the line-by-line reading."""
    raw = b"".join(page_lines(drawn))
    lines = raw.splitlines(keepends=True)
    mixed = decode_by_segments(raw)
    if segment_main_codec(lines) != "utf-8" or mixed is None or raw.isascii():
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_bytes(raw) == mixed
