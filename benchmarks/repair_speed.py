"""Speed of the byte-level repair stages (run by hand, not in the test suite).

1. On undamaged text (the Debian FAQ excerpt in Traditional, plus pages 000, 001
   and 004), the three repair stages together against OpenCC t2s on the same text.
2. On page 002 (86 603 characters, 32 spans, 4 621 annotations): MB/s of the
   three stages, UTF-8 bytes of the page per second.
3. With a batch directory (``--batch /tmp/bench/raw-10mb``): ``repair_mojibake``
   alone on every page's text as it reaches the stage (decoded, line endings
   normalised, HTML extracted), split into pages without a shifted run and
   pages with one.

    /work/main/.venv/bin/python benchmarks/repair_speed.py [--batch DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from cleaners.model import CleanConfig  # noqa: E402
from cleaners.repair.misaligned_gbk import repair_mojibake  # noqa: E402
from cleaners.repair.pinyin import remove_pinyin  # noqa: E402
from cleaners.text.punctuation import normalize_punctuation  # noqa: E402
from tests.conftest import seed_text  # noqa: E402
from tests.roundtrip import script_variant  # noqa: E402

CONFIG = CleanConfig()
STAGES = (repair_mojibake, remove_pinyin, normalize_punctuation)


def repair(text: str) -> str:
    for stage in STAGES:
        text = stage(text, CONFIG).text
    return text


def best_of(fn, text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def stage_inputs(batch: Path) -> list[str]:
    """The article texts of every page of ``batch`` as they reach ``repair_mojibake``."""
    from cleaners.decode.encoding import decode_bytes
    from cleaners.errors import Rejected
    from cleaners.pipeline import STAGES, clean_text
    from cleaners.structure.html import looks_like_html

    before = STAGES[: [getattr(s, "__name__", "") for s in STAGES].index("repair_mojibake")]
    texts = []
    for path in sorted(p for p in batch.rglob("*") if p.is_file()):
        try:
            decoded = decode_bytes(path.read_bytes())
        except Rejected:
            continue
        fmt = "html" if looks_like_html(decoded.text) else "text"
        page, _ = clean_text(decoded.text, fmt, CONFIG, before)
        texts.extend(article.text for article in page.articles)
    return texts


def batch_speed(batch: Path) -> None:
    texts = stage_inputs(batch)
    repair_mojibake(texts[0], CONFIG)
    clean, damaged = [], []
    for text in texts:
        (damaged if repair_mojibake(text, CONFIG).counts.get("mojibake_spans") else clean).append(text)
    for name, group in (("pages without a shifted run", clean), ("pages with one", damaged)):
        if not group:
            print(f"{name}: none")
            continue
        size = sum(len(t.encode("utf-8")) for t in group)
        elapsed = min(timed(lambda group=group: [repair_mojibake(t, CONFIG) for t in group]) for _ in range(3))
        print(f"{name}: {len(group)} texts, {size / 1e6:.2f} MB, repair_mojibake {elapsed * 1000:.0f} ms "
              f"= {size / elapsed / 1e6:.1f} MB/s")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=Path, help="a raw batch directory: repair_mojibake on its pages")
    args = parser.parse_args()
    if args.batch:
        batch_speed(args.batch)
        return
    t2s = opencc.OpenCC("t2s.json")
    start = time.perf_counter()
    repair(seed_text("002"))  # loads the GBK tables, the character model, the reading index
    print(f"first call (loads tables and model): {time.perf_counter() - start:.2f} s")

    clean = "\n".join(script_variant("s2t"))
    size = len(clean.encode("utf-8"))
    repair_time = best_of(repair, clean)
    t2s_time = best_of(t2s.convert, clean)
    print(f"undamaged text: {len(clean):,} chars, {size / 1e6:.3f} MB")
    print(f"  repair stages: {repair_time * 1000:.1f} ms ({size / repair_time / 1e6:.2f} MB/s)")
    print(f"  OpenCC t2s:    {t2s_time * 1000:.1f} ms ({size / t2s_time / 1e6:.2f} MB/s)")
    print(f"  ratio repair / t2s: {repair_time / t2s_time:.2f}")

    plain = "\n".join(seed_text(p) for p in ("000", "001", "004"))  # no mojibake, half-width marks
    size = len(plain.encode("utf-8"))
    plain_time, plain_t2s = best_of(repair, plain), best_of(t2s.convert, plain)
    print(f"pages 000+001+004 (half-width marks to convert): {plain_time * 1000:.1f} ms "
          f"({size / plain_time / 1e6:.2f} MB/s), t2s {plain_t2s * 1000:.1f} ms")

    page = seed_text("002")
    size = len(page.encode("utf-8"))
    for stage in STAGES:
        elapsed = best_of(lambda t, stage=stage: stage(t, CONFIG), page, runs=3)
        print(f"page 002 {stage.__name__}: {elapsed * 1000:.0f} ms")
    elapsed = best_of(repair, page, runs=3)
    print(f"page 002: {len(page):,} chars, {size / 1e6:.3f} MB, repair stages {elapsed:.2f} s "
          f"= {size / elapsed / 1e6:.3f} MB/s (t2s: {size / best_of(t2s.convert, page) / 1e6:.2f} MB/s)")


if __name__ == "__main__":
    main()
