"""Body precision, recall and F1 on the real-page development set: our pipeline against trafilatura.

Character level, as a bag of characters (whitespace dropped, NFKC-folded so
that full- and half-width punctuation count alike): precision is the share of
the extracted characters that the expected body holds, recall the share of the
expected body that was extracted; the set's figures sum over its pages.
``python -m benchmarks.extraction`` prints a table per page and the totals.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
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


def main() -> None:
    totals = {"ours": Overlap(0, 0, 0), "trafilatura": Overlap(0, 0, 0)}
    print(f"{'page':14} {'ours P/R/F1':>20} {'trafilatura P/R/F1':>22}")
    for name, raw, expected in dev_pages():
        row = []
        for label, extract in (("ours", ours), ("trafilatura", trafilatura_alone)):
            o = overlap(extract(raw), expected["body"])
            totals[label] = totals[label] + o
            row.append(f"{o.precision:.2f}/{o.recall:.2f}/{o.f1:.2f}")
        print(f"{name:14} {row[0]:>20} {row[1]:>22}")
    for label, o in totals.items():
        print(f"{label:12} precision {o.precision:.3f} recall {o.recall:.3f} F1 {o.f1:.3f}")


if __name__ == "__main__":
    main()
