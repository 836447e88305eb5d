"""Time and memory of the duplicate index (``ingest.dedup``) at N records, run by hand.

    python -m benchmarks.dedup_index --records 100000 --batch 10000

Records are 8-20 paragraphs drawn at random from the Debian FAQ prose in
tests/data/prose (seeded), with every tenth record a light edit of an earlier
one. Reports seconds per batch of marks, the process's RSS growth, the pickled
index's size and the seconds to load and write it.
"""

from __future__ import annotations

import argparse
import pickle
import random
import tempfile
import time
from pathlib import Path

import psutil

from ingest.dedup import DuplicateIndex, Record, normalise, write_index

PROSE = Path(__file__).resolve().parent.parent / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"


def make_records(count: int, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    paragraphs = [p.strip() for p in PROSE.read_text(encoding="utf-8").split("\n") if len(normalise(p)) >= 20]
    records: list[Record] = []
    for i in range(count):
        if i % 10 == 9:
            base = records[rng.randrange(len(records))].text
            text = base.replace("。", "。（注）", 1)
        else:
            text = "\n".join(rng.sample(paragraphs, rng.randint(8, 20))) + f"\n编号{i}"
        records.append(Record(f"r{i:07d}", text, complete=True))
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args(argv)
    process = psutil.Process()
    records = make_records(args.records)
    chars = sum(len(r.text) for r in records)
    before = process.memory_info().rss
    index = DuplicateIndex()
    marked = 0
    started = time.perf_counter()
    for start in range(0, len(records), args.batch):
        tick = time.perf_counter()
        marks = index.mark_batch(f"b{start}", records[start:start + args.batch])
        marked += sum(m is not None for m in marks.values())
        print(f"records {start + args.batch:>7}: batch {time.perf_counter() - tick:6.1f} s, "
              f"RSS +{(process.memory_info().rss - before) / 1e6:6.0f} MB", flush=True)
    total = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.pkl"
        tick = time.perf_counter()
        write_index(index, path)
        written = time.perf_counter() - tick
        tick = time.perf_counter()
        with path.open("rb") as stream:
            pickle.load(stream)
        loaded = time.perf_counter() - tick
        size = path.stat().st_size
    print(f"{args.records} records ({chars / 1e6:.0f} M chars), {marked} marked, {total:.1f} s "
          f"({args.records / total:.0f} records/s); index RSS +{(process.memory_info().rss - before) / 1e6:.0f} MB; "
          f"file {size / 1e6:.0f} MB, written in {written:.1f} s, loaded in {loaded:.1f} s")


if __name__ == "__main__":
    main()
