"""The duplicate keys of a chunk's records, made in the chunk worker and staged beside its documents part.

Marking duplicates runs in the flow's process after every chunk, one record
after another, and most of its cost is what each record's text alone decides:
its normalised text, its MinHash signature, its paragraphs' hashes
(:func:`ingest.dedup.record_keys`). The workers make those while they clean,
in parallel, and stage them as ``STAGING/record-keys/<part>.pkl``: a stream
of pickled lists of ``(record_id, RecordKeys)``, in the order the part's rows
were written (after a format number), so that neither side holds a part's keys at once.

The keys are a cache. The index uses a record's keys only when they were made
with its config from exactly the text it reads (the furniture step may have
changed it since), and makes them itself otherwise: a missing, partial or
unreadable keys file costs time, never a mark. The directory is not hidden,
so the commit leaves it in the staging directory, which is then removed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ingest.dedup import DedupConfig, RecordKeys, record_keys
from ingest.store import temporary_path

KEYS_DIR = "record-keys"
KEYS_FORMAT = 1  # the stream's first object; a stream of another format (another version's fields) is not read


def keys_path(staging: Path, part: str) -> Path:
    return staging / KEYS_DIR / f"{part}.pkl"


def rows_keys(rows: list[dict], config: DedupConfig) -> list[tuple[str, RecordKeys]]:
    """(record_id, keys) of document rows, in order."""
    return [(row["record_id"], record_keys(row["text"], row["duplicate_of"], config)) for row in rows]


class KeysWriter:
    """The keys of one part's rows, appended as they are written, renamed into place on a clean exit.

    A row whose keys cannot be made (a bug) ends the part's keys there: the
    flow makes the rest, and the records are written all the same.
    """

    def __init__(self, staging: Path, part: str, config: DedupConfig | None = None):
        self.path = keys_path(staging, part)
        self.tmp = temporary_path(self.path)
        self.config = config or DedupConfig()
        self.stream: BinaryIO | None = None
        self.broken = False

    def add(self, rows: list[dict]) -> None:
        if self.broken or not rows:
            return
        try:
            keys = rows_keys(rows, self.config)
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


def staged_keys(staging: Path, part: str) -> Iterator[tuple[str, RecordKeys]]:
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
