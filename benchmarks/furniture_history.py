"""What the furniture step's store costs a run as the history grows, run by hand.

    python -m benchmarks.furniture_history --batches 30 --keys 300000

Generated batches share few lines (their pages come from a small pool), so their
stores stay small; real crawls do not: most short lines of real pages are their
own (a paragraph of Chinese is seldom over 120 characters). This builds
``--batches`` earlier batches of ``--keys`` distinct line keys each (lines of
the Debian FAQ with a batch and line number, a tenth of them shared by every
batch: the template), stored as version 1 (every batch's counts as JSON text,
what the step read until store version 2) and as version 2 (a file of 64-bit
keys per batch, ``ingest.furniture_counts``), then times what a new batch of
as many keys does with each: read the earlier counts and find its own lines'
pages. CPU seconds (``time.process_time``) and the RSS it added, each store in
a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.after_chunks import rss_mb

GROUP = "example.com"


def faq_lines() -> list[str]:
    from benchmarks.corpus import faq_paragraphs

    paragraphs, _ = faq_paragraphs()
    lines = [p[:60] for p in paragraphs if p.strip()]
    return lines or ["一行"]


def batch_keys(lines: list[str], batch: int, count: int) -> list[str]:
    shared = count // 10
    own = [f"{lines[i % len(lines)]}{batch}-{i}" for i in range(count - shared)]
    return own + [f"{lines[i % len(lines)]}模板{i}" for i in range(shared)]


def build(folder: Path, batches: int, count: int) -> None:
    from ingest.furniture_counts import LineCounts, pair_keys

    lines = faq_lines()
    v1: dict = {}
    (folder / "v2").mkdir(parents=True)
    for b in range(batches):
        keys = batch_keys(lines, b, count)
        v1[f"b{b:03d}"] = {"after": [], "counts": {GROUP: dict.fromkeys(keys, 1)}}
        LineCounts.of_pages([pair_keys(GROUP, keys)]).save(folder / "v2" / f"b{b:03d}.npy")
    (folder / "v1.json").write_text(json.dumps({"version": 1, "batches": v1}, ensure_ascii=False), "utf-8")
    (folder / "new.json").write_text(json.dumps(batch_keys(lines, batches, count), ensure_ascii=False), "utf-8")


def measure(folder: Path, version: str) -> dict:
    new_keys = json.loads((folder / "new.json").read_text("utf-8"))
    before = rss_mb("VmHWM")
    started = time.process_time()
    if version == "1":
        stored = json.loads((folder / "v1.json").read_text("utf-8"))["batches"]
        total: dict[str, Counter] = {}
        for entry in stored.values():
            for group, keys in entry["counts"].items():
                total.setdefault(group, Counter()).update(keys)
        own = total.setdefault(GROUP, Counter())
        own.update(new_keys)
        recurring = sum(1 for key in new_keys if own[key] >= 2)
    else:
        from ingest.furniture_counts import LineCounts, looked_up, pair_keys

        mine = LineCounts.of_pages([pair_keys(GROUP, new_keys)])
        earlier = (LineCounts.load(path) for path in sorted((folder / "v2").glob("*.npy")))
        recurring = len(looked_up(mine, earlier).at_least(2))
    spent = time.process_time() - started
    peak = rss_mb("VmHWM")  # not ru_maxrss: a child keeps its parent's from before the exec
    return {"version": version, "cpu_s": round(spent, 2), "peak_rss_mb": round(peak),
            "added_mb": round(peak - before), "recurring": recurring}


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.glob("*"))
    return sum(p.stat().st_size for p in files) / 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--keys", type=int, default=300_000, help="distinct line keys per batch")
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "VERSION"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, args.batches, args.keys)
        print(f"{args.batches} earlier batches of {args.keys} line keys; store v1 {size_mb(folder / 'v1.json'):.1f} MB, "
              f"v2 {size_mb(folder / 'v2'):.1f} MB")
        for version in ("1", "2"):
            out = subprocess.run([sys.executable, "-m", "benchmarks.furniture_history", "--measure", tmp, version],
                                 capture_output=True, text=True, check=True, env=os.environ)
            print(out.stdout.strip())


if __name__ == "__main__":
    main()
