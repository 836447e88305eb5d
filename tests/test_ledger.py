"""What earlier batches hold, the output lock, and abandoning a chunk: without Prefect."""

import errno
import threading
import time
from datetime import UTC, datetime

import pyarrow.dataset as ds
import pytest

import ingest.chunk
from ingest.batch import list_raw_files, plan_batch
from ingest.chunk import abandon_chunk, clean_chunk, is_transient, read_raw
from ingest.ledger import held_hashes
from ingest.lock import LockTimeout, output_lock
from ingest.records import BatchContext
from ingest.store import new_staging_dir
from tests.batches import write_mixed_batch
from tests.test_batch import run_serially

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_files_an_earlier_batch_holds_are_set_aside_and_a_rerun_of_that_batch_takes_them_again(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_mixed_batch(raw)
    run_serially(raw, out, "first")
    files = list_raw_files(raw)
    held = held_hashes(out)
    assert set(held) == {f.sha256 for f in files} and set(held.values()) == {"first"}

    (raw / "new.txt").write_bytes("新的一篇文章。".encode("gb18030"))
    plan = plan_batch(list_raw_files(raw), held=held_hashes(out, except_batch="second"))
    assert [f.source_path for chunk in plan.chunks for f in chunk] == ["new.txt"]
    assert sorted((f.source_path, b) for f, b in plan.held) == sorted((f.source_path, "first") for f in files)

    rerun = plan_batch(list_raw_files(raw), held=held_hashes(out, except_batch="first"))
    assert rerun.held == () and rerun.files == len(files) + 1


def test_a_second_writer_waits_for_the_lock_and_is_told_who_holds_it(tmp_path):
    held, release, told = threading.Event(), threading.Event(), []

    def first():
        with output_lock(tmp_path, owner="batch one"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(10)
    with pytest.raises(LockTimeout, match="batch one"):
        with output_lock(tmp_path, owner="batch two", timeout=0.3, waiting=told.append):
            pass
    assert len(told) == 1 and "batch one" in told[0]
    release.set()
    started = time.monotonic()
    with output_lock(tmp_path, owner="batch two", timeout=10):
        assert time.monotonic() - started < 10
    thread.join()


def test_transient_read_errors_are_raised_for_a_retry_and_permanent_ones_quarantined(tmp_path, monkeypatch):
    write_mixed_batch(tmp_path / "raw")
    raw = next(f for f in list_raw_files(tmp_path / "raw") if f.source_path == "gb/speech.txt")
    batch = BatchContext("b", NOW)
    (tmp_path / "raw" / "gb" / "speech.txt").unlink()
    gone, data = read_raw(raw, batch)
    assert data is None and "FileNotFoundError" in gone.error and gone.reason == "unreadable"

    def flaky_read(path, limit):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(ingest.chunk, "read_regular", flaky_read)
    with pytest.raises(OSError) as caught:
        read_raw(raw, batch)
    assert is_transient(caught.value)


def test_an_abandoned_chunk_keeps_nothing_it_staged_and_quarantines_its_files_with_the_cause(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_mixed_batch(raw)
    batch = BatchContext("b", NOW)
    plan = plan_batch(list_raw_files(raw))
    staging = new_staging_dir(out, "b")
    clean_chunk(plan.chunks[0], 0, batch, staging)  # as if it had staged its parts, then failed
    result = abandon_chunk(plan.chunks[0], 0, batch, staging, OSError(errno.EIO, "Input/output error"), 4)
    assert not (staging / "documents" / "part-00000.parquet").exists()
    assert len(list((staging / "manifest").glob("*.parquet"))) == 1
    rows = ds.dataset(staging / "quarantine").to_table().to_pylist()
    assert sorted(r["source_path"] for r in rows) == sorted(f.source_path for f in plan.chunks[0])
    assert {r["reason"] for r in rows} == {"error"}
    assert all("Input/output error" in r["detail"] and "4 time(s)" in r["detail"] for r in rows)
    manifest = ds.dataset(staging / "manifest").to_table().to_pylist()
    assert sorted(m["source_path"] for m in manifest) == sorted(f.source_path for f in plan.chunks[0])
    assert {m["outcome"] for m in manifest} == {"quarantined"} and result.outcomes == {"quarantined": len(manifest)}


def test_files_the_pipeline_failed_on_are_not_held_and_the_next_batch_retries_them(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_mixed_batch(raw)
    real_clean = ingest.chunk.clean_bytes
    broken = (raw / "gb" / "speech.txt").read_bytes()

    def clean_with_a_bug(data, config, hint=None):
        if data == broken:
            raise KeyError("a bug met on this page")
        return real_clean(data, config, hint=hint)

    monkeypatch.setattr(ingest.chunk, "clean_bytes", clean_with_a_bug)
    run_serially(raw, out, "first")
    reasons = {q["source_path"]: q["reason"] for q in ds.dataset(out / "quarantine").to_table().to_pylist()}
    assert reasons == {"gb/speech.txt": "error", "empty.txt": "empty", "logo.png": "binary"}

    held = held_hashes(out)
    by_path = {f.source_path: f.sha256 for f in list_raw_files(raw)}
    assert by_path["gb/speech.txt"] not in held  # our failure: tried again
    assert {by_path["empty.txt"], by_path["logo.png"]} <= set(held)  # the bytes' fault: final

    monkeypatch.setattr(ingest.chunk, "clean_bytes", real_clean)  # the bug is fixed
    plan = plan_batch(list_raw_files(raw), held=held_hashes(out, except_batch="second"))
    assert [f.source_path for chunk in plan.chunks for f in chunk] == ["gb/speech.txt"]
    run_serially(raw, out, "second")
    assert by_path["gb/speech.txt"] in held_hashes(out)
