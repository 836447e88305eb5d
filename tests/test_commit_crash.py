"""A batch is wholly present or wholly absent whatever instruction of its commit a crash hits.

The commit's test hook (``ingest.commit.CRASH_ENV``) makes a run SIGKILL itself
at its N-th commit step; each N is run in a process of its own, until a run
gets through. After each kill, the next run of the same output directory rolls
the interrupted commit forward first; then the output equals that of a run that
was never killed, and no record is there twice. Three cases: a first ingest, a
nightly run after an earlier batch, and a re-run (``replace``) of a committed
batch, which must never be left without its documents.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from ingest.commit import CRASH_ENV, JOURNAL
from ingest.dedup import DedupConfig
from ingest.dedup_segments import load_index
from ingest.ledger import committed_batches
from ingest.lock import output_lock
from ingest.run import recover_output, run_batch, serial_chunks
from ingest.store import STAGING
from schemas.arrow import DATASETS
from tests.batches import write_paragraph_pages

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
BATCH = "crash-test"
MAX_STEPS = 40  # far more than any commit has: the loop must end because a run got through

# The runs that are killed are forked from a server that has already imported the pipeline: quick to start.
CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["ingest.run"])


def run(raw: Path, out: Path, batch_id: str | None, new_only: bool = False, replace: bool = False) -> None:
    run_batch(raw, out, batch_id, new_only, serial_chunks, ingested_at=WHEN, replace=replace)


def run_crashing_at(step: int, *args) -> int:
    """Run a batch in another process that kills itself at commit step ``step``; its exit code."""
    process = CONTEXT.Process(target=_crashing_child, args=(step, *args))
    process.start()
    process.join(timeout=300)
    assert process.exitcode is not None, "the run neither finished nor died"
    return process.exitcode


def _crashing_child(step: int, *args) -> None:
    os.environ[CRASH_ENV] = str(step)
    run(*args)


def rows(out: Path, dataset: str, keep_batch: bool = True) -> list[tuple]:
    """Every row of a dataset as sorted tuples (with ``batch_id`` from the path unless told otherwise)."""
    if not (out / dataset).is_dir():
        return []
    table = ds.dataset(out / dataset, format="parquet", partitioning="hive").to_table()
    # The version names the checkout's commit and whether it is dirty, asked of git in each process
    # (the killed child is another): a slow or busy git, or a file edited meanwhile, is no lost record.
    if "pipeline_version" in table.column_names:
        table = table.drop_columns(["pipeline_version"])
    if not keep_batch:
        table = table.drop_columns(["batch_id"])
    return sorted(tuple(repr(v) for v in row.values()) for row in table.to_pylist())


def snapshot(out: Path, keep_batch: bool = True) -> dict[str, list[tuple]]:
    return {dataset: rows(out, dataset, keep_batch) for dataset in DATASETS}


def assert_whole(out: Path) -> None:
    """Each batch in all three datasets or in none; the duplicate index covers exactly the committed batches."""
    present = {d: {p.name for p in (out / d).glob("batch_id=*")} for d in DATASETS}
    assert len({frozenset(v) for v in present.values()}) == 1, present
    assert not (out / JOURNAL).exists()
    if committed_batches(out):
        assert load_index(out, committed_batches(out), DedupConfig()) is not None


def assert_no_record_twice(out: Path) -> None:
    documents = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table()
    counts = Counter(documents.column("record_id").to_pylist())
    assert not [r for r, n in counts.items() if n > 1]
    manifest = ds.dataset(out / "manifest", format="parquet", partitioning="hive").to_table().to_pylist()
    ingested = Counter(r["source_sha256"] for r in manifest if r["outcome"] == "ingested")
    assert not [s for s, n in ingested.items() if n > 1]


def recover_now(out: Path) -> None:
    with output_lock(out, owner="test"):
        recover_output(str(out))


def kill_at_every_step(template: Path, tmp_path: Path, crashing_args, rerun, expected, keep_batch=True,
                       after_recovery=None) -> int:
    """For N = 1, 2, …: copy ``template``, crash a run at commit step N, recover, rerun, compare. Steps killed."""
    for step in range(1, MAX_STEPS):
        out = tmp_path / f"step-{step}"
        shutil.copytree(template, out)
        code = run_crashing_at(step, *crashing_args(out))
        if code == 0:
            assert snapshot(out, keep_batch) == expected  # the hook let it through: the plain run's output
            return step - 1
        assert code == -9, f"step {step}: the run ended with {code}, not by the hook's SIGKILL"
        recover_now(out)
        assert_whole(out)
        if after_recovery:
            after_recovery(out, step)
        rerun(out)
        assert_whole(out)
        assert_no_record_twice(out)
        assert snapshot(out, keep_batch) == expected, f"killed at commit step {step}"
        assert not [p for p in (out / STAGING).iterdir()], f"staging left after step {step}"
        shutil.rmtree(out)
    pytest.fail(f"the commit still crashed at step {MAX_STEPS}")


@pytest.fixture
def raw(tmp_path) -> Path:
    root = tmp_path / "raw"
    write_paragraph_pages(root / "monday", 2, prefix="mon")
    write_paragraph_pages(root / "tuesday", 3, prefix="tue")  # the first two copy monday's text: duplicates
    (root / "tuesday" / "empty.txt").write_bytes(b"")  # a quarantine row
    return root


def test_a_first_ingest_killed_at_every_commit_step_reruns_to_the_same_output(tmp_path, raw):
    reference = tmp_path / "reference"
    run(raw, reference, BATCH)
    template = tmp_path / "template"
    template.mkdir()
    steps = kill_at_every_step(template, tmp_path, lambda out: (raw, out, BATCH),
                               rerun=lambda out: run(raw, out, BATCH, replace=True),
                               expected=snapshot(reference))
    assert steps >= 7  # staged, journal aside, journal in place, 4 renames, journal removed, cleaned


def test_a_nightly_run_killed_at_every_commit_step_leaves_each_file_ingested_once(tmp_path, raw):
    reference = tmp_path / "reference"
    run(raw / "monday", reference, "monday")
    template = tmp_path / "template"
    shutil.copytree(reference, template)
    run(raw, reference, None, new_only=True)
    steps = kill_at_every_step(template, tmp_path, lambda out: (raw, out, None, True),
                               rerun=lambda out: run(raw, out, None, new_only=True),
                               expected=snapshot(reference, keep_batch=False), keep_batch=False)
    assert steps >= 9  # with the duplicate index of monday put aside


def test_a_rerun_of_a_committed_batch_killed_at_every_commit_step_never_loses_the_batch(tmp_path, raw):
    template = tmp_path / "template"
    run(raw, template, BATCH)
    expected = snapshot(template)

    def still_whole(out: Path, step: int) -> None:
        assert snapshot(out) == expected, f"killed at commit step {step}: the batch is not whole"

    steps = kill_at_every_step(template, tmp_path, lambda out: (raw, out, BATCH, False, True),
                               rerun=lambda out: run(raw, out, BATCH, replace=True), expected=expected,
                               after_recovery=still_whole)
    assert steps >= 11  # four partitions put aside, then renamed in
