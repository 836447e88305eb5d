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

Counts: ``notices_removed`` per notice (a repair counter of the records).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from cleaners.matching.rules import apply_rules, rules_of_kind
from cleaners.model import Article, CleanConfig, Metadata, Page, StageReport, TextChange, frozen_counts
from cleaners.stage import run_on_articles
from cleaners.structure.metadata import with_captures
from cleaners.structure.site import page_profiles


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
        meta = with_captures(meta, outcome.captures)
        if outcome.truncated:
            meta = replace(meta, truncated=True)
        return TextChange(outcome.text, frozen_counts(counts), tuple(examples)), meta

    return run_on_articles("strip_notices", page, fix)
