"""One SHA-256 over everything the cleaning of a directory produces, to prove an optimisation changed nothing.

    python -m benchmarks.fingerprint raw/samples [/tmp/bench/raw-10mb ...] [--verbose]

Every file under each directory (sorted by path) goes through
``ingest.chunk.process_file`` in this process (no Prefect, no Parquet): its
document rows (text, title, original_script, repairs, redactions, metadata,
char_count, duplicate_of …, without the batch's id, time and version), its
quarantine reason and detail, and the counts and examples of every stage
report. ``--verbose`` prints one hash per file, to find which file changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from ingest.batch import describe_file
from ingest.chunk import process_file, read_raw
from ingest.records import BatchContext

BATCH_FIELDS = ("batch_id", "ingested_at", "pipeline_version")


def file_outcome(path: Path, root: Path, batch: BatchContext) -> dict:
    raw, data = read_raw(describe_file(path, path.relative_to(root).as_posix()), batch)
    outcome = process_file(raw, data, batch)
    quarantine = outcome.quarantine
    return {
        "documents": [{k: v for k, v in row.items() if k not in BATCH_FIELDS} for row in outcome.documents],
        "quarantine": None if quarantine is None else [quarantine["reason"], quarantine["detail"]],
        "reports": [[r.stage, sorted(r.counts.items()), list(r.examples)] for r in outcome.reports],
    }


def fingerprint(root: Path, verbose: bool = False) -> tuple[str, int]:
    batch = BatchContext("fingerprint", datetime(2000, 1, 1, tzinfo=UTC), version="0")
    total = hashlib.sha256()
    paths = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in paths:
        encoded = json.dumps(file_outcome(path, root, batch), ensure_ascii=False, sort_keys=True,
                             default=str).encode()
        digest = hashlib.sha256(encoded).hexdigest()
        total.update(path.relative_to(root).as_posix().encode() + b"\0" + digest.encode())
        if verbose:
            print(f"{digest[:16]}  {path.relative_to(root).as_posix()}")
    return total.hexdigest(), len(paths)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", type=Path, nargs="+")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    for root in args.dirs:
        digest, count = fingerprint(root, args.verbose)
        print(f"{digest}  {count} files  {root}")


if __name__ == "__main__":
    main()
