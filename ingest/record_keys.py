"""What the steps after the chunks read of each record, made in the chunk worker and staged beside its part.

The furniture and duplicate steps run in the flow's process after every
chunk, one record after another, and most of their cost is what each
record's text alone decides: the key of each line (furniture,
:func:`cleaners.structure.furniture.line_keys`) and its normalised text,
MinHash bands and paragraph hashes (duplicates,
:func:`ingest.dedup.record_keys`). The workers make those while they clean,
in parallel, and stage them as ``STAGING/record-keys/<part>.pkl``: a stream
of pickled lists of ``(record_id, StagedKeys)``, in the order the part's rows
were written (after a format number), so that neither side holds a part's
keys at once.

The keys are a cache. A step uses a record's keys only when they follow the
part's rows (the same record id) and were made with its settings; the
duplicate index also only when they were made from exactly the text it reads
(the furniture step changes some texts). Otherwise the step makes them
itself: a missing, partial or unreadable keys file costs time, never a
result. The directory is not hidden, so the commit leaves it in the staging
directory, which is then removed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cleaners.structure.furniture import CHINESE, furniture_config, line_keys
from ingest.dedup import DedupConfig, RecordKeys, record_keys
from ingest.store import temporary_path

KEYS_DIR = "record-keys"
KEYS_FORMAT = 2  # the stream's first object; a stream of another format (another version's fields) is not read


def keys_path(staging: Path, part: str) -> Path:
    return staging / KEYS_DIR / f"{part}.pkl"


@dataclass(frozen=True)
class StagedKeys:
    duplicates: RecordKeys
    lines: tuple[str | None, ...] | None  # line_keys of a Chinese record's text with its title, else None
    max_chars: int  # the furniture config's longest line counted, which the line keys were made with


def rows_keys(rows: list[dict], config: DedupConfig, max_chars: int) -> list[tuple[str, StagedKeys]]:
    """(record_id, keys) of document rows, in order."""
    return [(row["record_id"], StagedKeys(
        record_keys(row["text"], row["duplicate_of"], config),
        tuple(line_keys(row["text"] or "", row["title"], max_chars)) if row["language"] == CHINESE else None,
        max_chars)) for row in rows]


class KeysWriter:
    """The keys of one part's rows, appended as they are written, renamed into place on a clean exit.

    A row whose keys cannot be made (a bug) ends the part's keys there: the
    flow makes the rest, and the records are written all the same.
    """

    def __init__(self, staging: Path, part: str, config: DedupConfig | None = None):
        self.path = keys_path(staging, part)
        self.tmp = temporary_path(self.path)
        self.config = config or DedupConfig()
        self.max_chars = furniture_config().max_chars
        self.stream: BinaryIO | None = None
        self.broken = False

    def add(self, rows: list[dict]) -> None:
        if self.broken or not rows:
            return
        try:
            keys = rows_keys(rows, self.config, self.max_chars)
            if self.stream is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.stream = self.tmp.open("wb")
                pickle.dump(KEYS_FORMAT, self.stream)
            pickle.dump(keys, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a cache: the flow makes the keys it does not find
            self.broken = True

    def __enter__(self) -> KeysWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.stream is not None:
            self.stream.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
            else:
                self.tmp.unlink(missing_ok=True)


def next_keys(staged: Iterator[tuple[str, StagedKeys]], record_id: str) -> StagedKeys | None:
    """The next staged keys of a part's stream when they are ``record_id``'s, else None: the keys follow the
    part's rows, and a step reading the rows in order asks for each row's in turn."""
    entry = next(staged, None)
    return entry[1] if entry is not None and entry[0] == record_id else None


def staged_keys(staging: Path, part: str) -> Iterator[tuple[str, StagedKeys]]:
    """The staged (record_id, keys) of ``part`` in the order written; as many as can be read."""
    try:
        with keys_path(staging, part).open("rb") as stream:
            if pickle.load(stream) != KEYS_FORMAT:
                return
            while True:
                try:
                    batch = pickle.load(stream)
                except EOFError:
                    return
                yield from batch
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return
