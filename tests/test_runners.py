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
