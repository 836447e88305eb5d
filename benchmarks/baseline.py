"""The baseline: what people reach for instead of this pipeline, on one core.

    python -m benchmarks.baseline RAW_DIR OUT.parquet [--detector charset-normalizer|chardet] [--max-mb N]

Per file (issue 14's usual-libraries pipeline): detect the encoding
(charset-normalizer, or chardet), decode; an HTML page goes through
``trafilatura.extract`` (its text, or the page as it is when trafilatura finds
none); then ``ftfy.fix_text``, OpenCC ``t2s``; all rows into one Parquet file
(zstd, written in row groups so that memory stays flat). Extraction comes
before ftfy and t2s, which then read the article, not the markup: the cheaper
order. Prints a JSON line with the bytes read, the seconds spent in each step
and the peak RSS of this process.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from pathlib import Path

SCHEMA_FIELDS = ("source_path", "encoding", "text")
ROW_GROUP = 500
HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|meta|title|div|p)\b", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """What a user of these libraries would check: the page starts with markup."""
    return HTML_START.match(text[:2000].lstrip("\ufeff")) is not None


def raw_files(raw_dir: Path, max_bytes: int | None = None) -> list[Path]:
    """Every file under ``raw_dir`` in path order; with ``max_bytes``, an evenly spread subset of about that size."""
    files = sorted(p for p in raw_dir.rglob("*") if p.is_file())
    if max_bytes is None:
        return files
    total = sum(p.stat().st_size for p in files)
    if total <= max_bytes:
        return files
    step = total / max_bytes
    picked, budget = [], 0.0
    for path in files:  # every step-th file or so: the same mix of styles and encodings
        budget += 1
        if budget >= step:
            picked.append(path)
            budget -= step
    return picked


def run(raw_dir: Path, out: Path, detector: str = "charset-normalizer", max_bytes: int | None = None,
        files: list[Path] | None = None) -> dict:
    import ftfy
    import opencc
    import pyarrow as pa
    import pyarrow.parquet as pq
    import trafilatura

    detect = detector_function(detector)
    t2s = opencc.OpenCC("t2s.json")
    schema = pa.schema([(name, pa.string()) for name in SCHEMA_FIELDS])
    seconds = dict.fromkeys(("read", "detect", "decode", "trafilatura", "ftfy", "t2s", "write"), 0.0)
    files = raw_files(raw_dir, max_bytes) if files is None else files
    started = time.perf_counter()
    rows, raw_bytes = [], 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for path in files:
            t = time.perf_counter()
            data = path.read_bytes()
            raw_bytes += len(data)
            t, seconds["read"] = tick(t, seconds["read"])
            encoding = detect(data) or "utf-8"
            t, seconds["detect"] = tick(t, seconds["detect"])
            text = data.decode(encoding, errors="replace")
            t, seconds["decode"] = tick(t, seconds["decode"])
            if looks_like_html(text):
                text = trafilatura.extract(text) or text
                t, seconds["trafilatura"] = tick(t, seconds["trafilatura"])
            text = ftfy.fix_text(text)
            t, seconds["ftfy"] = tick(t, seconds["ftfy"])
            text = t2s.convert(text)
            t, seconds["t2s"] = tick(t, seconds["t2s"])
            rows.append({"source_path": str(path.relative_to(raw_dir)), "encoding": encoding, "text": text})
            if len(rows) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
                t, seconds["write"] = tick(t, seconds["write"])
        t = time.perf_counter()
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    seconds["write"] += time.perf_counter() - t
    wall = time.perf_counter() - started
    return {
        "detector": detector, "files": len(files), "raw_bytes": raw_bytes, "seconds": wall,
        "mb_per_s": raw_bytes / 1e6 / wall, "steps": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def tick(t: float, total: float) -> tuple[float, float]:
    now = time.perf_counter()
    return now, total + (now - t)


def detector_function(name: str):
    if name == "chardet":
        import chardet

        return lambda data: chardet.detect(data)["encoding"]
    if name == "charset-normalizer":
        import charset_normalizer

        def detect(data: bytes) -> str | None:
            best = charset_normalizer.from_bytes(data).best()
            return best.encoding if best else None

        return detect
    raise ValueError(f"unknown detector {name!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="charset-normalizer → trafilatura (HTML) → ftfy → OpenCC t2s → one Parquet file, on one core")
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--detector", choices=("charset-normalizer", "chardet"), default="charset-normalizer")
    parser.add_argument("--max-mb", type=float, default=None, help="run on an evenly spread subset of this size")
    args = parser.parse_args(argv)
    max_bytes = int(args.max_mb * 1e6) if args.max_mb else None
    print(json.dumps(run(args.raw_dir, args.out, args.detector, max_bytes)))


if __name__ == "__main__":
    main()
