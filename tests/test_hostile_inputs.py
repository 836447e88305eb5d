"""The hostile-input corpus (tests/hostile.py) as one batch: it completes, every entry is accounted for, with
its expected outcome and reason, and nothing outside the raw directory is opened."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import ingest.chunk
from cleaners.errors import QUARANTINE_REASONS, RETRIED_REASONS, Rejected
from cleaners.model import CleanConfig
from cleaners.pipeline import clean_bytes
from ingest.batch import list_raw_files
from ingest.budget import OverBudget, time_budget
from ingest.chunk import process_file, read_raw
from ingest.ledger import held_hashes
from ingest.listing import shown_path
from ingest.records import BatchContext
from ingest.run import BatchSteps, plan_staged, run_batch, serial_chunks
from tests import hostile

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
CONFIG = CleanConfig(max_bytes=hostile.LIMIT, max_line_bytes=hostile.LINE_LIMIT)
OPENED: list[str] = []
AUDITING = threading.Event()


def audit(event: str, args: tuple) -> None:
    if AUDITING.is_set() and event == "open" and isinstance(args[0], (str, bytes)):
        OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(audit)  # cannot be removed: it records only while AUDITING is set


def read(out: Path, dataset: str) -> list[dict]:
    return ds.dataset(out / dataset, format="parquet", partitioning="hive").to_table().to_pylist()


def entries_under(raw: Path) -> set[str]:
    """Every entry that is not a directory (links to directories included), as ``source_path`` shows it."""
    found = set()
    for directory, dirs, files in os.walk(raw):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(directory, d))]:
            found.add(shown_path(os.path.relpath(os.path.join(directory, name), raw)))
    return found


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """The corpus, plus a file rewritten between listing and cleaning, run as one batch with the serial mapper."""
    root = tmp_path_factory.mktemp("hostile")
    raw, out = root / "raw", root / "out"
    expected = hostile.build(raw)
    changed = raw / "changed.txt"
    changed.write_bytes((hostile.speech() + "\n第一版").encode())
    expected["changed.txt"] = hostile.INGESTED
    rewritten = (hostile.speech() + "\n第二版，列出之后才改。").encode()  # a sentence: a bare line past the prose is a footer

    def plan_then_rewrite(*args, **kwargs):
        plan = plan_staged(*args, **kwargs)
        changed.write_bytes(rewritten)  # a crawler still writing it
        return plan

    listed = entries_under(raw)  # before the run (a chmod 000 directory hides its files from this walk)
    OPENED.clear()
    AUDITING.set()
    try:
        summary = run_batch(raw, out, "hostile", False, serial_chunks, config=CONFIG, ingested_at=WHEN,
                            steps=BatchSteps(plan=plan_then_rewrite))
    finally:
        AUDITING.clear()
        hostile.restore_permissions(raw)
    yield {"raw": raw, "out": out, "root": root, "expected": expected, "summary": summary, "listed": listed,
           "opened": list(OPENED), "rewritten": rewritten}


def test_the_corpus_has_at_least_forty_kinds(hostile_batch):
    assert len(hostile.KINDS) + 1 >= 40  # + the file changed during the run
    assert len(hostile_batch["expected"]) >= 60


def test_every_entry_gets_its_expected_outcome_and_reason(hostile_batch):
    manifest = {row["source_path"]: row for row in read(hostile_batch["out"], "manifest")}
    quarantine = {row["source_path"]: row for row in read(hostile_batch["out"], "quarantine")}
    got = {path: (row["outcome"], quarantine[path]["reason"] if path in quarantine else None)
           for path, row in manifest.items()}
    assert got == hostile_batch["expected"]
    assert len(manifest) == len(read(hostile_batch["out"], "manifest"))  # one row per entry, none twice
    assert set(quarantine) <= set(manifest)


def test_the_manifest_accounts_for_every_directory_entry(hostile_batch):
    manifest = {row["source_path"] for row in read(hostile_batch["out"], "manifest")}
    listed = hostile_batch["listed"]
    assert listed <= manifest
    assert manifest - listed <= {"locked/", "locked/inside.txt"}  # what a locked directory hides from a non-root walk
    assert hostile_batch["summary"].files == len(manifest)


def test_nothing_outside_the_raw_directory_is_opened(hostile_batch):
    root = hostile_batch["root"]
    opened = [os.path.realpath(path) for path in hostile_batch["opened"]]
    forbidden = {str(root / "secret.txt"), str(root / "elsewhere" / "page.txt"), "/dev/zero"}
    assert not forbidden & set(opened)
    fifos = {str(hostile_batch["raw"] / "pipe"), str(hostile_batch["raw"] / "inside" / "pipe-target")}
    assert not fifos & set(opened)
    texts = " ".join(row["text"] for row in read(hostile_batch["out"], "documents"))
    assert "机密" not in texts and "别处" not in texts  # the linked-out pages' own last lines


def test_permanent_reasons_are_held_and_only_errors_are_retried(hostile_batch):
    quarantine = read(hostile_batch["out"], "quarantine")
    assert {row["reason"] for row in quarantine} & RETRIED_REASONS == set()
    held = held_hashes(hostile_batch["out"])
    for row in quarantine:
        assert row["reason"] in QUARANTINE_REASONS and row["detail"].endswith(".")
        if row["source_sha256"]:
            assert row["source_sha256"] in held, row["source_path"]
    read_entries = {"not_a_file", "outside_raw", "unreadable"}
    assert all(row["source_sha256"] == "" and row["source_bytes"] == 0 for row in quarantine
               if row["reason"] in read_entries)


def test_details_say_how_to_raise_a_limit(hostile_batch):
    details = {row["source_path"]: row["detail"] for row in read(hostile_batch["out"], "quarantine")}
    assert "--max-file-size" in details["huge.txt"] and "--max-file-size" in details["bomb.gz"]
    assert "--max-line-size" in details["one-line.txt"]
    assert "symbolic link" in details["zero"] and "/dev/zero" in details["zero"]
    assert "loop" in details["loop-a"] and "dangling" in details["dangling.txt"]
    assert "FIFO" in details["pipe"] and "socket" in details["socket"]
    assert "too deep" in details["deep.html"]


def test_what_the_records_say_of_the_hostile_pages(hostile_batch):
    documents = read(hostile_batch["out"], "documents")
    by_path: dict[str, list[dict]] = {}
    for row in documents:
        by_path.setdefault(row["source_path"], []).append(row)
    assert {row["encoding"] for row in by_path["shift-jis.txt"]} == {"shift_jis"}
    assert {row["encoding"] for row in by_path["euc-kr.txt"]} == {"euc_kr"}
    assert {row["encoding"] for row in by_path["nul.txt"]} == {"utf-8"}
    assert sum(row["repairs"]["nul_removed"] for row in by_path["nul.txt"]) == 3
    assert sum(row["repairs"]["bad_bytes_marked"] for row in by_path["gbk-bad-pairs.txt"]) >= 3
    overflow = by_path["overflow.txt"]
    stated = clean_bytes((hostile_batch["raw"] / "overflow.txt").read_bytes()).page.meta
    # What the page claims is beyond int32: the notice reader ignores it (and counts it), so no value can fail a write.
    assert stated.declared_chars is None and stated.shown_chars is None
    assert all(row["declared_chars"] is None and row["shown_chars"] is None for row in overflow)
    assert "\\xb9\\xfa-page.txt" in by_path and "two\nlines.txt" in by_path
    mojibake = by_path["mojibake.txt"]  # read back; what the GBK reading lost for good is marked, not left garbled
    assert sum(row["repairs"]["utf8_as_gbk"] for row in mojibake) > 0
    assert "国际劳动节来临之际" in "".join(row["text"] for row in mojibake)


def test_a_file_changed_after_listing_is_recorded_as_the_bytes_cleaned(hostile_batch):
    sha = hashlib.sha256(hostile_batch["rewritten"]).hexdigest()
    (row,) = [m for m in read(hostile_batch["out"], "manifest") if m["source_path"] == "changed.txt"]
    assert (row["source_sha256"], row["source_bytes"]) == (sha, len(hostile_batch["rewritten"]))
    texts = [d["text"] for d in read(hostile_batch["out"], "documents") if d["source_path"] == "changed.txt"]
    assert any("第二版" in text for text in texts)


def test_an_exception_in_one_file_costs_that_file_only(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    for name in ("a.txt", "b.txt", "c.txt"):
        hostile.write(raw, name, (hostile.speech() + f"\n{name}").encode())
    real = ingest.chunk.clean_bytes

    def failing(data, config, hint=None):
        if data.endswith(b"b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        if data.endswith(b"c.txt"):
            raise OverflowError("Python int too large to convert to C int")
        return real(data, config, hint=hint)

    monkeypatch.setattr(ingest.chunk, "clean_bytes", failing)
    run_batch(raw, tmp_path / "out", "one-poison", False, serial_chunks, ingested_at=WHEN)
    reasons = {row["source_path"]: row["reason"] for row in read(tmp_path / "out", "quarantine")}
    assert reasons == {"b.txt": "too_complex", "c.txt": "error"}  # a bug stays ours, and is retried
    assert {row["source_path"] for row in read(tmp_path / "out", "documents")} == {"a.txt"}


def test_a_file_past_its_time_budget_is_stopped_and_the_chunk_goes_on(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    for name in ("a.txt", "slow.txt", "c.txt"):
        hostile.write(raw, name, (hostile.speech() + f"\n{name}").encode())
    real = ingest.chunk.clean_bytes

    def stalls(data, config, hint=None):
        if data.endswith(b"slow.txt"):
            while True:  # a stage that never ends, and swallows what it can
                try:
                    sum(range(1000))
                except Exception:
                    pass
        return real(data, config, hint=hint)

    monkeypatch.setattr(ingest.chunk, "clean_bytes", stalls)
    real(hostile.speech().encode(), CleanConfig())  # the first page loads the tables (~0.4 s): not within a.txt's budget
    config = CleanConfig(file_seconds=0.5)
    run_batch(raw, tmp_path / "out", "slow", False, serial_chunks, ingested_at=WHEN, config=config)
    quarantine = read(tmp_path / "out", "quarantine")
    assert [(q["source_path"], q["reason"]) for q in quarantine] == [("slow.txt", "too_complex")]
    assert "--file-time-budget" in quarantine[0]["detail"]
    assert {row["source_path"] for row in read(tmp_path / "out", "documents")} == {"a.txt", "c.txt"}


def test_the_budget_leaves_nothing_pending_once_its_block_is_over():
    with time_budget(30):
        pass
    with pytest.raises(OverBudget), time_budget(0.05):
        while True:
            sum(range(100))
    total = sum(sum(range(1000)) for _ in range(20000))  # runs on, undisturbed
    assert total == 20000 * 499500



def spin_until_stopped() -> None:
    while True:
        sum(range(100))


def watchdog_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "file-time-budget"]


def test_one_watchdog_thread_serves_every_block():
    for _ in range(200):
        with time_budget(30):
            sum(range(100))
    with pytest.raises(OverBudget), time_budget(0.05):
        spin_until_stopped()
    assert len(watchdog_threads()) == 1


def test_a_short_budget_fires_on_time_while_the_watchdog_sleeps_until_a_long_one():
    started = time.monotonic()
    with time_budget(60):
        with pytest.raises(OverBudget), time_budget(0.1):
            spin_until_stopped()
    assert time.monotonic() - started < 5


def test_a_thread_past_its_budget_is_stopped_and_a_thread_within_it_is_not():
    outcome: dict[str, str] = {}

    def runs(name: str, seconds: float, work) -> None:
        try:
            with time_budget(seconds):
                work()
            outcome[name] = "finished"
        except OverBudget:
            outcome[name] = "stopped"

    slow = threading.Thread(target=runs, args=("slow", 0.1, spin_until_stopped))
    quick = threading.Thread(target=runs, args=("quick", 30, lambda: [sum(range(1000)) for _ in range(5000)]))
    slow.start(), quick.start()
    slow.join(10), quick.join(30)
    assert outcome == {"slow": "stopped", "quick": "finished"}


TRACED_AFTER_BUDGETS = """
import sys
from ingest.budget import OverBudget, time_budget
with time_budget(30):
    pass
try:
    with time_budget(0.05):
        while True:
            sum(range(100))
except OverBudget:
    pass
calls = []
def tracer(frame, event, arg):
    calls.append(event)
def traced():
    return 1
sys.settrace(tracer)
traced()
sys.settrace(None)
print(calls)
"""


def test_a_thread_can_be_traced_and_profiled_after_its_budgets():
    """A debugger, coverage or cProfile in a worker after a budgeted file: the budget leaves no signal behind."""
    done = subprocess.run([sys.executable, "-c", TRACED_AFTER_BUDGETS], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['call']"


def test_a_file_swapped_for_a_fifo_after_listing_is_not_opened_blocking(tmp_path):
    raw = tmp_path / "raw"
    hostile.write(raw, "page.txt", hostile.speech().encode())
    (listed,) = list_raw_files(raw)
    (raw / "page.txt").unlink()
    os.mkfifo(raw / "page.txt")
    batch = BatchContext("swap", WHEN)
    checked, data = read_raw(listed, batch)
    assert data is None and checked.reason == "not_a_file"
    outcome = process_file(checked, data, batch)
    assert outcome.quarantine["reason"] == "not_a_file"


def test_a_file_grown_past_the_limit_after_listing_is_too_large_unread(tmp_path):
    raw = tmp_path / "raw"
    path = hostile.write(raw, "page.txt", hostile.speech().encode())
    (listed,) = list_raw_files(raw)
    path.write_bytes(hostile.speech().encode() * 100)
    batch = BatchContext("grown", WHEN, config=CleanConfig(max_bytes=len(hostile.speech().encode()) * 2))
    checked, data = read_raw(listed, batch)
    assert data is None
    assert process_file(checked, data, batch).quarantine["reason"] == "too_large"


def test_reasons_are_the_contracts():
    contract = (Path(__file__).parent.parent / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    for reason in QUARANTINE_REASONS:
        assert f"| `{reason}`" in contract or f", `{reason}`" in contract.split("| reason |")[1], reason
    with pytest.raises(ValueError):
        Rejected("too_slow", "not a contract reason")


def test_nightly_sets_aside_entries_still_unread_and_takes_them_once_they_are_files(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    hostile.write(raw, "page.txt", hostile.speech().encode())
    os.mkfifo(raw / "pipe")
    os.symlink("/dev/zero", raw / "zero")
    first = run_batch(raw, out, "night-1", True, serial_chunks, ingested_at=WHEN)
    assert first.committed and first.quarantine_reasons == {"not_a_file": 1, "outside_raw": 1}
    again = run_batch(raw, out, "night-2", True, serial_chunks, ingested_at=WHEN)
    assert not again.committed and again.already_held == 3  # nothing new: nothing written
    (raw / "pipe").unlink()
    hostile.write(raw, "pipe", (hostile.speech() + "\n管道变成了文件").encode())
    third = run_batch(raw, out, "night-3", True, serial_chunks, ingested_at=WHEN)
    assert third.committed and third.records >= 1 and third.quarantined == 0
    manual = run_batch(raw, out, "by-hand", False, serial_chunks, ingested_at=WHEN)
    assert manual.quarantine_reasons == {"outside_raw": 1}  # a manual batch accounts for every entry again
