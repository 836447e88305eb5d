"""The stage helper: it owns the article loop and the report, a stage writes only its decision.

Every page-level stage used to rebuild the same bookkeeping: walk the
articles, sum their counts, keep the first few examples, count each article's
repairs. :func:`run_on_articles` does it once (like datatrove's
``BaseFilter.run``, which owns iteration and stats); a stage hands it an
:data:`ArticleFix` that says what to do with one article and what the page's
metadata becomes. An article is rebuilt only when its text changed or
something was counted (like ftfy's ``_try_fix``, which records a step only
when the text changed). :func:`text_stage` lifts a plain ``str -> TextChange``
repair into a stage on the same loop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from cleaners.model import (
    Article,
    CleanConfig,
    Metadata,
    Page,
    Stage,
    StageReport,
    TextChange,
    frozen_counts,
)

# The number of examples a stage report keeps for people (`corpus inspect`, the batch summary).
MAX_EXAMPLES = 5

# What a stage decides for one article: (its index, the article, the page's
# metadata so far) -> (the article's new text with counts and examples, the new metadata).
ArticleFix = Callable[[int, Article, Metadata], tuple[TextChange, Metadata]]


def run_on_articles(name: str, page: Page, fix: ArticleFix) -> tuple[Page, StageReport]:
    """Apply ``fix`` to every article in order; the report sums the counts and keeps the first examples."""
    meta = page.meta
    total: Counter[str] = Counter()
    examples: list[str] = []
    articles = []
    for index, article in enumerate(page.articles):
        change, meta = fix(index, article, meta)
        total.update(change.counts)
        examples.extend(change.examples[: MAX_EXAMPLES - len(examples)])
        articles.append(changed_article(article, change))
    report = StageReport(name, frozen_counts(total), tuple(examples))
    if meta is page.meta and all(new is old for new, old in zip(articles, page.articles, strict=True)):
        return page, report  # nothing changed (most stages on most pages): the same frozen page
    return replace(page, meta=meta, articles=tuple(articles)), report


def changed_article(article: Article, change: TextChange) -> Article:
    """The article with the change's text and counts, or the same article when nothing changed."""
    if change.counts or change.text != article.text:
        return replace(article, text=change.text).counted(change.counts)
    return article  # nothing to change or count: most articles, in most stages


def text_stage(name: str, fix: Callable[[str, CleanConfig], TextChange], labels: bool = False) -> Stage:
    """Make a stage that applies ``fix`` to the text of every article.

    The counts of each article go into that article's ``repairs``; the report
    holds their sum and the first few examples. With ``labels``, the titles and
    the outline items get the same fix (uncounted: ``repairs`` describe the text).
    """

    def label(text: str | None, config: CleanConfig) -> str | None:
        return None if text is None else fix(text, config).text

    def run(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
        page, report = run_on_articles(name, page, lambda _, article, meta: (fix(article.text, config), meta))
        if not labels:
            return page, report
        articles = tuple(replace(a, title=label(a.title, config)) for a in page.articles)
        meta = replace(page.meta, title=label(page.meta.title, config),
                       outline=tuple(label(i, config) or "" for i in page.meta.outline))
        return replace(page, meta=meta, articles=articles), report

    run.__name__ = name
    run.__doc__ = fix.__doc__
    return run
