"""Speed of the byte-level repair stages (run by hand, not in the test suite).

1. On undamaged text (the Debian FAQ excerpt in Traditional, plus pages 000, 001
   and 004), the three repair stages together against OpenCC t2s on the same text.
2. On page 002 (86 603 characters, 32 spans, 4 621 annotations): MB/s of the
   three stages, UTF-8 bytes of the page per second.

    /work/main/.venv/bin/python benchmarks/repair_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from cleaners.model import CleanConfig  # noqa: E402
from cleaners.mojibake import repair_mojibake  # noqa: E402
from cleaners.pinyin import remove_pinyin  # noqa: E402
from cleaners.punctuation import normalize_punctuation  # noqa: E402
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


def main() -> None:
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
        elapsed = best_of(lambda t: stage(t, CONFIG), page, runs=3)
        print(f"page 002 {stage.__name__}: {elapsed * 1000:.0f} ms")
    elapsed = best_of(repair, page, runs=3)
    print(f"page 002: {len(page):,} chars, {size / 1e6:.3f} MB, repair stages {elapsed:.2f} s "
          f"= {size / elapsed / 1e6:.3f} MB/s (t2s: {size / best_of(t2s.convert, page) / 1e6:.2f} MB/s)")


if __name__ == "__main__":
    main()
