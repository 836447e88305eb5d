"""The order of the cleaning stages, declared once, and the entry points.

``clean_bytes`` takes the raw bytes of one page to its cleaned articles and the
report of every stage. It is pure: no files, no Prefect. Adding a stage means
writing one function and putting its name in :data:`STAGES` where it belongs
(mojibake and pinyin repairs before anything that changes characters or
punctuation; chrome before splitting; splitting before per-article layout;
Simplified conversion late; the final tidy last).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from cleaners.decode.encoding import Decoded, decode_bytes
from cleaners.errors import Rejected
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
from cleaners.repair.gbk_as_latin1 import repair_gbk_as_latin1
from cleaners.repair.lost_runs import repair_lost_runs
from cleaners.repair.misaligned_gbk import repair_mojibake
from cleaners.repair.pinyin import remove_pinyin
from cleaners.repair.private_use import repair_private_use
from cleaners.repair.utf8_as_gbk import repair_utf8_as_gbk
from cleaners.repair.utf8_as_latin1 import repair_utf8_as_latin1
from cleaners.stage import MAX_EXAMPLES, run_on_articles, text_stage
from cleaners.structure.chrome import strip_chrome
from cleaners.structure.collection import split_collection
from cleaners.structure.duplicates import mark_duplicate_parts
from cleaners.structure.feed import feed_items, feed_time, looks_like_feed
from cleaners.structure.gaps import record_gaps
from cleaners.structure.head import read_head
from cleaners.structure.html import extract_page, looks_like_html, markup_start
from cleaners.structure.names import article_title, author_name
from cleaners.structure.notices import strip_notices
from cleaners.structure.outline import extract_outline
from cleaners.structure.reflow import reflow_lines
from cleaners.structure.site_vote import title_element_sites
from cleaners.text.language import identify_language
from cleaners.text.layout import normalize_line_endings, tidy_paragraphs
from cleaners.text.masks import count_masks
from cleaners.text.punctuation import normalize_punctuation
from cleaners.text.simplify import simplified_text, to_simplified


def extract_html(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """An HTML page becomes its main text; title, time, author, site and URL of its markup become metadata.

    A feed (RSS, Atom, RDF) becomes one article per item, each with its own
    title, link, time and author. Titles lose their site suffixes and authors
    that are no names are dropped (:mod:`cleaners.structure.names`).
    """
    if page.source_format != "html":
        return page, StageReport("extract_html")
    start = markup_start(page.text) or 0
    if looks_like_feed(page.text[start:]):
        return extract_feed(page, page.text[start:])
    html = extract_page(page.text)
    found: dict[str, Any] = {"title": article_title(html.title, html.site), "published_at": html.published_at,
                             "author": author_name(html.author, html.site), "site": html.site, "source_url": html.url}
    meta = replace(page.meta, **{k: getattr(page.meta, k) or v for k, v in found.items()},
                   site_hints=title_element_sites(page.text[start:]))
    counts = {"markup_chars_removed": len(page.text) - len(html.text), "furniture_removed": html.removed_blocks}
    examples = tuple(f"{k}: {v}" for k, v in found.items() if v)
    report = StageReport("extract_html", frozen_counts(counts), examples)
    return replace(page, meta=meta, articles=(Article(text=html.text),)), report


def extract_feed(page: Page, text: str) -> tuple[Page, StageReport]:
    """One article per feed item: its text from its HTML content, its own title, link, time and author."""
    articles = tuple(
        Article(text=extract_page(item.html_or_text).text if item.html_or_text.strip() else "",
                title=article_title(item.title), source_url=item.link,
                published_at=feed_time(item.published),
                author=author_name(item.author))
        for item in feed_items(text)
    )
    kept = sum(len(a.text) for a in articles)
    counts = {"markup_chars_removed": len(page.text) - kept, "feed_items": len(articles)}
    examples = tuple(f"item {i + 1}: {a.title}" for i, a in enumerate(articles[:MAX_EXAMPLES]))
    return replace(page, articles=articles or (Article(text=""),)), StageReport(
        "extract_html", frozen_counts(counts), examples)


def convert_to_simplified(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """OpenCC t2s with the 著 fix on every article; records each article's original script.

    Titles, authors, the site's name and outline items are converted too, so that
    every string a record carries is Simplified.
    """

    def fix(index: int, article: Article, meta: Metadata) -> tuple[TextChange, Metadata]:
        change, script = to_simplified(article.text, config)
        scripts.append(script)
        return change, meta

    scripts: list[str] = []
    page, report = run_on_articles("convert_to_simplified", page, fix)
    articles = tuple(replace(a, title=simplified(a.title, config), author=simplified(a.author, config),
                             original_script=script)
                     for a, script in zip(page.articles, scripts, strict=True))
    meta = replace(
        page.meta,
        title=simplified(page.meta.title, config),
        author=simplified(page.meta.author, config),
        site=simplified(page.meta.site, config),
        outline=tuple(simplified_text(item, config) for item in page.meta.outline),
    )
    return replace(page, meta=meta, articles=articles), report


def simplified(text: str | None, config: CleanConfig) -> str | None:
    return None if text is None else simplified_text(text, config)


# The repairs of the mojibake of the wild, in the order they run (the round-trip tests run the same).
WILD_REPAIRS: tuple[tuple[str, Callable[[str, CleanConfig], TextChange]], ...] = (
    ("repair_lost_runs", repair_lost_runs),
    ("repair_utf8_as_latin1", repair_utf8_as_latin1),
    ("repair_gbk_as_latin1", repair_gbk_as_latin1),
    ("repair_utf8_as_gbk", repair_utf8_as_gbk),
    ("repair_private_use", repair_private_use),
)


# The order of the stages. Later issues insert theirs here.
STAGES: tuple[Stage, ...] = (
    text_stage("normalize_line_endings", normalize_line_endings),
    extract_html,
    # Byte-level repairs first: they need the exact half-width punctuation and the annotations.
    text_stage("repair_mojibake", repair_mojibake),
    # The mojibake of the wild, line by line and span by span, before t2s can "simplify" it.
    *(text_stage(name, fix) for name, fix in WILD_REPAIRS),
    # Language once the bytes read right (GBK read as Latin-1 looks like French), before anything
    # Chinese-specific: other languages skip CHINESE_ONLY.
    identify_language,
    text_stage("remove_pinyin", remove_pinyin),
    # Page structure: articles, outline, notices and chrome into metadata, layout, masks.
    split_collection,
    extract_outline,
    strip_notices,
    read_head,  # title, site, author read while the banners, footers and bylines are still there
    strip_chrome,
    reflow_lines,
    text_stage("count_masks", count_masks),
    mark_duplicate_parts,
    # Characters last: punctuation width, then script.
    text_stage("normalize_punctuation", normalize_punctuation, labels=True),
    convert_to_simplified,
    text_stage("tidy_paragraphs", tidy_paragraphs),
    record_gaps,  # after the last stage that moves text: the offsets are those of the record
)


# Stages that assume Chinese text (pinyin, Chinese headings and notices, line joining without
# spaces, full-width punctuation, t2s): a page in another language is kept as it is by them.
CHINESE_ONLY = frozenset({"remove_pinyin", "split_collection", "extract_outline", "strip_notices", "reflow_lines",
                          "count_masks", "normalize_punctuation", "convert_to_simplified"})


def applies_to(stage: Stage, page: Page) -> bool:
    """Whether ``stage`` runs on ``page``: every stage on Chinese (or not yet identified) pages."""
    return page.meta.language in (None, "zh") or stage.__name__ not in CHINESE_ONLY


@dataclass(frozen=True)
class CleanedPage:
    """A page after every stage: its decoding, metadata, articles and the stage reports."""

    decoded: Decoded
    page: Page
    reports: tuple[StageReport, ...]


DEFAULT_CONFIG = CleanConfig()


def clean_text(text: str, source_format: str, config: CleanConfig = DEFAULT_CONFIG,
               stages: tuple[Stage, ...] = STAGES) -> tuple[Page, tuple[StageReport, ...]]:
    """Run the stages over a decoded page."""
    page = Page.from_text(text, source_format)
    reports = []
    for stage in stages:
        if not applies_to(stage, page):
            continue
        page, report = stage(page, config)
        reports.append(report)
    return page, tuple(reports)


def clean_bytes(raw: bytes, config: CleanConfig = DEFAULT_CONFIG, hint: str | None = None) -> CleanedPage:
    """Raw bytes of one page to its cleaned articles, or raise :class:`Rejected`.

    ``hint`` is the charset the page's container declares (a WARC response's ``Content-Type``).
    """
    if len(raw) > config.max_bytes:
        raise Rejected("too_large", too_large_detail(len(raw), config))
    decoded = decode_bytes(raw, hint=hint)
    source_format = "html" if looks_like_html(decoded.text) else "text"
    page, reports = clean_text(decoded.text, source_format, config)
    reject_not_chinese(page, config)
    decode_report = StageReport(
        "decode",
        frozen_counts(decoded.counts),
        (f"{decoded.encoding} (confidence {decoded.confidence:.2f})",),
    )
    if decoded.cut_at_end:
        page = mark_cut_at_end(page, decoded.chars_lost)
    if decoded.bad_bytes or decoded.nul_removed:
        first = page.articles[0].counted({"bad_bytes_marked": decoded.bad_bytes, "nul_removed": decoded.nul_removed})
        page = replace(page, articles=(first, *page.articles[1:]))
    articles = drop_empty_articles(page.articles)
    if not articles:
        raise Rejected("no_text", f"the page decodes as {decoded.encoding} but no article text is left "
                                  "once markup and page chrome are removed.")
    return CleanedPage(decoded, replace(page, articles=articles), (decode_report, *reports))


def reject_not_chinese(page: Page, config: CleanConfig) -> None:
    """Raise ``Rejected('not_chinese')`` for a page in another language when the run asks for it.

    A Chinese article quoting English is Chinese (the language stage judges the
    page's letters by script first), and so is a page whose language is unknown.
    """
    language = page.meta.language
    if config.not_chinese != "quarantine" or language in (None, "zh"):
        return
    raise Rejected("not_chinese", f"the page is in language '{language}' (confidence "
                                  f"{page.meta.language_confidence:.2f}), not Chinese, and this run quarantines "
                                  "other languages (--not-chinese quarantine); ingest it with --not-chinese keep "
                                  "to keep it as it is.")


def drop_empty_articles(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Articles with text; an empty one hands its counts to the article before it (or after it).

    The records of a page must add up to what the stages reported, and a
    ``duplicate_of`` index must still name the same article.
    """
    kept = [i for i, a in enumerate(articles) if a.text.strip()]
    if len(kept) == len(articles) or not kept:
        return tuple(articles[i] for i in kept)
    position = {old: new for new, old in enumerate(kept)}
    result = [articles[i] for i in kept]
    for i, article in enumerate(articles):
        if i not in position and article.repairs:
            host = max((k for k in kept if k < i), default=kept[0])
            result[position[host]] = result[position[host]].counted(article.repairs)
    return tuple(replace(a, duplicate_of=position.get(a.duplicate_of)) if a.duplicate_of is not None else a
                 for a in result)


def mark_cut_at_end(page: Page, chars_lost: int) -> Page:
    """A multibyte sequence cut at the end of the file: the page is visibly truncated."""
    last = page.articles[-1].counted({"mojibake_chars_lost": chars_lost})
    return replace(page, meta=replace(page.meta, truncated=True), articles=(*page.articles[:-1], last))


def too_large_detail(size: int, config: CleanConfig) -> str:
    return (f"the file holds {size:,} bytes, more than the limit of {config.max_bytes:,}; "
            "split it, or raise the limit if it really is one page (corpus ingest/nightly "
            f"--max-file-size {max(size, config.max_bytes) + 1}, or CleanConfig.max_bytes).")
