"""What one worker process holds: resident memory while it cleans a directory, file after file.

    python -m benchmarks.memory /tmp/bench/raw-10mb-mj [--tables] [--top 15]

Cleans every file of the directory in this process, in an order shuffled with a
fixed seed (so that both halves hold the same mix of styles), as a chunk
worker does (``ingest.chunk.process_file``, no Prefect, no Parquet), and prints
the resident set (RSS, from ``/proc/self/status``) after the imports, after the
first file, at the quarter, half, three quarters and end of the batch, and the
peak (``VmHWM``). A worker whose caches are bounded is as big after the second
half of the batch as after the first.

``--trim`` also gives the RSS after glibc's ``malloc_trim(0)`` at each mark.
``--tables`` first measures, each in a fresh process, what importing the
cleaners and loading each of their tables costs. ``--as-worker`` imports first
what a chunk worker process imports (``flows.runners.WorkerProcesses``: the
cleaning code, never Prefect); ``--as-prefect-worker`` what a worker of
Prefect's process pool imported before (Prefect and the flow, ~70 MB more). ``--top`` shows where the
Python heap grew between the first half and the end (tracemalloc; slow).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

# Below ~120 letters lingua reads every n-gram length (all its models of the seven Latin-script languages).
ENGLISH = "This is the Debian GNU/Linux package. It provides the Debian GNU/Linux FAQ. "
# What each table costs on its own, loaded in a fresh interpreter after `import cleaners.pipeline`.
TABLES = {
    "readings (annotation)": "from cleaners.repair.annotation import readings_of; readings_of('學')",
    "OpenCC t2s + s2t": "from cleaners.text.simplify import converter; converter('t2s.json').convert('學'); "
                        "converter('s2t.json').convert('学')",
    "fold array": "from cleaners.matching.fold import fold; fold('學' * 200)",
    "GBK tables": "from cleaners.repair.gbk import tables, flat_table; flat_table()",
    "character model": "from cleaners.repair.charlm import background, follower_index; background(); follower_index()",
    "chrome rules": "from cleaners.matching.rules import generic_rules, site_profiles; generic_rules(); site_profiles()",
    "common hanzi (decode)": "from cleaners.decode.encoding import common_hanzi; common_hanzi()",
    "lingua, a long sample (trigram models)": "from cleaners.text.language import detect_language; "
                                              f"detect_language({ENGLISH * 3!r})",
    "lingua, a short sample (every n-gram length)": "from cleaners.text.language import detect_language; "
                                                    f"detect_language({ENGLISH!r})",
    "chardet's models (an ambiguous legacy page)": "from cleaners.decode.encoding import detector_guesses; "
                                                   "detector_guesses('繁體中文的網頁'.encode('big5'))",
    "pypinyin.pinyin_dict (not imported at run time)": "import pypinyin.pinyin_dict",
}


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


WORKER_IMPORTS = "import flows.lifetime, ingest.chunk"  # what a chunk worker imports (flows.runners.WorkerProcesses)
PREFECT_WORKER_IMPORTS = "import prefect, flows.ingest"  # what a worker of Prefect's process pool imported


def table_costs(worker_imports: str = "") -> None:
    probe = ("import sys; sys.path.insert(0, '.'); from benchmarks.memory import rss_mb; {pre}; before = rss_mb(); "
             "{code}; print(f'{{before:.1f}} {{rss_mb():.1f}}')")
    as_worker = bool(worker_imports)
    first = f"{worker_imports}; " if as_worker else ""
    base = subprocess.run([sys.executable, "-c", "from benchmarks.memory import rss_mb; print(rss_mb())"],
                          capture_output=True, text=True, check=True)
    print(f"| what | RSS before | after | cost |\n|---|---|---|---|\n| python | | {float(base.stdout):.1f} | |")
    if as_worker:
        done = subprocess.run([sys.executable, "-c", probe.format(pre="pass", code=worker_imports)],
                              capture_output=True, text=True, check=True)
        before, after = map(float, done.stdout.split())
        print(f"| {worker_imports} | {before:.1f} | {after:.1f} | {after - before:+.1f} |")
    imports = subprocess.run([sys.executable, "-c", probe.format(pre=first + "pass",
                                                                 code="import cleaners.pipeline, ingest.chunk")],
                             capture_output=True, text=True, check=True)
    before, after = map(float, imports.stdout.split())
    print(f"| import cleaners.pipeline, ingest.chunk | {before:.1f} | {after:.1f} | {after - before:+.1f} |")
    for name, code in TABLES.items():
        done = subprocess.run([sys.executable, "-c", probe.format(pre=first + "import cleaners.pipeline, ingest.chunk",
                                                                  code=code)],
                              capture_output=True, text=True)
        if done.returncode:
            print(f"| {name} | – | – | fails: {done.stderr.strip().splitlines()[-1]} |")
            continue
        before, after = map(float, done.stdout.split())
        print(f"| {name} | {before:.1f} | {after:.1f} | {after - before:+.1f} |")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--tables", action="store_true")
    parser.add_argument("--as-worker", action="store_true",
                        help=f"import what a chunk worker imports ({WORKER_IMPORTS}) first, in every process")
    parser.add_argument("--as-prefect-worker", action="store_true",
                        help=f"import what a worker of Prefect's process pool imported ({PREFECT_WORKER_IMPORTS}) "
                             "first, in every process")
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--trim", action="store_true",
                        help="also give the RSS after glibc's malloc_trim(0) at each mark: memory freed "
                             "but kept by the allocator is not held by a cache")
    parser.add_argument("--max-mb", type=float, default=0, help="only the first files of the shuffled order, "
                        "up to this many MB")
    parser.add_argument("--seed", type=int, default=0, help="of the shuffled order of the files")
    args = parser.parse_args(argv)
    worker_imports = PREFECT_WORKER_IMPORTS if args.as_prefect_worker else WORKER_IMPORTS if args.as_worker else ""
    if args.tables:
        table_costs(worker_imports)

    start = rss_mb()
    if worker_imports:
        exec(worker_imports)
    from ingest.batch import describe_file
    from ingest.chunk import process_file, read_raw
    from ingest.records import BatchContext

    imported = rss_mb()
    batch = BatchContext("memory", datetime(2000, 1, 1, tzinfo=UTC), version="0")
    paths = sorted(p for p in args.raw_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    random.Random(args.seed).shuffle(paths)
    if args.max_mb:
        total = 0
        for count, path in enumerate(paths):
            total += path.stat().st_size
            if total > args.max_mb * 1e6:
                paths = paths[:count]
                break
    marks = {1: "first file", len(paths) // 4: "a quarter", len(paths) // 2: "half",
             3 * len(paths) // 4: "three quarters", len(paths): "all"}
    rows = [("start", 0, 0.0, start, start), ("imports", 0, 0.0, imported, imported)]
    cleaned = 0
    if args.top:
        import tracemalloc
        tracemalloc.start(1)
    half_snapshot = None
    for index, path in enumerate(paths, 1):
        raw, data = read_raw(describe_file(path, path.relative_to(args.raw_dir).as_posix()), batch)
        process_file(raw, data, batch)
        cleaned += len(data)
        del raw, data
        if index in marks:
            gc.collect()
            rss = rss_mb()
            if args.trim:
                ctypes.CDLL("libc.so.6").malloc_trim(0)
            rows.append((marks[index], index, cleaned / 1e6, rss, rss_mb()))
            if args.top and index == len(paths) // 2:
                half_snapshot = tracemalloc.take_snapshot()
    trimmed = " | RSS after malloc_trim" if args.trim else ""
    print(f"| after | files | MB cleaned | RSS MB{trimmed} |\n|---|---|---|---|{'---|' if args.trim else ''}")
    for name, files, mb, rss, after_trim in rows:
        print(f"| {name} | {files} | {mb:.1f} | {rss:.1f} |" + (f" {after_trim:.1f} |" if args.trim else ""))
    print(f"| peak (VmHWM) | | | {rss_mb('VmHWM'):.1f} |")
    half = next(r for r in rows if r[0] == "half")
    print(f"\ngrowth from half to end: {rows[-1][3] - half[3]:+.1f} MB"
          + (f" ({rows[-1][4] - half[4]:+.1f} MB after malloc_trim)" if args.trim else ""))
    if args.top and half_snapshot is not None:
        end = tracemalloc.take_snapshot()
        print("\nPython heap growth from half to end (tracemalloc):")
        for stat in end.compare_to(half_snapshot, "lineno")[:args.top]:
            print(f"  {stat}")


if __name__ == "__main__":
    main()
