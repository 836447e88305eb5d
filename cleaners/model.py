"""The values that flow through the cleaning stages.

A raw page becomes a :class:`Page`: its metadata and its articles. Before a page
is split it holds one article with the whole text. Every stage is a pure
function ``(Page, CleanConfig) -> (Page, StageReport)``; the report says what
the stage changed, and the per-article ``repairs`` counters that end up in the
records are summed from the same counts (nothing is tallied twice).

Most stages only rewrite text. :func:`text_stage` lifts a function
``str -> TextChange`` into a stage that runs on every article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

# The repair counters of the record schema, in contract order. A stage may
# report other counts too (shown by `corpus inspect`); only these reach records.
REPAIR_FIELDS: tuple[str, ...] = (
    "mojibake_spans",
    "mojibake_chars_lost",
    "pinyin_removed",
    "chrome_removed",
    "notices_removed",
    "breaks_joined",
    "punctuation_normalized",
    "t2s_changed",
)

MAX_EXAMPLES = 5


def frozen_counts(counts: Mapping[str, int] | None = None) -> Mapping[str, int]:
    """An immutable mapping of the non-zero counts."""
    return MappingProxyType({k: v for k, v in (counts or {}).items() if v})


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself, beyond its text."""

    title: str | None = None
    site: str | None = None
    source_url: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    truncated: bool = False
    declared_chars: int | None = None
    shown_chars: int | None = None
    omitted_chars: int | None = None
    remaining_chars: int | None = None  # not a column: with two of total/shown/remaining, the third follows
    outline: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One article of a page. ``title`` overrides the page title when set.

    ``duplicate_of`` is the index of another article of the same page that
    this one copies (a collection that repeats a speech).
    """

    text: str
    title: str | None = None
    original_script: str | None = None
    repairs: Mapping[str, int] = field(default_factory=frozen_counts)
    duplicate_of: int | None = None
    gaps: tuple[int, ...] = ()  # offsets in ``text`` where the page left text out

    def counted(self, counts: Mapping[str, int]) -> Article:
        merged = Counter(self.repairs)
        merged.update({k: v for k, v in counts.items() if v})
        return replace(self, repairs=frozen_counts(merged))


@dataclass(frozen=True)
class Page:
    """A decoded page on its way through the stages."""

    source_format: str  # "text" or "html"
    meta: Metadata
    articles: tuple[Article, ...]

    @classmethod
    def from_text(cls, text: str, source_format: str = "text") -> Page:
        return cls(source_format=source_format, meta=Metadata(), articles=(Article(text=text),))

    @property
    def text(self) -> str:
        return "\n".join(a.text for a in self.articles)


@dataclass(frozen=True)
class StageReport:
    """What one stage changed: counts by kind and a few examples for people."""

    stage: str
    counts: Mapping[str, int] = field(default_factory=frozen_counts)
    examples: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.counts)


@dataclass(frozen=True)
class TextChange:
    """The result of a text-to-text repair: the new text, counts, examples."""

    text: str
    counts: Mapping[str, int] = field(default_factory=frozen_counts)
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanConfig:
    """Options of a cleaning run: one immutable object, passed to every stage."""

    max_bytes: int = 64 * 1024 * 1024
    opencc_config: str = "t2s.json"


Stage = Callable[[Page, CleanConfig], tuple[Page, StageReport]]


def text_stage(name: str, fix: Callable[[str, CleanConfig], TextChange], labels: bool = False) -> Stage:
    """Make a stage that applies ``fix`` to the text of every article.

    The counts of each article go into that article's ``repairs``; the report
    holds their sum and the first few examples. With ``labels``, the titles and
    the outline items get the same fix (uncounted: ``repairs`` describe the text).
    """

    def label(text: str | None, config: CleanConfig) -> str | None:
        return None if text is None else fix(text, config).text

    def run(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
        total: Counter[str] = Counter()
        examples: list[str] = []
        articles = []
        for article in page.articles:
            change = fix(article.text, config)
            total.update(change.counts)
            examples.extend(change.examples[: MAX_EXAMPLES - len(examples)])
            if change.counts or change.text != article.text:
                fixed = replace(article, text=change.text).counted(change.counts)
            else:  # nothing to change or count: most articles, in most stages
                fixed = article
            if labels:
                fixed = replace(fixed, title=label(fixed.title, config))
            articles.append(fixed)
        report = StageReport(name, frozen_counts(total), tuple(examples))
        if labels:
            page = replace(page, meta=replace(page.meta, title=label(page.meta.title, config),
                                              outline=tuple(label(i, config) for i in page.meta.outline)))
        return replace(page, articles=tuple(articles)), report

    run.__name__ = name
    run.__doc__ = fix.__doc__
    return run
