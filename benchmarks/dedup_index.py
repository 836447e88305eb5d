"""Time and memory of the duplicate index (``ingest.dedup``) after N earlier batches, run by hand.

    python -m benchmarks.dedup_index build /tmp/dedup-store --batches 30 --batch 10000
    python -m benchmarks.dedup_index measure /tmp/dedup-store --batches 30 --batch 10000

``build`` stores the index of ``--batches`` batches of ``--batch`` records in an output directory's
``.dedup`` as the code on the path keeps it (format 4 or 5, segments, ``ingest.dedup_segments``;
or, on code before it, the pickled ``index.pkl``), a batch at a time as the nightly flow does.
``measure`` then does what the flow does for one more batch: load the index covering those batches,
mark the next batch's records and write the grown index into a staging directory; it reports the
seconds (wall and CPU), the process's RSS growth over the step (at its end and at its peak) and the
index's bytes on disk. Run ``measure`` of old and new code alternately (``PYTHONPATH`` naming the old
checkout, this file run by its path) on stores each built by its own code. ``--keyed``: the records come
with their keys made, as the chunk workers stage them for the flow, so only the index's work is timed.

Records are 8-20 paragraphs drawn at random from the Debian FAQ prose in tests/data/prose (seeded),
with every tenth record a light edit of one of the last few thousand records (so copies cross batches)
and every fiftieth a truncated (damaged) copy, which a later complete copy takes over. The records of a
batch are made from the seed alone, the batches before it made and dropped, so the flow's memory holds
only the batch it marks.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psutil

import ingest.dedup
from ingest.dedup import INDEX_DIR, DedupConfig, Record, normalise, record_keys

SEGMENTS = not hasattr(ingest.dedup, "load_index")  # the code before format 4 pickled one DuplicateIndex
if SEGMENTS:
    from ingest.dedup_segments import SegmentIndex as NewIndex
    from ingest.dedup_segments import load_index, write_index
else:
    from ingest.dedup import DuplicateIndex as NewIndex  # type: ignore[assignment]
    from ingest.dedup import load_index, write_index  # type: ignore[attr-defined,no-redef]

PROSE = Path(__file__).resolve().parent.parent / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"
POOL = 5000  # the latest records an edit may copy


def batches(count: int, size: int, seed: int = 7) -> Iterator[list[Record]]:
    """``count`` batches of ``size`` records, made one at a time from the seed."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for p in PROSE.read_text(encoding="utf-8").split("\n") if len(normalise(p)) >= 20]
    pool: list[str] = []
    n = 0
    for _ in range(count):
        records = []
        for _ in range(size):
            complete = True
            if n % 10 == 9 and pool:
                text = pool[rng.randrange(len(pool))].replace("。", "。（注）", 1)
            elif n % 50 == 49 and pool:
                base = pool[rng.randrange(len(pool))]
                text, complete = base[:len(base) // 2], False
            else:
                text = "\n".join(rng.sample(paragraphs, rng.randint(8, 20))) + f"\n编号{n}"
            pool.append(text)
            if len(pool) > POOL:
                del pool[:len(pool) - POOL]
            records.append(Record(f"r{n:08d}", text, complete=complete))
            n += 1
        yield records


def store_dir(out: Path) -> Path:
    return out / INDEX_DIR if SEGMENTS else out / INDEX_DIR / "index.pkl"


def commit(out: Path, index: object) -> None:
    """Stage the index and rename it into place, as the batch commit does."""
    staged = out / ".staging" / INDEX_DIR
    shutil.rmtree(staged.parent, ignore_errors=True)
    write_index(index, staged if SEGMENTS else staged / "index.pkl")  # type: ignore[arg-type]
    if (out / INDEX_DIR).exists():
        os.rename(out / INDEX_DIR, out / ".aside")
    os.rename(staged, out / INDEX_DIR)
    shutil.rmtree(out / ".aside", ignore_errors=True)
    shutil.rmtree(staged.parent, ignore_errors=True)


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(out: Path, count: int, size: int) -> None:
    config = DedupConfig()
    started = time.perf_counter()
    index = NewIndex(config)
    steps: list[tuple[float, float, int]] = []  # per batch: CPU and wall seconds of load, mark and commit; its number
    for n, records in enumerate(batches(count, size)):
        cpu, wall = time.process_time(), time.perf_counter()
        if SEGMENTS:
            index = load_index(out, {f"b{i}" for i in range(n)}, config)
            assert index is not None
        index.mark_batch(f"b{n}", records)
        if SEGMENTS:
            commit(out, index)
        steps.append((time.process_time() - cpu, time.perf_counter() - wall, n))
    if not SEGMENTS:
        commit(out, index)
    files = len(list((out / INDEX_DIR / "segments").glob("*.seg"))) if SEGMENTS else 1
    worst = sorted(steps)[-3:][::-1]
    median = sorted(c for c, _, _ in steps)[len(steps) // 2]
    print(f"built {count} batches of {size} records in {time.perf_counter() - started:.0f} s: "
          f"{disk_bytes(out / INDEX_DIR) / 1e6:.1f} MB on disk in {files} segment files; a batch's load, mark and commit: "
          f"median {median:.3f} s CPU, the worst " + ", ".join(f"b{n} {c:.3f} s CPU ({w:.3f} s wall)"
                                                              for c, w, n in worst), flush=True)


def status(field: str) -> int:
    """A size from /proc/self/status (VmHWM: the peak RSS; RssAnon: the RSS that is no file's pages)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 if field == "VmHWM" else 0


def measure(out: Path, count: int, size: int, keyed: bool = False) -> None:
    config = DedupConfig()
    *_, records = batches(count + 1, size)
    if keyed:  # as in the flow: the chunk workers made each record's keys
        records = [replace(r, keys=record_keys(r.text, r.page_mark, config)) for r in records]
    process = psutil.Process()
    Path("/proc/self/clear_refs").write_text("5")  # the peak RSS from here on
    before = process.memory_info().rss
    anonymous = status("RssAnon")
    cpu = time.process_time()
    started = time.perf_counter()
    index = load_index(out, {f"b{i}" for i in range(count)}, config)
    assert index is not None, "the store does not cover the batches: build it with this code"
    loaded = time.perf_counter() - started
    marks = index.mark_batch(f"b{count}", records)
    staged = out / ".staging-measure"
    shutil.rmtree(staged, ignore_errors=True)
    write_index(index, staged / INDEX_DIR if SEGMENTS else staged / INDEX_DIR / "index.pkl")
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    after = process.memory_info().rss
    anonymous = status("RssAnon") - anonymous
    peak = status("VmHWM")
    marked = sum(m is not None for m in marks.values())
    opened = f"{len(index.segments)} segments opened, " if SEGMENTS else ""
    digest = hashlib.sha256(repr(sorted(marks.items(), key=lambda kv: kv[0])).encode()).hexdigest()[:8]
    print(f"{'segments' if SEGMENTS else 'pickle'}{' (keys made)' if keyed else ''}: one more batch of {size} after {count}: {wall:.2f} s "
          f"(CPU {cpu:.2f} s; load {loaded:.2f} s), {marked} marked (marks {digest}); RSS +{(after - before) / 1e6:.0f} MB at the "
          f"end (+{anonymous / 1e6:.0f} MB not of files), +{(peak - before) / 1e6:.0f} MB at the peak; {opened}index {disk_bytes(out / INDEX_DIR) / 1e6:.1f} MB "
          f"on disk before, {disk_bytes(staged / INDEX_DIR) / 1e6:.1f} MB staged", flush=True)
    shutil.rmtree(staged, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("out", type=Path, help="the output directory whose .dedup holds the index")
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--keyed", action="store_true",
                        help="measure: the records come with their keys, as the chunk workers stage them")
    args = parser.parse_args(argv)
    if args.step == "build":
        args.out.mkdir(parents=True, exist_ok=True)
        build(args.out, args.batches, args.batch)
    else:
        measure(args.out, args.batches, args.batch, args.keyed)


if __name__ == "__main__":
    main()
