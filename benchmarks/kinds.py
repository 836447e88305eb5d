"""MB/s per kind of page, one core, no Prefect, against the usual-libraries pipeline on the same files.

    python -m benchmarks.kinds [--mb 5] [--kinds mixed plain-hans ...] [--work /tmp/bench/kinds] [--no-baseline] [--cpu]

For each kind a batch of about ``--mb`` MB is generated (``benchmarks.generate``,
seeded, kept under ``--work`` and reused), then cleaned as one worker cleans a
chunk (``ingest.chunk.clean_chunk``: decode, every stage, rows, Parquet with
zstd; in this process, after a warm-up on the first pages so that tables and
models are loaded, as in a long run), and the baseline (``benchmarks.baseline``:
charset-normalizer → trafilatura for HTML → ftfy → OpenCC t2s → Parquet) runs on
the same files in the same process. Prints a Markdown table: MB/s of each, and
their ratio. ``--cpu`` divides by the process's CPU time rather than the wall
clock, for a machine other work shares (both sides measured the same way).
``--steps`` also counts the batch's steps after the chunks (furniture and
duplicates, run by the flow's process): since the chunk workers make the
records' keys for those steps, a chunk's own figure holds part of their cost,
and only this one compares with code that made them in the flow.

| kind | pages |
|---|---|
| ``mixed`` | the batch mix: site text pages, GBK-damaged pages, HTML (templates and real pages) |
| ``plain-hans`` / ``plain-hant`` | a title and paragraphs, Simplified / Traditional, no damage |
| ``site-text`` | the undamaged site styles (``wm114``, ``mbgs``: notices, chrome, masks, half-width punctuation) |
| ``html`` | undamaged HTML: the prose in templates, and the real pages of ``tests/data/realpages`` |
| ``gbk-damaged`` | the ``zdfb`` and ``xuexila`` pages with GBK byte-level mojibake and pinyin |
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.generate import generate

KINDS: dict[str, tuple[str, ...] | None] = {
    "mixed": None,
    "plain-hans": ("plain_hans",),
    "plain-hant": ("plain_hant",),
    "site-text": ("wm114", "mbgs"),
    "html": ("html", "realpage"),
    "gbk-damaged": ("zdfb", "xuexila"),
}
WARM_UP_FILES = 5
BATCH = "kinds"


def batch_for(kind: str, work: Path, mb: float, seed: int) -> Path:
    """The kind's generated batch (made once, then reused)."""
    out = work / f"{kind}-{mb:g}mb-s{seed}"
    if not out.exists():
        generate(out, int(mb * 1e6), seed, only=KINDS[kind])
    return out


def pipeline_seconds(paths: list[Path], root: Path, cpu: bool, steps: bool = False) -> tuple[float, float]:
    """Seconds to clean ``paths`` as chunks, and (with ``steps``, else 0) the batch's steps after the chunks
    (furniture, duplicates), which the flow's process runs."""
    clock = time.process_time if cpu else time.perf_counter
    with tempfile.TemporaryDirectory(prefix="corpus-kinds-") as tmp:
        warm = clean_as_chunks(paths[:WARM_UP_FILES], root, Path(tmp) / "warm")
        if steps:  # their imports (datasketch, pyarrow's pandas shim in older code) are once a run, not per MB
            after_the_chunks(*warm)
        started = clock()
        out, staging = clean_as_chunks(paths, root, Path(tmp) / "out")
        cleaned = clock()
        if steps:
            after_the_chunks(out, staging)
        return cleaned - started, clock() - cleaned if steps else 0.0


def clean_as_chunks(paths: list[Path], root: Path, out: Path) -> tuple[Path, Path]:
    """``paths`` cleaned in chunks of 200 files into a new staging directory of ``out``, as a worker does."""
    from ingest import chunk
    from ingest.listing import describe_file
    from ingest.records import BatchContext
    from ingest.store import new_staging_dir

    files = [describe_file(p, p.relative_to(root).as_posix()) for p in paths]
    batch = BatchContext(BATCH, datetime.now(UTC))
    out.mkdir(parents=True)
    staging = new_staging_dir(out, BATCH)
    for index in range(0, len(files), 200):
        chunk.clean_chunk(tuple(files[index:index + 200]), index // 200, batch, staging)
    return out, staging


def after_the_chunks(out: Path, staging: Path) -> None:
    from ingest.dedup_store import mark_staged_documents
    from ingest.furniture_store import strip_staged_furniture

    strip_staged_furniture(out, staging, BATCH)
    mark_staged_documents(out, staging, BATCH)


def baseline_seconds(paths: list[Path], root: Path, cpu: bool) -> float:
    from benchmarks.baseline import run

    with tempfile.TemporaryDirectory(prefix="corpus-baseline-") as tmp:
        run(root, Path(tmp) / "warm.parquet", files=paths[:WARM_UP_FILES])
        started = time.process_time()
        wall = run(root, Path(tmp) / "baseline.parquet", files=paths)["seconds"]
        return time.process_time() - started if cpu else wall


def measure(kind: str, work: Path, mb: float, seed: int, baseline: bool, cpu: bool = False, steps: bool = False,
            ) -> dict:
    from benchmarks.baseline import raw_files

    root = batch_for(kind, work, mb, seed)
    paths = raw_files(root)
    raw_mb = sum(p.stat().st_size for p in paths) / 1e6
    chunks, after = pipeline_seconds(paths, root, cpu, steps)
    ours = chunks + after
    theirs = baseline_seconds(paths, root, cpu) if baseline else None
    return {"kind": kind, "files": len(paths), "mb": raw_mb, "pipeline_mb_s": raw_mb / ours,
            "chunks_mb_s": raw_mb / chunks, "steps_seconds": after,
            "baseline_mb_s": raw_mb / theirs if theirs else None,
            "ratio": theirs / ours if theirs else None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS), default=list(KINDS))
    parser.add_argument("--mb", type=float, default=5.0, help="size of each kind's batch")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/kinds"))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--cpu", action="store_true",
                        help="divide by the process's CPU time instead of the wall clock (on a shared machine)")
    parser.add_argument("--steps", action="store_true",
                        help="count the steps after the chunks too (furniture, duplicates: the flow's process runs "
                             "them), as the pipeline's cost of the pages wherever it is spent")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = []
    print("| kind | files | MB | pipeline MB/s (one core) | baseline MB/s (one core) | ratio | chunks alone MB/s "
          "| steps after the chunks s |\n|---|---|---|---|---|---|---|---|")
    for kind in args.kinds:
        r = measure(kind, args.work, args.mb, args.seed, not args.no_baseline, args.cpu, args.steps)
        results.append(r)
        base = f"{r['baseline_mb_s']:.2f}" if r["baseline_mb_s"] else "–"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "–"
        print(f"| {kind} | {r['files']} | {r['mb']:.1f} | {r['pipeline_mb_s']:.2f} | {base} | {ratio} "
              f"| {r['chunks_mb_s']:.2f} | {r['steps_seconds']:.2f} |", flush=True)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
