"""CPU time and RSS of what a batch does after its chunks (furniture, duplicates, commit, table, report), run by hand.

    python -m benchmarks.after_chunks stage /tmp/bench/raw-20mb /tmp/bench/staged-20mb
    python -m benchmarks.after_chunks steps /tmp/bench/staged-20mb /tmp/bench/out

``stage`` plans and cleans the batch's chunks in this process (``serial_chunks``)
and keeps a copy of the staging directory; ``steps`` copies it into a fresh
output directory and runs each step of ``ingest.run.run_batch`` after the map
on it, printing each step's CPU seconds (``time.process_time``: the machine
may be shared) and the process's RSS and peak. Run ``steps`` with the old and
the new code on the same copy and compare the outputs (duckdb ``EXCEPT``).
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BATCH = "b1"


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def stage(raw: str, saved: str) -> None:
    from cleaners.model import CleanConfig
    from ingest.records import BatchContext
    from ingest.run import LOG, clean_all_chunks, plan_staged, serial_chunks
    from ingest.store import new_staging_dir

    out = Path(saved + "-out")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    batch = BatchContext(batch_id=BATCH, ingested_at=datetime(2026, 1, 1, tzinfo=UTC), config=CleanConfig(),
                         version="bench")
    staging = new_staging_dir(out, BATCH)
    plan = plan_staged(raw, str(out), batch, str(staging), record_held=True)
    clean_all_chunks(plan, batch, staging, serial_chunks, LOG)
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(staging, saved)


def steps(saved: str, out_dir: str) -> None:
    from ingest.dedup_store import mark_staged_documents
    from ingest.furniture_store import strip_staged_furniture
    from ingest.report import batch_figures, report_html
    from ingest.store import commit_batch, new_staging_dir
    from ingest.summary import outcome_table

    out = Path(out_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    staging = new_staging_dir(out, BATCH)
    shutil.rmtree(staging)
    shutil.copytree(saved, staging)
    base = rss_mb()
    print(f"after imports: RSS {base:.0f} MB")
    total = 0.0
    for name, step in [("furniture", lambda: strip_staged_furniture(out, staging, BATCH)),
                       ("duplicates", lambda: mark_staged_documents(out, staging, BATCH)),
                       ("commit", lambda: commit_batch(out, BATCH, staging)),
                       ("table", lambda: outcome_table(str(out), BATCH)),
                       ("report", lambda: report_html(batch_figures(out, BATCH, {})))]:
        started = time.process_time()
        step()
        spent = time.process_time() - started
        total += spent
        print(f"{name:10s} CPU {spent:6.2f} s, RSS {rss_mb():.0f} MB, peak {rss_mb('VmHWM'):.0f} MB")
    print(f"total CPU {total:.2f} s; peak above the imports {rss_mb('VmHWM') - base:.0f} MB")


if __name__ == "__main__":
    {"stage": stage, "steps": steps}[sys.argv[1]](*sys.argv[2:])
