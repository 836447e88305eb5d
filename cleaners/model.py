"""The values that flow through the cleaning stages.

A raw page becomes a :class:`Page`: its metadata and its articles. Before a page
is split it holds one article with the whole text. Every stage is a pure
function ``(Page, CleanConfig) -> (Page, StageReport)``; the report says what
the stage changed, and the per-article ``repairs`` counters that end up in the
records are summed from the same counts (nothing is tallied twice).

The loop over the articles and the report are :mod:`cleaners.stage`'s:
a stage writes only what it decides for one article.
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
    # Schema version 2: the mojibake of the wild and honest decoding.
    "utf8_as_gbk",
    "gbk_as_latin1",
    "utf8_as_latin1",
    "lost_runs_marked",
    "pua_mapped",
    "bad_bytes_marked",
    "nul_removed",
)

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
    # The names of the site profiles detected on the page (None: not detected yet; see cleaners.structure.site).
    profiles: tuple[str, ...] | None = None
    language: str | None = None  # ISO 639-1, set by the language stage
    language_confidence: float = 0.0
    # Names the markup gives for the site (the segments after the title in <title>), last first: candidates
    # of the site vote (cleaners.structure.site_vote), not a column.
    site_hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One article of a page. ``title`` overrides the page title when set.

    ``duplicate_of`` is the index of another article of the same page that
    this one copies (a collection that repeats a speech). ``source_url``,
    ``published_at`` and ``author`` override the page's for this article (the
    items of a feed each have their own).
    """

    text: str
    title: str | None = None
    original_script: str | None = None
    repairs: Mapping[str, int] = field(default_factory=frozen_counts)
    duplicate_of: int | None = None
    # Per-article metadata (a feed's items): preferred over the page's when set.
    source_url: str | None = None
    published_at: datetime | None = None
    author: str | None = None
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

    max_bytes: int = 64 * 1024 * 1024  # a larger file is quarantined ``too_large`` (``--max-file-size``)
    opencc_config: str = "t2s.json"
    # Wall-clock seconds one file (all its items) may take to clean; beyond, it is quarantined
    # ``too_complex`` and the chunk goes on (``--file-time-budget``; 0 for no budget).
    file_seconds: float = 300.0
    # A page (file or container item) with a longer line is quarantined ``too_large`` unread: cleaning a line
    # costs memory in proportion to its length squared in places (n-gram counts) (``--max-line-size``).
    max_line_bytes: int = 8 * 1024 * 1024
    # A page in another language than Chinese: "keep" it, untouched by the Chinese-only stages,
    # or "quarantine" it with reason ``not_chinese`` (``corpus ingest --not-chinese quarantine``).
    not_chinese: str = "keep"


Stage = Callable[[Page, CleanConfig], tuple[Page, StageReport]]
