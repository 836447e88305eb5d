"""A WARC.gz larger than the in-memory limit, cleaned record by record: throughput and peak memory.

    python -m benchmarks.generate /tmp/bench/raw-100mb --size 100MB      # the pages (once)
    python -m benchmarks.stream_warc make /tmp/bench/crawl.warc.gz --pages /tmp/bench/raw-100mb --size 200MB
    python -m benchmarks.stream_warc run /tmp/bench/crawl.warc.gz

``make`` packs the generated pages (the benchmark corpus: the sample sites'
styles, GBK/Big5/UTF-8, mojibake) into ``response`` records of a gzip-compressed
WARC with warcio, each page once per pass with its own URL, pass after pass
until the file has the size asked for. ``run`` cleans it in this process as a
chunk worker does (``ingest.chunk.process_file`` with the records written to a
Parquet part as they come) and prints seconds, MB/s of the file and of the
uncompressed payloads, records, and the resident memory after the imports and
at its peak (``VmHWM``). The file is far over the 64 MB per-file limit, so it
is streamed (``ingest.readers.stream``), never read whole.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.generate import parse_size
from benchmarks.memory import rss_mb


def make(out: Path, pages: Path, size: int) -> dict:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    files = sorted(p for p in pages.rglob("*") if p.is_file() and not p.name.endswith(".json"))
    records = payload = 0
    with open(out, "wb") as target:
        writer = WARCWriter(target, gzip=True)
        passes = 0
        while out.stat().st_size < size:
            for path in files:
                data = path.read_bytes()
                kind = "text/html" if data.lstrip()[:1] == b"<" else "text/plain"
                headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
                url = f"https://bench.example.cn/{passes}/{path.parent.name}/{path.stem}.html"
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(data), http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2026-12-01T00:00:00Z"}))
                records += 1
                payload += len(data)
                if records % 500 == 0 and target.tell() >= size:
                    break
            passes += 1
            target.flush()
    return {"file": str(out), "bytes": out.stat().st_size, "records": records, "payload_bytes": payload}


def run(path: Path) -> dict:
    start = rss_mb()
    from ingest.batch import describe_file
    from ingest.chunk import process_file
    from ingest.records import BatchContext
    from ingest.store import PartWriter, new_staging_dir

    imported = rss_mb()
    batch = BatchContext("stream", datetime(2000, 1, 1, tzinfo=UTC), version="0")
    raw = describe_file(path, path.name)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        staging = new_staging_dir(Path(folder), "stream")
        with PartWriter(staging, "documents", "part-00000") as documents:
            def write(rows: list[dict]) -> None:
                documents.add(rows)

            outcome = process_file(raw, None, batch, write=write)
        seconds = time.perf_counter() - started
    return {
        "file_mb": round(raw.size / 1e6, 1), "seconds": round(seconds, 1),
        "file_mb_per_s": round(raw.size / 1e6 / seconds, 2),
        "items": outcome.manifest["items"], "records": outcome.manifest["records"],
        "quarantine": outcome.quarantine["reason"] if outcome.quarantine else None,
        "rss_start_mb": round(start, 1), "rss_after_imports_mb": round(imported, 1),
        "rss_end_mb": round(rss_mb(), 1), "rss_peak_mb": round(rss_mb("VmHWM"), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("make")
    making.add_argument("out", type=Path)
    making.add_argument("--pages", type=Path, required=True, help="a directory from benchmarks.generate")
    making.add_argument("--size", type=parse_size, default=parse_size("200MB"))
    running = commands.add_parser("run")
    running.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    print(make(args.out, args.pages, args.size) if args.command == "make" else run(args.file))


if __name__ == "__main__":
    main()
