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

from cleaners.matching.rules import apply_rules, profiles_for, rules_of_kind
from cleaners.model import MAX_EXAMPLES, CleanConfig, Page, StageReport, frozen_counts
from cleaners.structure.metadata import with_captures


def strip_notices(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Remove the notices of every article; record what they declare."""
    profiles = profiles_for(page.text, page.meta.site)
    rules = rules_of_kind(profiles, "notice")
    meta = page.meta
    site = next((p.site for p in profiles if p.site), None)
    if meta.site is None and site:
        meta = replace(meta, site=site)
    total: Counter[str] = Counter()
    examples: list[str] = []
    articles = []
    for article in page.articles:
        outcome = apply_rules(article.text, rules)
        counts = Counter()
        for removal in outcome.removals:
            counts["notices_removed"] += removal.items
            if len(examples) < MAX_EXAMPLES:
                examples.append(f"{removal.rule}: {removal.text[:80]}")
        meta = with_captures(meta, outcome.captures)
        if outcome.truncated:
            meta = replace(meta, truncated=True)
        total.update(counts)
        articles.append(replace(article, text=outcome.text).counted(counts))
    report = StageReport("strip_notices", frozen_counts(total), tuple(examples))
    return replace(page, meta=meta, articles=tuple(articles)), report
