"""The byte-level repairs on the real damaged pages 002 and 003 (ARTIFACTS §1, §2, §8).

Each of the 42 spans of ARTIFACTS §2.8 is checked on its own: the repaired line
must hold the table's repaired text (in Simplified), or that text with some
characters replaced by U+FFFD, never anything else. Of the 41 spans in article
text (003:9 is in a chrome blurb), at least 40 must be exact.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc
import pytest

from cleaners.chinese import HAN_BASIC
from cleaners.model import CleanConfig
from cleaners.repair.annotation import ANNOTATION, ORPHAN, has_tone_mark
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from cleaners.text.punctuation import normalize_punctuation
from tests.conftest import seed_text

T2S = opencc.OpenCC("t2s.json")
SPANS_FILE = Path(__file__).resolve().parent / "data" / "mojibake_spans.tsv"
REPAIR_STAGES = (repair_mojibake, remove_pinyin, normalize_punctuation)
FOLD = str.maketrans("，：；？！（）", ",:;?!()")
IN_CHROME = {("003", 9)}


def load_spans() -> list[dict]:
    rows = []
    for line in SPANS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        n, page, number, trigger, left, damaged, right, repaired = line.split("\t")
        rows.append(dict(n=int(n), page=page, line=int(number), trigger=trigger, left=left,
                         damaged=damaged, right=right, repaired=repaired))
    return rows


SPANS = load_spans()


@lru_cache(maxsize=2)
def repaired_page(prefix: str) -> tuple[str, ...]:
    text = seed_text(prefix)
    for stage in REPAIR_STAGES:
        text = stage(text, CleanConfig()).text
    return tuple(text.split("\n"))


def simplified(text: str) -> str:
    return T2S.convert(text).translate(FOLD)


def left_tail(left: str) -> str:
    """The context before a span without the tail of an annotation (``n)變`` → ``變``)."""
    return left.rsplit(")", 1)[-1]


def expected_text(span: dict) -> str:
    return simplified(left_tail(span["left"]) + span["repaired"])


def span_pattern(span: dict) -> re.Pattern[str]:
    """The expected text where any character of the repaired part may be U+FFFD (or a run of them,
    where the repair could not tell how many characters dropped pairs hid)."""
    head = re.escape(simplified(left_tail(span["left"])))
    body = "".join(f"(?:{re.escape(c)}|\ufffd+)" for c in simplified(span["repaired"]))
    return re.compile(head + body)


def same_place(span: dict) -> int:
    """How many spans of the table have the same line and text (002:19 holds one twice)."""
    return sum(1 for s in SPANS if (s["page"], s["line"], s["damaged"]) == (span["page"], span["line"], span["damaged"]))


def test_the_span_table_matches_the_raw_pages():
    assert len(SPANS) == 42
    for span in SPANS:
        raw = seed_text(span["page"]).split("\n")[span["line"] - 1]
        assert span["left"] + span["damaged"] + span["right"] in raw, span


@pytest.mark.parametrize("span", SPANS, ids=[f"{s['n']}-{s['page']}:{s['line']}" for s in SPANS])
def test_each_span_is_repaired_or_marked_never_garbage(span):
    out = simplified(repaired_page(span["page"])[span["line"] - 1])
    found = span_pattern(span).findall(out)
    assert len(found) >= same_place(span), f"{span['damaged']} → expected {expected_text(span)} in {out[:200]}"


def test_at_least_40_of_the_41_article_spans_come_out_exact():
    exact = 0
    for span in SPANS:
        if (span["page"], span["line"]) in IN_CHROME:
            continue
        out = simplified(repaired_page(span["page"])[span["line"] - 1])
        exact += out.count(expected_text(span)) >= same_place(span)
    assert exact >= 40


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_no_pinyin_annotation_is_left(prefix):
    text = "\n".join(repaired_page(prefix))
    assert not ANNOTATION.search(text)
    # nor an orphan or displaced one: a tone-marked reading closed by a bracket
    leftovers = [m.group(0) for m in ORPHAN.finditer(text) if has_tone_mark(m.group(1))]
    assert not leftovers


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_no_mojibake_characters_are_left(prefix):
    text = "\n".join(repaired_page(prefix))
    assert not re.search(r"[\u3040-\u30ff]", text), "kana"
    assert not re.search(r"[\u0400-\u04ff]", text), "Cyrillic"
    assert not re.search(r"[\u3100-\u312f\u31a0-\u31bf]", text), "bopomofo"
    assert not re.search(r"[\u2170-\u217f]", text), "small roman numerals"
    assert not re.search(r"[\ue000-\uf8ff]", text), "private use"


def test_only_the_two_real_questions_keep_a_question_mark_beside_chinese():
    han = re.compile(f"[{HAN_BASIC}]")
    contexts = []
    for prefix in ("002", "003"):
        for line in repaired_page(prefix):
            for i, char in enumerate(line):
                if char in "?？" and (han.match(line[i - 1:i] or " ") or han.match(line[i + 1:i + 2] or " ")):
                    contexts.append((prefix, line[i - 2:i + 3]))
    assert sorted(contexts) == [("003", "準備？看一"), ("003", "稿呢？下面")]


def test_counts_are_reported():
    change = repair_mojibake(seed_text("002"), CleanConfig())
    assert change.counts["mojibake_spans"] == 32
    change = repair_mojibake(seed_text("003"), CleanConfig())
    assert change.counts["mojibake_spans"] == 10
    removed = remove_pinyin(repair_mojibake(seed_text("003"), CleanConfig()).text, CleanConfig())
    assert removed.counts["pinyin_removed"] == 2227


def annotated(text: str, dictionary: dict[str, str]) -> str:
    """Clean text as the sites print it: ``字(zì)`` after listed characters, half-width marks."""
    return "".join(f"{c}({dictionary[c]})" if c in dictionary else c for c in text).translate(HALF)


HALF = str.maketrans("，！？；：（）", ",!?;:()")


def test_a_question_before_an_annotated_parenthetical_is_not_a_span():
    # 什麼呢?(優(yōu)質25篇): the ( after a real ? is not the A3A8 pair of a shifted run.
    from tests.roundtrip import script_variant, site_dictionary

    docs = script_variant("s2t")
    lines = []
    for doc, after in zip(docs, docs[1:], strict=False):
        for question in re.findall(r"[^。？！\n]{4,40}？", doc):
            lines.append(annotated(f"{question}（{after[:12]}）", site_dictionary()))
    assert len(lines) >= 40
    text = "\n".join(lines)
    change = repair_mojibake(text, CleanConfig())
    assert change.text == text
    assert change.counts.get("mojibake_spans", 0) == 0
