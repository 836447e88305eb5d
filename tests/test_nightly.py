"""`corpus nightly`: each raw file ingested exactly once, however often and however concurrently it runs."""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from flows.cli import main
from ingest.lock import output_lock
from tests.batches import write_mixed_batch, write_paragraph_pages
from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def manifest_rows(out: Path) -> list[dict]:
    return ds.dataset(out / "manifest", format="parquet", partitioning="hive").to_table().to_pylist()


def sha256_of(root: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def test_nightly_twice_with_new_files_between_ingests_each_file_exactly_once(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "curated"
    write_mixed_batch(raw / "monday")
    assert main(["nightly", "--raw-root", str(raw), "--out", str(out), "--workers", "1"]) == 0
    first = manifest_rows(out)
    assert len({r["batch_id"] for r in first}) == 1

    write_paragraph_pages(raw / "tuesday", 4)
    (raw / "tuesday" / "copy-of-monday.txt").write_bytes((raw / "monday" / "gb" / "speech.txt").read_bytes())
    assert main(["nightly", "--raw-root", str(raw), "--out", str(out), "--workers", "1"]) == 0
    assert main(["nightly", "--raw-root", str(raw), "--out", str(out), "--workers", "1"]) == 0
    assert "nothing new" in capsys.readouterr().out

    rows = manifest_rows(out)
    assert len({r["batch_id"] for r in rows}) == 2  # the third run wrote no batch
    hashes = sha256_of(raw)
    per_hash = Counter(r["source_sha256"] for r in rows)
    # every distinct content is in the manifests exactly once; the copy of a Monday file is never read again
    assert per_hash == Counter(set(hashes.values()))
    assert "tuesday/copy-of-monday.txt" not in {r["source_path"] for r in rows}
    second = [r for r in rows if r["batch_id"] != first[0]["batch_id"]]
    assert sorted(r["source_path"] for r in second) == [f"tuesday/page-{i:03d}.txt" for i in range(4)]
    assert {r["outcome"] for r in second} == {"ingested"}
    documents = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table(columns=["source_sha256"])
    assert Counter(documents.column("source_sha256").to_pylist()).most_common(1)[0][1] == 1


def test_two_nightly_runs_at_once_never_ingest_a_file_twice(tmp_path):
    """Both runs are started while the test holds the output lock, so both are certainly in flight together."""
    from prefect.settings import PREFECT_API_URL

    raw, out = tmp_path / "raw", tmp_path / "curated"
    write_paragraph_pages(raw, 12)
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [sys.executable, "-m", "flows.cli", "nightly", "--raw-root", str(raw), "--out", str(out), "--workers", "1"]
    logs = [tmp_path / f"run-{i}.log" for i in range(2)]
    runs = []
    try:
        with output_lock(out, owner="the test"):
            for log in logs:
                with open(log, "wb") as handle:
                    runs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT))
            wait_for(lambda: all("is locked by the test" in log.read_text(errors="replace") for log in logs),
                     runs, timeout=90)
        codes = [run.wait(timeout=90) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
    assert codes == [0, 0], [log.read_text(errors="replace")[-2000:] for log in logs]
    rows = manifest_rows(out)
    assert Counter(r["source_sha256"] for r in rows) == Counter(set(sha256_of(raw).values()))
    outputs = " ".join(log.read_text(errors="replace") for log in logs)
    assert "nothing new" in outputs or len({r["batch_id"] for r in rows}) == 1


def wait_for(condition, runs, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if any(run.poll() is not None for run in runs):
            raise AssertionError("a nightly run ended while the output directory was locked")
        if time.monotonic() > deadline:
            raise AssertionError("the nightly runs did not reach the lock in time")
        time.sleep(0.1)
