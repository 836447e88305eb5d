"""Planning, chunk cleaning and atomic partition commits, without Prefect."""

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import ingest.chunk
from ingest.batch import check_batch_id, default_batch_id, list_raw_files, load_chunk, plan_batch, stage_chunks
from ingest.run import BatchExists, run_batch, serial_chunks
from schemas.arrow import DOCUMENTS, MANIFEST, QUARANTINE
from tests.batches import write_mixed_batch

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
BATCH_ID = "test-batch"


def run_serially(raw_dir: Path, out_dir: Path, batch_id: str = BATCH_ID, new_only: bool = False, **options):
    """The flow's own batch function, its chunks cleaned one after another in this process."""
    return run_batch(raw_dir, out_dir, batch_id, new_only, serial_chunks, ingested_at=WHEN, **options)


def run_batch_without_prefect(raw_dir: Path, out_dir: Path, batch, **options):
    """``run_serially`` with the id and time of a ``BatchContext``."""
    return run_batch(raw_dir, out_dir, batch.batch_id, False, serial_chunks, ingested_at=batch.ingested_at, **options)


def read(out_dir: Path, dataset: str):
    # batch_id is in the path only (schema version 2): Hive discovery adds it.
    return ds.dataset(out_dir / dataset, format="parquet", partitioning="hive").to_table()


def test_mixed_batch_gives_four_records_and_two_quarantine_rows(tmp_path):
    expected = write_mixed_batch(tmp_path / "raw")
    run_serially(tmp_path / "raw", tmp_path / "out")
    documents = read(tmp_path / "out", "documents").to_pylist()
    assert {d["source_path"]: d["encoding"] for d in documents} == {
        k: v for k, v in expected.items() if v not in ("empty", "binary")}
    quarantine = read(tmp_path / "out", "quarantine").to_pylist()
    assert {q["source_path"]: q["reason"] for q in quarantine} == {"empty.txt": "empty", "logo.png": "binary"}
    assert all(q["detail"].endswith(".") and len(q["detail"]) > 20 for q in quarantine)
    manifest = read(tmp_path / "out", "manifest").to_pylist()
    assert sorted(m["source_path"] for m in manifest) == sorted(expected)


def test_every_file_has_a_manifest_row_even_exact_duplicates(tmp_path):
    raw = tmp_path / "raw"
    write_mixed_batch(raw)
    (raw / "copy").mkdir()
    (raw / "copy" / "again.txt").write_bytes((raw / "gb" / "speech.txt").read_bytes())
    summary = run_serially(raw, tmp_path / "out")
    assert (summary.files, summary.duplicates) == (7, 1)
    outcomes = {m["source_path"]: m["outcome"] for m in read(tmp_path / "out", "manifest").to_pylist()}
    assert outcomes == {"copy/again.txt": "ingested", "gb/speech.txt": "duplicate", "tw/speech.txt": "ingested",
                        "speech-utf16.txt": "ingested", "speech-utf8bom.txt": "ingested",
                        "empty.txt": "quarantined", "logo.png": "quarantined"}


def test_a_file_that_crashes_a_cleaner_is_quarantined_and_the_others_go_on(tmp_path, monkeypatch):
    write_mixed_batch(tmp_path / "raw")
    real = ingest.chunk.clean_bytes

    def crash_on_big5(raw, config, hint=None):
        if raw == (tmp_path / "raw" / "tw" / "speech.txt").read_bytes():
            raise RuntimeError("boom")
        return real(raw, config, hint=hint)

    monkeypatch.setattr(ingest.chunk, "clean_bytes", crash_on_big5)
    run_serially(tmp_path / "raw", tmp_path / "out")
    quarantine = {q["source_path"]: q for q in read(tmp_path / "out", "quarantine").to_pylist()}
    assert quarantine["tw/speech.txt"]["reason"] == "error"
    assert "RuntimeError: boom" in quarantine["tw/speech.txt"]["detail"]
    assert len(read(tmp_path / "out", "documents")) == 3


def test_files_are_written_with_the_schemas_and_zstd(tmp_path):
    write_mixed_batch(tmp_path / "raw")
    run_serially(tmp_path / "raw", tmp_path / "out")
    for dataset, schema in (("documents", DOCUMENTS), ("quarantine", QUARANTINE), ("manifest", MANIFEST)):
        (part,) = (tmp_path / "out" / dataset / "batch_id=test-batch").glob("*.parquet")
        assert pq.read_schema(part).equals(schema, check_metadata=True)
        assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"


def test_rerun_replaces_the_partition_and_keeps_record_ids(tmp_path):
    write_mixed_batch(tmp_path / "raw")
    run_serially(tmp_path / "raw", tmp_path / "out")
    first = sorted(read(tmp_path / "out", "documents").column("record_id").to_pylist())
    stale = tmp_path / "out" / "documents" / "batch_id=test-batch" / "part-99999.parquet"
    stale.write_bytes(b"left over from an older run")
    with pytest.raises(BatchExists):  # never replaced silently
        run_serially(tmp_path / "raw", tmp_path / "out")
    assert stale.exists()
    run_serially(tmp_path / "raw", tmp_path / "out", replace=True)
    assert not stale.exists()
    assert sorted(read(tmp_path / "out", "documents").column("record_id").to_pylist()) == first
    assert not list((tmp_path / "out" / ".staging").iterdir())


def test_chunks_are_bounded_and_keep_order(tmp_path):
    raw = tmp_path / "raw"
    write_mixed_batch(raw)
    files = list_raw_files(raw)
    plan = plan_batch(files, chunk_bytes=3000, chunk_files=2)
    assert all(len(c) <= 2 for c in plan.chunks)
    assert [f.source_path for c in plan.chunks for f in c] == [f.source_path for f in files]


def test_staged_chunks_read_back_as_planned_and_the_staged_plan_holds_nothing_per_file(tmp_path):
    """The flow keeps a StagedPlan for the whole run: its size must not grow with the files of a chunk."""
    import pickle

    raw = tmp_path / "raw"
    write_mixed_batch(raw)
    (raw / "不可讀.txt").write_bytes(b"x")
    (raw / "不可讀.txt").chmod(0)  # listed with its error (unless the tests run as root)
    (raw / "again.txt").write_bytes((raw / "gb" / "speech.txt").read_bytes())  # an exact duplicate
    files = list_raw_files(raw)
    plan = plan_batch(files, chunk_bytes=3000, chunk_files=3)
    staged = stage_chunks(plan, tmp_path / "lists")
    assert [load_chunk(ref) for ref in staged.chunks] == list(plan.chunks)
    assert [ref.index for ref in staged.chunks] == list(range(len(plan.chunks)))
    assert (staged.files, staged.raw_bytes, staged.duplicates) == (plan.files, plan.raw_bytes, 1)

    from dataclasses import replace

    # 50 times the files (distinct contents as far as planning can tell), in the same number of chunks
    many = [replace(f, source_path=f"{i}/{f.source_path}", sha256=f"{f.sha256}-{i}") for i in range(50) for f in files]
    big = stage_chunks(plan_batch(many, chunk_bytes=10**9, chunk_files=len(many) // 2 + 1), tmp_path / "big")
    small = stage_chunks(plan_batch(files, chunk_bytes=10**9, chunk_files=len(files) // 2 + 1), tmp_path / "small")
    assert len(big.chunks) == len(small.chunks) == 2
    assert len(pickle.dumps(big)) < len(pickle.dumps(small)) + 20  # a few more digits, nothing per file


def test_listing_is_recursive_relative_and_sorted(tmp_path):
    write_mixed_batch(tmp_path / "raw")
    names = [f.source_path for f in list_raw_files(tmp_path / "raw")]
    assert names == sorted(names) and "gb/speech.txt" in names and "tw/speech.txt" in names


def test_batch_ids():
    moment = datetime(2026, 11, 21, 3, tzinfo=UTC)
    assert default_batch_id("raw/samples", moment, suffix="3f9c2a") == "samples-20261121-110000-3f9c2a"
    same_second = {default_batch_id("raw/samples", moment) for _ in range(50)}
    assert len(same_second) == 50 and all(check_batch_id(b) for b in same_second)
    chinese = {default_batch_id(Path("/data/新闻稿"), moment) for _ in range(20)}
    assert len(chinese) == 20 and all(b.startswith("xin-wen-gao-20261121-110000-") for b in chinese)
    assert check_batch_id("nightly-2026-11-21") == "nightly-2026-11-21"
    for bad in ("20261121", "../x", "a/b", "", "批次"):
        with pytest.raises(ValueError):
            check_batch_id(bad)


def test_the_outcome_table_puts_quarantined_files_first_and_cuts_the_rest(tmp_path):
    from ingest.summary import outcome_table

    write_mixed_batch(tmp_path / "raw")
    run_serially(tmp_path / "raw", tmp_path / "out")
    rows, left_out = outcome_table(str(tmp_path / "out"), BATCH_ID, limit=3)
    assert [(r["source_path"], r["outcome"], r["reason"]) for r in rows] == [
        ("empty.txt", "quarantined", "empty"), ("logo.png", "quarantined", "binary"),
        ("gb/speech.txt", "ingested", "")]
    assert left_out == 3 and rows[0]["detail"] and rows[2]["records"] == 1 and rows[1]["bytes"] > 0
    assert outcome_table(str(tmp_path / "out"), "no-such-batch") == ([], 0)


def test_every_record_names_the_version_read_at_the_start_and_no_chunk_runs_git(tmp_path, monkeypatch):
    """run_batch asks for the pipeline version once; the chunks take it from the BatchContext, never from git."""
    import subprocess

    import ingest.records
    import ingest.run

    asked: list[str] = []

    def version_at_start() -> str:
        asked.append("version")
        return "9.9+gstart"

    def no_git(*args, **kwargs):
        raise AssertionError(f"a chunk ran a subprocess: {args}")

    monkeypatch.setattr(ingest.run, "pipeline_version", version_at_start)
    monkeypatch.setattr(ingest.records, "pipeline_version", lambda: "9.9+gworker")  # what a worker would read
    monkeypatch.setattr(subprocess, "run", no_git)
    write_mixed_batch(tmp_path / "raw")
    run_serially(tmp_path / "raw", tmp_path / "out")
    documents = read(tmp_path / "out", "documents").to_pylist()
    assert documents and {d["pipeline_version"] for d in documents} == {"9.9+gstart"}
    assert asked == ["version"]


def test_a_batch_context_carries_its_version_to_another_process():
    """The version is a field, fixed when the context is made: a pickled context (a worker's) does not ask again."""
    import pickle

    from ingest.records import BatchContext

    batch = BatchContext(BATCH_ID, WHEN, version="1.2+gabc")
    assert pickle.loads(pickle.dumps(batch)).version == "1.2+gabc"
    assert BatchContext(BATCH_ID, WHEN).version  # made without one: read where it is made
