"""The batch commit: staged directories renamed into place under a journal, so a crash leaves all or nothing.

A batch is staged under ``OUT/.staging/<batch>-<pid>-<token>/`` (``ingest.store``):
one directory per dataset and the state the batch grows beside the datasets
(every hidden directory of the staging directory, e.g. ``.dedup``). The commit:

1. makes sure every dataset has a file (an empty one if need be) and flushes
   the staged files to disk (``fsync``);
2. writes the **journal** ``OUT/.commit.json``: the batch id, the staging
   directory, and each move, ``staged → final`` (and where an existing final
   is put aside), written to a temporary file, fsynced and renamed: from this
   instruction on, the batch is committed;
3. performs the moves in the journal's order: the datasets other than the
   manifest, then the state, then the manifest (the ledger's record of the
   batch) last; each existing final is renamed aside before the staged one is
   renamed onto its name;
4. removes the journal, then what was put aside and the staging directory.

Every run that writes into an output directory calls :func:`recover` as soon as
it holds the output's lock, before anything else: a journal left by a run that
died is rolled forward (the moves not yet done are done; each is idempotent, as
a staged directory still in place is one not yet moved), then leftovers of dead
runs are swept. Everything a journal names was complete on disk before the
journal existed, so rolling forward is always possible; a crash before the
journal leaves the earlier state untouched (the batch is absent, or its earlier
run is still whole).

``CORPUS_CRASH_AT_COMMIT_STEP=N`` (tests only) makes the process SIGKILL itself
at the N-th step of a commit or of a recovery, to prove the above at every step.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.arrow import DATASETS

LOG = logging.getLogger("corpus.ingest")
JOURNAL = ".commit.json"
ASIDE = ".trash"  # earlier partitions put aside during a commit, removed when it is done
CRASH_ENV = "CORPUS_CRASH_AT_COMMIT_STEP"
LAST_DATASET = "manifest"  # renamed last: its partition is the batch's record in the ledger


@dataclass(frozen=True)
class Move:
    """One rename of a commit, paths relative to the output directory."""

    staged: str
    final: str
    aside: str


@dataclass(frozen=True)
class Journal:
    batch_id: str
    staging: str
    moves: tuple[Move, ...]

    def to_json(self) -> str:
        return json.dumps({"batch_id": self.batch_id, "staging": self.staging,
                           "moves": [asdict(m) for m in self.moves]}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Journal:
        data = json.loads(text)
        return cls(batch_id=data["batch_id"], staging=data["staging"],
                   moves=tuple(Move(**m) for m in data["moves"]))


class _Steps:
    """Counts the steps of a commit; kills the process at the step the test hook names."""

    def __init__(self) -> None:
        self.count = 0
        target = os.environ.get(CRASH_ENV, "")
        self.crash_at = int(target) if target.isdigit() else 0

    def __call__(self, name: str) -> None:
        self.count += 1
        if self.count == self.crash_at:
            LOG.warning("test hook: killing this process at commit step %d (%s)", self.count, name)
            os.kill(os.getpid(), signal.SIGKILL)


def partition_name(batch_id: str) -> str:
    return f"batch_id={batch_id}"


def plan_moves(out: Path, batch_id: str, staging: Path, token: str) -> tuple[Move, ...]:
    """Datasets first (the manifest last), with the staged state (hidden directories) just before the manifest."""
    rel = staging.relative_to(out)
    aside = Path(ASIDE) / token
    datasets = [d for d in DATASETS if d != LAST_DATASET]
    moves = [Move(str(rel / d), f"{d}/{partition_name(batch_id)}", str(aside / d)) for d in datasets]
    moves += [Move(str(rel / p.name), p.name, str(aside / p.name))
              for p in sorted(staging.iterdir()) if p.is_dir() and p.name.startswith(".")]
    moves.append(Move(str(rel / LAST_DATASET), f"{LAST_DATASET}/{partition_name(batch_id)}",
                      str(aside / LAST_DATASET)))
    return tuple(moves)


def commit(out_dir: str | os.PathLike, batch_id: str, staging: Path) -> dict[str, Path]:
    """Commit the staged batch (steps 1–4 above); the final partition of each dataset."""
    out = Path(out_dir)
    step = _Steps()
    for dataset, schema in DATASETS.items():
        staged = staging / dataset
        staged.mkdir(parents=True, exist_ok=True)
        if not any(staged.glob("*.parquet")):
            # Every dataset gets a partition: a rerun with nothing to quarantine replaces the old rows.
            write_empty(staged / "part-empty.parquet", schema)
    sync_tree(staging)
    journal = Journal(batch_id, str(staging.relative_to(out)), plan_moves(out, batch_id, staging, uuid.uuid4().hex[:12]))
    step("staged")
    write_journal(out, journal, step)
    finish(out, journal, step)
    return {dataset: out / dataset / partition_name(batch_id) for dataset in DATASETS}


def write_empty(path: Path, schema) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(empty_table(schema), tmp, compression="zstd")
    os.replace(tmp, path)


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of no rows: ``schema.empty_table()`` without the pandas it imports (~0.25 s)."""
    return pa.Table.from_batches([], schema=schema)


def write_journal(out: Path, journal: Journal, step) -> None:
    tmp = out / f"{JOURNAL}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(journal.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    step("journal written aside")
    os.replace(tmp, out / JOURNAL)
    sync_dir(out)
    step("journal in place: the batch is committed")


def finish(out: Path, journal: Journal, step) -> None:
    """Perform the journal's moves not yet done, drop the journal, remove what was put aside and the staging."""
    for move in journal.moves:
        apply_move(out, move, step)
    (out / JOURNAL).unlink()
    sync_dir(out)
    step("journal removed")
    for move in journal.moves:
        shutil.rmtree(out / move.aside, ignore_errors=True)
    shutil.rmtree(out / journal.staging, ignore_errors=True)
    step("aside and staging removed")


def apply_move(out: Path, move: Move, step) -> None:
    staged, final, aside = out / move.staged, out / move.final, out / move.aside
    if not staged.exists():
        if not final.exists():
            LOG.error("commit journal: neither %s nor %s exists; %s stays absent", staged, final, final)
        return  # done before the crash
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        if aside.exists():
            shutil.rmtree(aside)
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(final, aside)
        step(f"{move.final} put aside")
    os.rename(staged, final)
    sync_dir(final.parent)
    step(f"{move.final} in place")


def recover(out_dir: str | os.PathLike, logger=LOG) -> str | None:
    """Roll forward a commit a dead run left half done; sweep what dead runs left. The batch rolled forward, if any.

    Call with the output's lock held (``ingest.lock``), before reading anything of the output.
    """
    out = Path(out_dir)
    rolled = None
    path = out / JOURNAL
    if path.exists():
        journal = Journal.from_json(path.read_text(encoding="utf-8"))
        logger.warning("%s: the commit of batch %s was interrupted; completing it", out, journal.batch_id)
        finish(out, journal, _Steps())
        rolled = journal.batch_id
    (out / f"{JOURNAL}.tmp").unlink(missing_ok=True)  # a journal never put in place: that commit never began
    shutil.rmtree(out / ASIDE, ignore_errors=True)
    return rolled


def journal_staging(out_dir: str | os.PathLike) -> Path | None:
    """The staging directory a journal left in place names (a commit under way or interrupted), else None."""
    path = Path(out_dir) / JOURNAL
    try:
        return Path(out_dir) / Journal.from_json(path.read_text(encoding="utf-8")).staging
    except (OSError, ValueError, KeyError):
        return None


def sync_tree(root: Path) -> None:
    """fsync every file and directory under ``root``: what the journal names is on disk before the journal."""
    for folder, _, files in os.walk(root):
        for name in files:
            fsync_path(os.path.join(folder, name))
        sync_dir(Path(folder))


def sync_dir(folder: Path) -> None:
    fsync_path(folder, os.O_DIRECTORY)


def fsync_path(path: str | Path, flags: int = 0) -> None:
    """Open ``path`` read-only (with ``flags``), fsync it, close it."""
    fd = os.open(path, os.O_RDONLY | flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
