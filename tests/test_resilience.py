"""Retries on transient I/O errors, a chunk that fails for good, and what the run tells about it."""

import errno
from collections import Counter

import pyarrow.dataset as ds
import pytest

import flows.ingest
import ingest.batch
import ingest.chunk
from flows.runners import chunk_runner
from ingest.ledger import held_hashes
from tests.batches import write_mixed_batch

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_failing_chunks_lose_only_their_files_and_the_run_reports_it(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "curated"
    write_mixed_batch(raw)
    # 6 files by path: [empty, gb], [logo, utf16], [utf8bom, tw]
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 2)
    monkeypatch.setattr(flows.ingest, "clean_chunk_task",
                        flows.ingest.clean_chunk_task.with_options(retry_delay_seconds=0))
    attempts = Counter()

    class FailingWriter(ingest.chunk.PartWriter):  # the documents part of each chunk
        def flush(self):
            part = self.path.stem
            attempts[part] += 1
            if part == "part-00000":  # a bug: not retried
                raise ValueError("cannot convert the rows (simulated bug)")
            if part == "part-00001" or attempts[part] == 1:  # the disk keeps failing / fails once
                raise OSError(errno.EIO, "Input/output error (simulated)")
            super().flush()

    monkeypatch.setattr(ingest.chunk, "PartWriter", FailingWriter)
    state = flows.ingest.ingest.with_options(task_runner=chunk_runner(workers=1))(
        raw_dir=raw, out_dir=out, batch_id="flaky", return_state=True)
    summary = state.result()

    assert attempts == {"part-00000": 1, "part-00001": 1 + flows.ingest.IO_RETRIES, "part-00002": 2}
    documents = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table().to_pylist()
    assert sorted(d["source_path"] for d in documents) == ["speech-utf8bom.txt", "tw/speech.txt"]
    quarantine = {q["source_path"]: q for q in ds.dataset(out / "quarantine", format="parquet", partitioning="hive").to_table().to_pylist()}
    assert {path: q["reason"] for path, q in quarantine.items()} == {
        "empty.txt": "error", "gb/speech.txt": "error", "logo.png": "error", "speech-utf16.txt": "error"}
    assert "ValueError: cannot convert the rows (simulated bug)" in quarantine["gb/speech.txt"]["detail"]
    assert "1 time(s)" in quarantine["gb/speech.txt"]["detail"]
    assert "Input/output error (simulated)" in quarantine["logo.png"]["detail"]
    assert f"{1 + flows.ingest.IO_RETRIES} time(s)" in quarantine["logo.png"]["detail"]
    manifest = ds.dataset(out / "manifest", format="parquet", partitioning="hive").to_table().to_pylist()
    assert len(manifest) == 6 and Counter(m["outcome"] for m in manifest) == {"ingested": 2, "quarantined": 4}
    assert sorted(summary.failed_chunks) == [0, 1]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]  # no half-written part left behind

    flow_run_id = state.state_details.flow_run_id
    name, artifacts = run_name_and_artifacts(flow_run_id)
    assert name == "ingest-flaky"
    markdown = artifacts["ingest-summary"].data
    assert "# Batch `flaky`" in markdown and "| records written | 2 |" in markdown
    assert "| error | 4 |" in markdown and "chunk 1: OSError" in markdown
    assert "## Repairs per stage" in markdown and "MB/s" in markdown
    table = artifacts["ingest-files"].data
    assert all(path in table for path in ("logo.png", "speech-utf16.txt", "tw/speech.txt"))


def test_a_run_whose_every_chunk_fails_is_failed_and_its_files_are_tried_again(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "curated"
    write_mixed_batch(raw)
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 3)

    class BrokenWriter(ingest.chunk.PartWriter):  # e.g. a broken install: every chunk fails the same way
        def flush(self):
            raise ImportError("cannot import name 'rules_of_kind' (simulated broken install)")

    monkeypatch.setattr(ingest.chunk, "PartWriter", BrokenWriter)
    state = flows.ingest.ingest.with_options(task_runner=chunk_runner(workers=1))(
        raw_dir=raw, out_dir=out, batch_id="broken", return_state=True)

    assert state.is_failed()
    with pytest.raises(flows.ingest.EveryChunkFailed, match="every one of the 2 chunks"):
        state.result()
    quarantine = ds.dataset(out / "quarantine", format="parquet", partitioning="hive").to_table().to_pylist()
    assert len(quarantine) == 6 and {q["reason"] for q in quarantine} == {"error"}
    assert all("simulated broken install" in q["detail"] for q in quarantine)
    assert held_hashes(out) == {}  # nothing is parked: the next run takes all six again


def run_name_and_artifacts(flow_run_id):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        name = client.read_flow_run(flow_run_id).name
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return name, {artifact.key: artifact for artifact in found}
