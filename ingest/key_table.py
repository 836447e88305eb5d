"""A map from 64-bit keys to the first position stored under each, in sorted numpy arrays.

The duplicate index keeps one entry per band of every record's signature and
one per paragraph: millions of entries for a large output directory. As Python
dicts of int they cost 100-150 bytes an entry, and the flow's process grew by
about 190 MB from a 100 MB batch to a 1 GB one. Here an entry is 16 bytes: the
keys sorted in one uint64 array with their positions beside them, and the
entries added since the last merge in a small dict, merged in when it grows
past ``merge_at`` and before the table is pickled.

Only the first position stored under a key is kept (``setdefault_many``), which is
all the index asks: the earliest record holding a band or a paragraph.
"""

from __future__ import annotations

import numpy as np

MERGE_AT = 1 << 16


class KeyTable:
    def __init__(self, merge_at: int = MERGE_AT) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.positions = np.empty(0, dtype=np.int64)
        self.recent: dict[int, int] = {}
        self.merge_at = merge_at

    def __len__(self) -> int:
        return len(self.keys) + len(self.recent)

    def get(self, key: int) -> int | None:
        """The position stored under ``key``, None when there is none."""
        return self.get_many([key])[0]

    def get_many(self, keys: list[int]) -> list[int | None]:
        """The position stored under each key (None where there is none), the sorted part searched once."""
        if not keys:
            return []
        if not len(self.keys):
            return [self.recent.get(key) for key in keys]
        wanted = np.array(keys, dtype=np.uint64)
        at = self.keys.searchsorted(wanted)
        np.minimum(at, len(self.keys) - 1, out=at)
        hit = (self.keys[at] == wanted).tolist()
        stored = self.positions[at].tolist()
        return [position if found else self.recent.get(key)
                for key, found, position in zip(keys, hit, stored, strict=True)]

    def setdefault_many(self, keys: list[int], position: int) -> None:
        """Store ``position`` under each key that has none yet."""
        for key, found in zip(keys, self.get_many(keys), strict=True):
            if found is None:
                self.recent.setdefault(key, position)
        if len(self.recent) >= max(self.merge_at, len(self.keys) >> 3):
            self.merge()

    def merge(self) -> None:
        """Move the recent entries into the sorted arrays (their keys are not in them: ``setdefault_many``)."""
        if not self.recent:
            return
        added = np.fromiter(self.recent.keys(), dtype=np.uint64, count=len(self.recent))
        positions = np.fromiter(self.recent.values(), dtype=np.int64, count=len(self.recent))
        order = np.argsort(added)
        added, positions = added[order], positions[order]
        at = self.keys.searchsorted(added)
        self.keys, self.positions = np.insert(self.keys, at, added), np.insert(self.positions, at, positions)
        self.recent = {}

    def __getstate__(self) -> dict:
        self.merge()
        return {"keys": self.keys, "positions": self.positions, "merge_at": self.merge_at}

    def __setstate__(self, state: dict) -> None:
        self.keys, self.positions, self.merge_at = state["keys"], state["positions"], state["merge_at"]
        self.recent = {}
