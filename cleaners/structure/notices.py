"""Stage ``strip_notices``: paywall and preview notices leave the text and become metadata.

A notice is the site talking about the article: ``……(新文秘网…省略762字,正式会员可完整阅读)……``,
``(未完,全文共4061字,当前仅显示2139字…``, `` ……略…… ``, ``登录后查看全文``,
``预览结束,免费获取全文…``. Each is removed; what it says goes to ``truncated``,
``declared_chars``, ``shown_chars`` and ``omitted_chars``; the site of the
detected profile goes to ``site``. The rules are the
``[[notice]]`` tables of the site profiles that match the page and of the
generic rules (see :mod:`cleaners.matching.rules`).

Where a notice stands for missing text (a ``gap`` rule), every word on both
sides of it is kept, word for word, on separate lines (never joined into one
sentence), and the place becomes an offset of the record's ``gaps``
(:mod:`cleaners.structure.gaps`). Every notice family does the same.

A length is read on its own wherever the notice states it (:func:`length_in_chars`):
digits with thousands separators or a decimal point, a scale (千, 万) and a
unit (字, 字符; 页 is a number of pages, not of characters, and is not
recorded). A value beyond the int32 columns is ignored and counted, never a crash.

A page cut inside an inline pinyin annotation (``…工會組織的(zǔ``, then the
notice) leaves the start of the annotation at the truncation point; the pinyin
stage cannot tell it from a bracket, so it goes here (:func:`without_cut_annotation`)
from every line a notice ended or followed.

Counts: ``notices_removed`` per notice (a repair counter of the records),
``lengths_ignored`` per stated length that is no character count or is out of range,
``cut_annotations_removed``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from cleaners.chinese import HAN
from cleaners.matching.fold import fold
from cleaners.matching.rules import apply_rules, rules_of_kind
from cleaners.model import Article, CleanConfig, Metadata, Page, StageReport, TextChange, frozen_counts
from cleaners.repair.annotation import PINYIN
from cleaners.stage import run_on_articles
from cleaners.structure.metadata import with_captures
from cleaners.structure.site import page_profiles

LENGTH_FIELDS = frozenset({"declared", "shown", "remaining", "omitted"})
INT32_MAX = 2**31 - 1
LENGTH = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>千|万)?\s*(?P<unit>字符|字|页)?")
SCALES = {None: 1, "千": 1000, "万": 10000}


def length_in_chars(value: str) -> int | None:
    """The number of characters a stated length gives, or None (pages, unreadable, out of int32 range).

    >>> length_in_chars("762"), length_in_chars("3.5千字"), length_in_chars("1,200字符"), length_in_chars("１２萬字")
    (762, 3500, 1200, 120000)
    >>> length_in_chars("12页") is None, length_in_chars("99999999999字") is None
    (True, True)
    """
    match = LENGTH.fullmatch(fold(value.strip()))
    if match is None or match["unit"] == "页":
        return None
    try:
        chars = round(float(match["number"].replace(",", "")) * SCALES[match["scale"]])
    except ValueError:
        return None
    return chars if 0 <= chars <= INT32_MAX else None


def lengths_read(captures: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], int]:
    """The captures with each stated length as its number of characters; how many were ignored."""
    kept, ignored = [], 0
    for name, value in captures:
        if name in LENGTH_FIELDS:
            chars = length_in_chars(value)
            if chars is None:
                ignored += 1
                continue
            value = str(chars)
        kept.append((name, value))
    return kept, ignored


CUT_ANNOTATION = re.compile(rf"(?<=[{HAN}])[(（][{PINYIN}]{{0,6}}[ \t]*$", re.M)


def without_cut_annotation(text: str) -> tuple[str, int]:
    """The text without the start of an annotation at the end of any line, and how many were there.

    >>> without_cut_annotation("要推進工會組織的(zǔ\\n下一行(個人)")
    ('要推進工會組織的\\n下一行(個人)', 1)
    """
    return CUT_ANNOTATION.subn("", text)


def strip_notices(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Remove the notices of every article; record what they declare."""
    page, profiles = page_profiles(page)
    rules = rules_of_kind(profiles, "notice")

    def fix(index: int, article: Article, meta: Metadata) -> tuple[TextChange, Metadata]:
        outcome = apply_rules(article.text, rules)
        counts: Counter[str] = Counter()
        examples = []
        for removal in outcome.removals:
            counts["notices_removed"] += removal.items
            examples.append(f"{removal.rule}: {removal.text[:80]}")
        text = outcome.text
        if outcome.removals:
            text, cut = without_cut_annotation(text)
            counts["cut_annotations_removed"] += cut
        captures, ignored = lengths_read(outcome.captures)
        if ignored:
            counts["lengths_ignored"] += ignored
        meta = with_captures(meta, captures)
        if outcome.truncated:
            meta = replace(meta, truncated=True)
        return TextChange(text, frozen_counts(counts), tuple(examples)), meta

    return run_on_articles("strip_notices", page, fix)
