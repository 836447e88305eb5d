"""Runs that choose no batch id never share one, so none replaces another's partitions."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds

from ingest.batch_ids import nightly_batch_id
from ingest.ledger import committed_batches
from ingest.run import run_batch, serial_chunks
from tests.batches import write_paragraph_pages

CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["ingest.run"])


def _run(raw: Path, out: Path, new_only: bool) -> None:
    run_batch(raw, out, None, new_only, serial_chunks)


def run_at_once(jobs: list[tuple[Path, Path, bool]]) -> None:
    processes = [CONTEXT.Process(target=_run, args=job) for job in jobs]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0


def split_pages(left: Path, right: Path) -> tuple[list[str], list[str]]:
    """Six distinct pages, three under each directory (same names would be fine: contents differ)."""
    names = write_paragraph_pages(left, 6)
    right.mkdir(parents=True)
    for name in names[3:]:
        (left / name).rename(right / name)
    return names[:3], names[3:]


def documents(out: Path) -> list[str]:
    return sorted(ds.dataset(out / "documents", format="parquet", partitioning="hive")
                  .to_table(columns=["source_path"]).column("source_path").to_pylist())


def test_two_nightly_runs_at_once_over_different_roots_keep_every_record(tmp_path):
    out = tmp_path / "out"
    first, second = split_pages(tmp_path / "east", tmp_path / "west")
    run_at_once([(tmp_path / "east", out, True), (tmp_path / "west", out, True)])
    assert len(committed_batches(out)) == 2
    assert documents(out) == sorted(first + second)


def test_two_ingests_of_same_named_folders_keep_every_record(tmp_path):
    out = tmp_path / "out"
    one, two = split_pages(tmp_path / "a" / "新闻稿", tmp_path / "b" / "新闻稿")
    run_at_once([(tmp_path / "a" / "新闻稿", out, False), (tmp_path / "b" / "新闻稿", out, False)])
    batches = committed_batches(out)
    assert len(batches) == 2 and all(b.startswith("xin-wen-gao-") for b in batches)
    assert documents(out) == sorted(one + two)


def test_nightly_ids_of_one_second_differ():
    moment = datetime(2026, 11, 21, 18, tzinfo=UTC)
    assert len({nightly_batch_id(moment) for _ in range(100)}) == 100
