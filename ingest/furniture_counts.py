"""On how many pages of its group each line key occurs: 64-bit keys in sorted arrays, a file per batch.

The furniture step (:mod:`ingest.furniture_store`) judges a line by the number
of pages of its group (the host) holding its key, in this batch and in the
earlier batches it is cleaned with. Those counts were kept as JSON text, every
short line of every page of every batch, and each run read the whole history
into Python dicts. On real pages most lines are short (a paragraph of Chinese
is seldom over 120 characters), so the store, and each nightly run's time and
memory with it, grew with the corpus.

Here a (group, line key) pair is a 64-bit key (BLAKE2b; two pairs share one
with probability 2⁻⁶⁴) and a batch's counts are two arrays, the keys sorted
and the pages beside them, in one ``.npy`` file read memory-mapped: a run looks
up its own keys in each earlier batch by binary search and never loads the
history.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_PAIR = hashlib.blake2b(digest_size=8, person=b"corpus/furn")
SEPARATOR = "\x1f"  # between a group and a line key: neither holds it (a host; a folded line)


def pair_key(group: str, key: str) -> int:
    """The 64-bit key of a line key counted in ``group``."""
    hasher = _PAIR.copy()
    hasher.update(f"{group}{SEPARATOR}{key}".encode("utf-8", "surrogatepass"))
    return int.from_bytes(hasher.digest(), "little")


def pair_keys(group: str, keys: Iterable[str]) -> list[int]:
    """:func:`pair_key` of each line key in ``group``."""
    return [pair_key(group, key) for key in keys]


def paired_line_keys(group: str, keys: Iterable[str | None]) -> list[int | None]:
    """:func:`pair_key` of each line's key in ``group``, None kept for a line never counted."""
    return [pair_key(group, key) if key is not None else None for key in keys]


@dataclass(frozen=True)
class LineCounts:
    """Pages per key: ``keys`` sorted and unique (uint64), ``pages`` beside them (int64)."""

    keys: np.ndarray
    pages: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def empty(cls) -> LineCounts:
        return cls(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))

    @classmethod
    def of_pages(cls, pages: Iterable[Iterable[int]]) -> LineCounts:
        """The counts of pages given as the set of their keys (each page's keys distinct)."""
        flat = [key for page in pages for key in page]
        keys, counts = np.unique(np.array(flat, dtype=np.uint64), return_counts=True)
        return cls(keys, counts.astype(np.int64))

    @classmethod
    def of_pairs(cls, keys: Sequence[int], pages: Sequence[int]) -> LineCounts:
        """The counts given key by key (a key given twice counts twice)."""
        single = cls(np.array(keys, dtype=np.uint64), np.array(pages, dtype=np.int64))
        return cls.summed([single])

    @classmethod
    def summed(cls, parts: Sequence[LineCounts]) -> LineCounts:
        """One count per key over ``parts``, each key's pages added up."""
        if not parts:
            return cls.empty()
        keys, where = np.unique(np.concatenate([p.keys for p in parts]), return_inverse=True)
        pages = np.zeros(len(keys), dtype=np.int64)
        np.add.at(pages, where.ravel(), np.concatenate([p.pages for p in parts]).astype(np.int64))
        return cls(keys, pages)

    def pages_of(self, wanted: np.ndarray) -> np.ndarray:
        """The pages of each of ``wanted`` (uint64), 0 where a key is not counted here."""
        found = np.zeros(len(wanted), dtype=np.int64)
        if not len(self.keys) or not len(wanted):
            return found
        at = np.searchsorted(self.keys, wanted)
        np.minimum(at, len(self.keys) - 1, out=at)
        hit = self.keys[at] == wanted
        found[hit] = self.pages[at[hit]]
        return found

    def at_least(self, pages: int) -> dict[int, int]:
        """Key → pages for the keys on at least ``pages`` pages (and at least one)."""
        kept = self.pages >= max(pages, 1)
        return dict(zip(self.keys[kept].tolist(), self.pages[kept].tolist(), strict=True))

    def save(self, path: Path) -> None:
        """Write the counts to ``path`` (a ``.npy`` of two rows, keys and pages), through a temporary file."""
        table = np.stack([self.keys.astype(np.uint64), self.pages.astype(np.uint64)]) if len(self) else \
            np.empty((2, 0), dtype=np.uint64)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "wb") as file:
            np.save(file, table, allow_pickle=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> LineCounts:
        """The counts saved at ``path``, memory-mapped (pages read when looked up); ValueError if malformed."""
        table = np.load(path, mmap_mode="r", allow_pickle=False)
        if table.dtype != np.uint64 or table.ndim != 2 or table.shape[0] != 2:
            raise ValueError(f"{path}: not a table of line counts")
        return cls(table[0], table[1].view(np.int64))


def looked_up(own: LineCounts, earlier: Iterable[LineCounts]) -> LineCounts:
    """``own`` with each key's pages in ``earlier`` batches added: the counts this batch's lines are judged by."""
    pages = own.pages.copy()
    for counts in earlier:
        pages += counts.pages_of(own.keys)
    return LineCounts(own.keys, pages)
