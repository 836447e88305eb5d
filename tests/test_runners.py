"""The same records whichever way the chunks ran: serially, on the local process pool, on a Dask cluster."""

import distributed
import pyarrow.dataset as ds
import pytest

import ingest.batch
from flows.ingest import ingest as ingest_flow
from flows.runners import chunk_runner
from tests.batches import write_mixed_batch, write_paragraph_pages

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def rows(out, dataset: str) -> list[dict]:
    table = ds.dataset(out / dataset, format="parquet", partitioning="hive").to_table()
    key = "record_id" if dataset == "documents" else "source_path"
    return sorted((r for r in table.drop_columns(["ingested_at"]).to_pylist()), key=lambda r: r[key])


def test_serial_process_pool_and_dask_give_the_same_records(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    write_mixed_batch(raw)
    write_paragraph_pages(raw / "pages", 9)
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 4)  # 15 files: 4 chunks, so the workers share them

    serial = ingest_flow.with_options(task_runner=chunk_runner(workers=1))(
        raw_dir=raw, out_dir=tmp_path / "serial", batch_id="same")
    pooled = ingest_flow(raw_dir=raw, out_dir=tmp_path / "pool", batch_id="same")  # the default: all cores
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dasked = ingest_flow.with_options(task_runner=chunk_runner(dask_address=cluster.scheduler_address))(
            raw_dir=raw, out_dir=tmp_path / "dask", batch_id="same")

    assert [s.runner for s in (serial, pooled, dasked)] == [
        "1 worker (in the flow's process)", f"{chunk_runner()._max_workers} processes",
        f"Dask cluster at {cluster.scheduler_address}"]
    assert serial.chunks == pooled.chunks == dasked.chunks == 4
    assert (serial.records, serial.quarantined) == (13, 2)
    for dataset in ("documents", "quarantine", "manifest"):
        expected = rows(tmp_path / "serial", dataset)
        assert rows(tmp_path / "pool", dataset) == expected, dataset
        assert rows(tmp_path / "dask", dataset) == expected, dataset


def test_the_pool_workers_are_gone_before_the_steps_after_the_chunks(tmp_path, monkeypatch):
    """The workers hold the cleaners' tables: they must not stay resident while the flow's process marks
    duplicates (the run's peak memory was the sum of both)."""
    import multiprocessing

    import flows.ingest

    raw = tmp_path / "raw"
    write_paragraph_pages(raw, 6)
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 2)  # 3 chunks on the pool
    seen = []
    mark = flows.ingest.mark_duplicates_task

    def counting_workers(out_dir, batch_id, staging):
        seen.append(len(multiprocessing.active_children()))
        return mark(out_dir, batch_id, staging)

    monkeypatch.setattr(flows.ingest, "mark_duplicates_task", counting_workers)
    summary = ingest_flow.with_options(task_runner=chunk_runner(workers=2))(raw_dir=raw, out_dir=tmp_path / "out",
                                                                            batch_id="released")
    assert summary.chunks == 3 and summary.runner == "2 processes"
    assert seen == [0]


def test_the_chunks_are_cleaned_in_worker_processes_that_hold_no_prefect(tmp_path, monkeypatch):
    """The task runs stay in the flow's process (Prefect's thread pool); their cleaning goes to plain workers."""
    import json
    import os

    import flows.ingest
    from tests import worker_probes

    raw, probes = tmp_path / "raw", tmp_path / "probes"
    probes.mkdir()
    write_paragraph_pages(raw, 6)
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 2)  # 3 chunks on 2 workers
    monkeypatch.setattr(flows.ingest, "clean_staged_chunk", worker_probes.clean_and_tell)
    monkeypatch.setenv(worker_probes.PROBE_DIR, str(probes))  # the spawned workers inherit it
    summary = ingest_flow.with_options(task_runner=chunk_runner(workers=2))(raw_dir=raw, out_dir=tmp_path / "out",
                                                                            batch_id="plain-workers")
    seen = [json.loads(path.read_text()) for path in sorted(probes.iterdir())]
    assert summary.chunks == 3 and len(seen) == 3 and summary.records == 6
    assert {s["pid"] for s in seen} <= set(summary.timings["chunk_busy_by_pid"]) - {os.getpid()}
    assert all(s["prefect"] == [] and s["cleaners"] for s in seen)


def test_a_killed_worker_fails_its_chunk_whose_files_are_quarantined_and_the_batch_commits(tmp_path, monkeypatch):
    import flows.ingest
    from tests import worker_probes

    raw, probes, out = tmp_path / "raw", tmp_path / "probes", tmp_path / "out"
    probes.mkdir()
    write_paragraph_pages(raw, 6)
    monkeypatch.setattr(ingest.batch, "CHUNK_FILES", 2)
    monkeypatch.setattr(flows.ingest, "clean_staged_chunk", worker_probes.clean_and_tell)
    monkeypatch.setenv(worker_probes.PROBE_DIR, str(probes))
    monkeypatch.setenv(worker_probes.DIE_AT_CHUNK, "1")  # as the OOM killer would
    summary = ingest_flow.with_options(task_runner=chunk_runner(workers=2))(raw_dir=raw, out_dir=out,
                                                                            batch_id="one-worker-killed")
    assert sorted(summary.failed_chunks) == [1] and "WorkerDied" in summary.failed_chunks[1]
    assert (summary.records, summary.quarantined) == (4, 2)  # the other two chunks, on the same pool
    quarantine = rows(out, "quarantine")
    assert len(quarantine) == 2 and {q["reason"] for q in quarantine} == {"error"}
    assert all("killed by SIGKILL" in q["detail"] and "rerun the batch" in q["detail"] for q in quarantine)
