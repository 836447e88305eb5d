"""Peak memory of a whole batch (plan, clean, duplicate marking, commit) on huge inputs, each in a fresh process.

    python -m benchmarks.hostile_memory /tmp/bench/hostile [--only NAME]

Builds, from the Debian FAQ prose of ``tests/data/prose``, a 200 MB text file
(many lines), a 50 MB page of one line (plain text, and HTML with every
paragraph on that line) and a 7 MB single line (under the default 8 MiB line
limit: the largest line that is cleaned), then runs each as its own batch
through ``ingest.run.run_batch`` with the serial mapper and the default
limits, in a fresh interpreter, and prints its outcome, seconds and peak RSS
(``VmHWM``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROSE = Path(__file__).resolve().parent.parent / "tests" / "data" / "prose" / "debian-faq-zh-cn.txt"
MB = 1000 * 1000


def prose_paragraphs() -> list[str]:
    return [line.strip() for line in PROSE.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_repeated(path: Path, head: bytes, unit: bytes, size: int, tail: bytes = b"") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(head)
        written = len(head)
        while written < size:
            out.write(unit)
            written += len(unit)
        out.write(tail)


def build(root: Path) -> dict[str, Path]:
    """One raw directory per case, each holding its one file."""
    paragraphs = prose_paragraphs()
    lines = "\n".join(paragraphs).encode() + b"\n"
    one_line = "".join(paragraphs).encode()
    html_line = "".join(f"<p>{p}</p>" for p in paragraphs).encode()
    cases = {
        "file-200mb-lines": (b"", lines, 200 * MB, b""),
        "line-50mb-text": (b"", one_line, 50 * MB, b""),
        "line-50mb-html": (b"<html><head><title>FAQ</title></head><body>", html_line, 50 * MB, b"</body></html>"),
        "line-7mb-text": (b"", one_line, 7 * MB, b""),
    }
    dirs = {}
    for name, (head, unit, size, tail) in cases.items():
        raw = root / name / "raw"
        page = raw / ("page.html" if "html" in name else "page.txt")
        if not page.exists():
            write_repeated(page, head, unit, size, tail)
        dirs[name] = raw
    return dirs


CHILD = """
import json, sys, time
from pathlib import Path
from ingest.run import run_batch, serial_chunks
import pyarrow.dataset as ds
raw, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
summary = run_batch(raw, out, "memory", False, serial_chunks)
seconds = time.perf_counter() - started
quarantine = ds.dataset(out / "quarantine", partitioning="hive").to_table().to_pylist()
peak = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print(json.dumps({"records": summary.records, "reasons": [q["reason"] for q in quarantine],
                  "seconds": round(seconds, 1), "peak_mb": round(peak / 1024)}))
"""


def measure(raw: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="hostile-memory-") as out:
        done = subprocess.run([sys.executable, "-c", CHILD, str(raw), out], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    if done.returncode:
        return {"failed": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="where the inputs are built (kept for the next run)")
    parser.add_argument("--only", default=None, help="one case")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases = build(args.root)
    print(f"inputs built in {time.perf_counter() - started:.1f} s under {args.root}\n")
    print("| case | bytes | records | quarantine | seconds | peak RSS MB |\n|---|---|---|---|---|---|")
    for name, raw in cases.items():
        if args.only and name != args.only:
            continue
        size = sum(p.stat().st_size for p in raw.iterdir())
        result = measure(raw)
        if "failed" in result:
            print(f"| {name} | {size:,} | failed: {result['failed']} | | | |")
            continue
        print(f"| {name} | {size:,} | {result['records']} | {', '.join(result['reasons']) or '–'} | "
              f"{result['seconds']} | {result['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
