"""Body precision, recall and F1 on the real-page development set: our pipeline against trafilatura.

Character level, as a bag of characters (whitespace dropped, NFKC-folded so
that full- and half-width punctuation count alike): precision is the share of
the extracted characters that the expected body holds, recall the share of the
expected body that was extracted; the set's figures sum over its pages.
``python -m benchmarks.extraction`` prints a table per page and the totals.

Metadata (title, author, publication time) is judged per page against the
hand-written ``title``/``author``/``published_at`` of each page's JSON:
``+`` right, ``x`` a wrong value, ``-`` nothing where the page states a value
(``.`` nothing where it states none: right too). Titles and authors compare
after NFKC and blank folding; a time is right when its day is, and, when the
extractor gives a time of day (not midnight), its minute too.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "realpages"


@dataclass(frozen=True)
class Overlap:
    extracted: int
    expected: int
    common: int

    def __add__(self, other: Overlap) -> Overlap:
        return Overlap(self.extracted + other.extracted, self.expected + other.expected, self.common + other.common)

    @property
    def precision(self) -> float:
        return self.common / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.common / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def characters(text: str) -> Counter:
    return Counter("".join(unicodedata.normalize("NFKC", text or "").split()))


def overlap(extracted: str, expected: str) -> Overlap:
    got, want = characters(extracted), characters(expected)
    return Overlap(sum(got.values()), sum(want.values()), sum((got & want).values()))


def dev_pages() -> list[tuple[str, bytes, dict]]:
    return [(p.stem, p.read_bytes(), json.loads(p.with_suffix(".json").read_text(encoding="utf-8")))
            for p in sorted(PAGES.glob("*.html")) if p.with_suffix(".json").exists()]


def ours(raw: bytes) -> str:
    from cleaners.errors import Rejected
    from cleaners.pipeline import clean_bytes

    try:
        return "\n".join(a.text for a in clean_bytes(raw).page.articles)
    except Rejected:
        return ""


def trafilatura_alone(raw: bytes) -> str:
    import trafilatura

    return trafilatura.extract(raw.decode("utf-8", errors="replace")) or ""


METADATA_FIELDS = ("title", "author", "published_at")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None


def ours_metadata(raw: bytes) -> PageMetadata:
    from cleaners.errors import Rejected
    from cleaners.pipeline import clean_bytes

    try:
        page = clean_bytes(raw).page
    except Rejected:
        return PageMetadata()
    first = page.articles[0]
    return PageMetadata(first.title or page.meta.title, first.author or page.meta.author,
                        first.published_at or page.meta.published_at)


def trafilatura_metadata(raw: bytes) -> PageMetadata:
    import trafilatura

    found = trafilatura.extract_metadata(raw.decode("utf-8", errors="replace"))
    if found is None:
        return PageMetadata()
    return PageMetadata(found.title, found.author, as_time(found.date))


def as_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def folded(value: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def judge(field: str, got: object, want: object) -> str:
    """``+`` right, ``x`` wrong, ``-`` missing, ``.`` rightly none."""
    if got is None or got == "":
        return "." if want is None else "-"
    if want is None:
        return "x"
    if field == "published_at":
        wanted = as_time(want)
        if wanted is None or got.date() != wanted.date():
            return "x"
        if (got.hour, got.minute) != (0, 0) and (got.hour, got.minute) != (wanted.hour, wanted.minute):
            return "x"
        return "+"
    return "+" if folded(got) == folded(want) else "x"


def metadata_marks(found: PageMetadata, expected: dict) -> str:
    return "".join(judge(field, getattr(found, field), expected.get(field)) for field in METADATA_FIELDS)


def main() -> None:
    groups: dict[str, dict[str, Overlap]] = {}
    marks: dict[str, Counter] = {"ours": Counter(), "trafilatura": Counter()}
    print(f"{'page':16} {'ours P/R/F1':>20} {'trafilatura P/R/F1':>22}   metadata (title author time) ours | trafilatura")
    for name, raw, expected in dev_pages():
        row = []
        for group in ("all", expected.get("source", "")):
            groups.setdefault(group, {"ours": Overlap(0, 0, 0), "trafilatura": Overlap(0, 0, 0)})
        for label, extract in (("ours", ours), ("trafilatura", trafilatura_alone)):
            o = overlap(extract(raw), expected["body"])
            for group in ("all", expected.get("source", "")):
                groups[group][label] = groups[group][label] + o
            row.append(f"{o.precision:.2f}/{o.recall:.2f}/{o.f1:.2f}")
        judged = []
        for label, read in (("ours", ours_metadata), ("trafilatura", trafilatura_metadata)):
            page_marks = metadata_marks(read(raw), expected)
            marks[label].update(page_marks)
            judged.append(page_marks)
        print(f"{name:16} {row[0]:>20} {row[1]:>22}   {judged[0]} | {judged[1]}")
    for group, totals in groups.items():
        for label, o in totals.items():
            print(f"{group[:20]:20} {label:12} precision {o.precision:.3f} recall {o.recall:.3f} F1 {o.f1:.3f}")
    for label, counted in marks.items():
        print(f"{label:12} metadata right {counted['+'] + counted['.']}, wrong {counted['x']}, missing {counted['-']}")


if __name__ == "__main__":
    main()
