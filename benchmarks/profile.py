"""Where the cleaning time goes: seconds per stage, then the hottest functions.

    python -m benchmarks.profile /tmp/bench/raw-100mb [--max-mb 10] [--top 20]
    python -m benchmarks.profile /tmp/bench/raw-10mb-mj --stage remove_pinyin [--repeat 3]

Runs the chunk cleaning of ``ingest.chunk`` in this process (one core, no
Prefect) on an evenly spread subset of the batch: first with each stage timed
(the stages of ``cleaners.pipeline.STAGES`` wrapped here, nothing in
``cleaners/`` changed), then under cProfile.

``--stage`` profiles one stage alone: the pages it receives during one
cleaning of the subset are kept, then the stage runs on them again (``--repeat``
times, the first run untimed) under cProfile. Its time is then not lost among a
slow stage's (repair_mojibake) functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import cleaners.pipeline as pipeline
import ingest.chunk as chunk
from benchmarks.baseline import raw_files
from ingest.batch import describe_file
from ingest.records import BatchContext
from ingest.store import new_staging_dir


@contextmanager
def timed_stages(seconds: dict[str, float]):
    """Time decoding, every stage, building rows and writing Parquet, by wrapping them for the block."""

    def timed(name, fn):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started
        return run

    defaults = pipeline.clean_text.__defaults__
    saved = {"decode": pipeline.decode_bytes, "rows": chunk.document_rows, "write": chunk.write_part,
             "read": chunk.read_raw, "flush": chunk.PartWriter.flush}
    pipeline.clean_text.__defaults__ = (defaults[0], tuple(timed(s.__name__, s) for s in pipeline.STAGES))
    pipeline.decode_bytes = timed("decode_bytes", saved["decode"])
    chunk.document_rows = timed("document_rows", saved["rows"])
    chunk.write_part = timed("write_parquet", saved["write"])
    chunk.PartWriter.flush = timed("write_parquet", saved["flush"])
    chunk.read_raw = timed("read_file", saved["read"])
    try:
        yield
    finally:
        pipeline.clean_text.__defaults__ = defaults
        pipeline.decode_bytes = saved["decode"]
        chunk.document_rows = saved["rows"]
        chunk.write_part = saved["write"]
        chunk.PartWriter.flush = saved["flush"]
        chunk.read_raw = saved["read"]


def clean_in_chunks(paths: list[Path], root: Path) -> tuple[int, float]:
    files = [describe_file(p, p.relative_to(root).as_posix()) for p in paths]
    batch = BatchContext("profile", datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="corpus-profile-") as out:
        staging = new_staging_dir(out, "profile")
        started = time.perf_counter()
        for index in range(0, len(files), 200):
            chunk.clean_chunk(tuple(files[index:index + 200]), index // 200, batch, staging)
        seconds = time.perf_counter() - started
    return sum(f.size for f in files), seconds


def stage_inputs(name: str, paths: list[Path], root: Path) -> tuple[object, list]:
    """The stage called ``name`` and every (page, config) it receives while the files are cleaned."""
    (stage,) = [s for s in pipeline.STAGES if s.__name__ == name]
    seen: list = []

    def keep(page, config):
        seen.append((page, config))
        return stage(page, config)

    keep.__name__ = name
    defaults = pipeline.clean_text.__defaults__
    pipeline.clean_text.__defaults__ = (defaults[0], tuple(keep if s is stage else s for s in pipeline.STAGES))
    try:
        clean_in_chunks(paths, root)
    finally:
        pipeline.clean_text.__defaults__ = defaults
    return stage, seen


def profile_stage(name: str, paths: list[Path], root: Path, repeat: int, top: int) -> None:
    stage, inputs = stage_inputs(name, paths, root)
    chars = sum(len(a.text) for page, _ in inputs for a in page.articles)
    for page, config in inputs:  # once untimed: tables and caches
        stage(page, config)
    started = time.perf_counter()
    for _ in range(repeat):
        for page, config in inputs:
            stage(page, config)
    wall = (time.perf_counter() - started) / repeat
    raw_mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{name}: {len(inputs)} pages, {chars / 1e6:.2f} M characters, {wall:.3f} s a pass "
          f"({raw_mb / wall:.1f} MB/s of raw input)\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for page, config in inputs:
        stage(page, config)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("```\n" + "\n".join(line for line in out.getvalue().splitlines() if line.strip()) + "\n```")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--max-mb", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--warm-up", type=int, default=0, metavar="FILES",
                        help="clean this many files first, untimed, so that one-time set-up (OpenCC and pypinyin "
                             "tables, pyarrow, chardet models) is left out, as in a long run")
    parser.add_argument("--stage", help="profile only this stage (a name of cleaners.pipeline.STAGES)")
    parser.add_argument("--repeat", type=int, default=3, help="with --stage: timed passes over its pages")
    args = parser.parse_args(argv)
    paths = raw_files(args.raw_dir, int(args.max_mb * 1e6))
    if args.stage:
        profile_stage(args.stage, paths, args.raw_dir, args.repeat, args.top)
        return
    if args.warm_up:
        clean_in_chunks(paths[:args.warm_up], args.raw_dir)

    seconds: dict[str, float] = defaultdict(float)
    with timed_stages(seconds):
        raw_bytes, wall = clean_in_chunks(paths, args.raw_dir)
    print(f"{len(paths)} files, {raw_bytes / 1e6:.1f} MB cleaned in {wall:.2f} s on one core: "
          f"{raw_bytes / 1e6 / wall:.2f} MB/s\n")
    print("| step | seconds | share | MB/s if it were the only step |\n|---|---|---|---|")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {value:.2f} | {value / wall:.0%} | {raw_bytes / 1e6 / value:.1f} |")
    other = wall - sum(seconds.values())
    print(f"| (the rest: chunk bookkeeping) | {other:.2f} | {other / wall:.0%} | |\n")

    profiler = cProfile.Profile()
    profiler.enable()
    clean_in_chunks(paths, args.raw_dir)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print("Hottest functions (cProfile, by own time):\n```")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-(args.top + 3) * 200:])
    print("```")


if __name__ == "__main__":
    main()
