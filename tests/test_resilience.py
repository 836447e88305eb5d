"""Retries on transient I/O errors, a chunk that fails for good, and what the run tells about it."""

import errno
from collections import Counter

import pyarrow.dataset as ds
import pytest

import flows.ingest
import ingest.batch
import ingest.chunk
from flows.runners import chunk_runner
from tests.batches import write_mixed_batch

pytestmark = pytest.mark.usefixtures("prefect_harness")


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
    documents = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    assert sorted(d["source_path"] for d in documents) == ["speech-utf8bom.txt", "tw/speech.txt"]
    quarantine = {q["source_path"]: q for q in ds.dataset(out / "quarantine", format="parquet").to_table().to_pylist()}
    assert {path: q["reason"] for path, q in quarantine.items()} == {
        "empty.txt": "error", "gb/speech.txt": "error", "logo.png": "error", "speech-utf16.txt": "error"}
    assert "ValueError: cannot convert the rows (simulated bug)" in quarantine["gb/speech.txt"]["detail"]
    assert "1 time(s)" in quarantine["gb/speech.txt"]["detail"]
    assert "Input/output error (simulated)" in quarantine["logo.png"]["detail"]
    assert f"{1 + flows.ingest.IO_RETRIES} time(s)" in quarantine["logo.png"]["detail"]
    manifest = ds.dataset(out / "manifest", format="parquet").to_table().to_pylist()
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


def run_name_and_artifacts(flow_run_id):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        name = client.read_flow_run(flow_run_id).name
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return name, {artifact.key: artifact for artifact in found}
