"""The order of the cleaning stages, declared once, and the entry points.

``clean_bytes`` takes the raw bytes of one page to its cleaned articles and the
report of every stage. It is pure: no files, no Prefect. Adding a stage means
writing one function and putting its name in :data:`STAGES` where it belongs
(mojibake and pinyin repairs before anything that changes characters or
punctuation; chrome before splitting; splitting before per-article layout;
Simplified conversion late; the final tidy last).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cleaners.decode import Decoded, decode_bytes
from cleaners.errors import Rejected
from cleaners.html import html_text, html_title, looks_like_html, parse_html
from cleaners.layout import normalize_line_endings, tidy_paragraphs
from cleaners.model import (
    Article,
    CleanConfig,
    Metadata,
    Page,
    Stage,
    StageReport,
    frozen_counts,
    text_stage,
)
from cleaners.mojibake import repair_mojibake
from cleaners.pinyin import remove_pinyin
from cleaners.punctuation import normalize_punctuation
from cleaners.simplify import converter, to_simplified


def extract_html(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """An HTML page becomes its main text; its title becomes metadata."""
    if page.source_format != "html":
        return page, StageReport("extract_html")
    soup = parse_html(page.text)
    title = html_title(soup)
    text = html_text(soup)
    meta = replace(page.meta, title=page.meta.title or title)
    removed = len(page.text) - len(text)
    report = StageReport("extract_html", frozen_counts({"markup_chars_removed": removed}),
                         (f"title: {title}",) if title else ())
    return replace(page, meta=meta, articles=(Article(text=text),)), report


def convert_to_simplified(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """OpenCC t2s with the 著 fix on every article; records each article's original script.

    Titles and outline items are converted too, so that every string a record
    carries is Simplified.
    """
    articles = []
    total = 0
    examples: list[str] = []
    for article in page.articles:
        change, script = to_simplified(article.text, config)
        total += change.counts.get("t2s_changed", 0)
        examples.extend(change.examples[: 5 - len(examples)])
        title = simplified(article.title, config)
        articles.append(
            replace(article, text=change.text, title=title, original_script=script).counted(change.counts)
        )
    meta = replace(
        page.meta,
        title=simplified(page.meta.title, config),
        outline=tuple(simplified(item, config) for item in page.meta.outline),
    )
    report = StageReport("convert_to_simplified", frozen_counts({"t2s_changed": total}), tuple(examples))
    return replace(page, meta=meta, articles=tuple(articles)), report


def simplified(text: str | None, config: CleanConfig) -> str | None:
    if text is None:
        return None
    change, _ = to_simplified(text, config)
    return change.text


# The order of the stages. Later issues insert theirs here.
STAGES: tuple[Stage, ...] = (
    text_stage("normalize_line_endings", normalize_line_endings),
    extract_html,
    text_stage("repair_mojibake", repair_mojibake),
    text_stage("remove_pinyin", remove_pinyin),
    text_stage("normalize_punctuation", normalize_punctuation),
    convert_to_simplified,
    text_stage("tidy_paragraphs", tidy_paragraphs),
)


@dataclass(frozen=True)
class CleanedPage:
    """A page after every stage: its decoding, metadata, articles and the stage reports."""

    decoded: Decoded
    page: Page
    reports: tuple[StageReport, ...]


def clean_text(text: str, source_format: str, config: CleanConfig = CleanConfig(),
               stages: tuple[Stage, ...] = STAGES) -> tuple[Page, tuple[StageReport, ...]]:
    """Run the stages over a decoded page."""
    page = Page.from_text(text, source_format)
    reports = []
    for stage in stages:
        page, report = stage(page, config)
        reports.append(report)
    return page, tuple(reports)


def clean_bytes(raw: bytes, config: CleanConfig = CleanConfig()) -> CleanedPage:
    """Raw bytes of one page to its cleaned articles, or raise :class:`Rejected`."""
    if len(raw) > config.max_bytes:
        raise Rejected("too_large", too_large_detail(len(raw), config))
    decoded = decode_bytes(raw)
    source_format = "html" if looks_like_html(decoded.text) else "text"
    page, reports = clean_text(decoded.text, source_format, config)
    decode_report = StageReport(
        "decode",
        frozen_counts({"mojibake_chars_lost": decoded.chars_lost}),
        (f"{decoded.encoding} (confidence {decoded.confidence:.2f})",),
    )
    if decoded.cut_at_end:
        page = mark_cut_at_end(page, decoded.chars_lost)
    articles = tuple(a for a in page.articles if a.text.strip())
    if not articles:
        raise Rejected("no_text", f"the page decodes as {decoded.encoding} but no article text is left "
                                  "once markup and page chrome are removed.")
    return CleanedPage(decoded, replace(page, articles=articles), (decode_report, *reports))


def mark_cut_at_end(page: Page, chars_lost: int) -> Page:
    """A multibyte sequence cut at the end of the file: the page is visibly truncated."""
    last = page.articles[-1].counted({"mojibake_chars_lost": chars_lost})
    return replace(page, meta=replace(page.meta, truncated=True), articles=(*page.articles[:-1], last))


def too_large_detail(size: int, config: CleanConfig) -> str:
    return (f"the file holds {size:,} bytes, more than the limit of {config.max_bytes:,}; "
            "split it or raise the limit if it really is one page.")
