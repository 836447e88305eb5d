"""The duplicate index kept on disk as immutable segments (a batch's, or consecutive batches' merged) and an overlay.

:class:`ingest.dedup.DuplicateIndex` holds every record ever ingested in memory and was pickled whole:
about 450 bytes a record, loaded and written by every run, so a nightly crawl's memory and time grew
with the corpus. Here (index format 4 and 5, the shape of the furniture counts' store version 2,
:mod:`ingest.furniture_counts`) each batch's share of the index is a file written once, or merged
with its neighbours into a new one (:class:`Segment`): its records' ids, normalised lengths and
completeness as arrays, and three sorted key tables with the position each key points to: the exact
digests (128-bit, as ``S16``), the MinHash band keys and the paragraph hashes (64-bit). A key is stored only in the segment of the first record
holding it, so a key is in at most one segment and what it points to is the first holder, as the
in-memory index's ``setdefault`` keeps. What later batches change of earlier ones is kept in the
overlay (:class:`Overlay`): ``better`` (an earlier damaged record → the complete one kept instead) and
the exact digests whose first holder an earlier batch has and that such a complete record took over.

A run reads ``OUT/.dedup/index.json`` (which segments, in order, with the config and the format), the
overlay whole (it grows only with takeovers), and the segments memory-mapped: its records' keys are
looked up a chunk at a time in every earlier segment by binary search (``np.searchsorted``), and the
records of the batch itself stay in memory until they become its segment. The staged store
(``<staging>/.dedup``) holds the earlier segments hard-linked (copied where links fail), the new one,
the new overlay and the manifest, renamed into place by the commit like the rest of the staged state.
An index that does not cover exactly the committed batches (a crash between renames, a batch rerun under
its id), one of another format (``index.pkl`` of format 3 and before) or one that cannot be read is
rebuilt from the committed documents (:func:`ingest.dedup_store.rebuild_index`).

Consecutive segments are merged while staging (:func:`merge_groups`, index format 5): a key is stored
only in the segment of its first holder and positions are global, so a merge concatenates the record
arrays and takes the union of the (disjoint) key tables, written a range of keys at a time
(:func:`save_pieces`, :func:`_union`), so the memory of a merge is bounded by ``MERGE_STEP`` keys per
segment merged, not by the segments' size. The rule is size-tiered: after the batch's segment, while the
segment before the last group holds no more than ``MERGE_RATIO`` times the group (in records + 1) and
the merged one would stay under ``MERGE_LIMIT``, they are one. Each segment then holds more than twice
the one after it, so there are at most about log2(records) segments below the limit, and a record is
rewritten only when its segment grows by half at least. A merged segment names the batches it covers,
in order, and the manifest too, so :func:`load_index` still checks that they are exactly the committed
ones. Format 4 stores (a segment per batch, never merged) are read as they are and merged at the next
write.

The marks are those of :class:`ingest.dedup.DuplicateIndex` for every input: it stays as the oracle
(``tests/test_dedup_segments.py``).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest import dedup
from ingest.dedup import INDEX_DIR, DedupConfig, Record, RecordKeys, needs_signature
from ingest.store import link_or_copy

INDEX_FORMAT = 5  # 5: segments of consecutive batches, merged; 4: a segment per batch; 3: one pickled DuplicateIndex
READABLE = (4, 5)  # a format 4 store is a format 5 one whose segments each cover one batch
MANIFEST = "index.json"
SEGMENTS_DIR = "segments"
OVERLAY_FILE = "overlay.seg"
MAGIC = b"CPDEDUP4"
ALIGN = 64
CHUNK = 1 << 13  # records whose keys are looked up in the earlier segments at once
DIGEST = np.dtype("S16")
NONE = -1  # no position
MERGE_RATIO = 2  # merge the segment before the last group into it while it is no more than this times the group
MERGE_LIMIT = 1 << 21  # records (+ 1 a batch): no merge makes a segment larger (~30 nightly batches of 70 000)
MERGE_STEP = 1 << 16  # keys of each merged segment's table taken at once by a merge
PIECE = 1 << 20  # elements of a record array copied at once by a merge


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def save_arrays(path: Path, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    """One file: ``MAGIC``, the header's length, a JSON header (``meta`` and where each array lies), the arrays
    (each aligned to ``ALIGN`` bytes); written through a temporary file."""
    save_pieces(path, meta, {name: (array.dtype, len(array)) for name, array in arrays.items()}, arrays.items())


def save_pieces(path: Path, meta: dict, layout: dict[str, tuple[np.dtype, int]],
                pieces: Iterable[tuple[str, np.ndarray]]) -> None:
    """The file :func:`save_arrays` writes, of one-dimensional arrays of the ``layout`` (dtype, length) given
    in pieces, each ``(name, piece)`` following the earlier pieces of its array: none is held whole."""
    placed: dict[str, tuple[str, list[int], int]] = {}
    start = 0
    for name, (dtype, length) in layout.items():
        placed[name] = (np.dtype(dtype).str, [length], start)
        start = _aligned(start + length * np.dtype(dtype).itemsize)
    header = json.dumps({"meta": meta, "arrays": placed, "data": start}, ensure_ascii=False).encode()
    body = _aligned(len(MAGIC) + 8 + len(header))
    written = dict.fromkeys(layout, 0)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as file:
        file.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for name, piece in pieces:
            if piece.dtype != np.dtype(layout[name][0]):
                raise ValueError(f"{name}: {piece.dtype}, not {layout[name][0]}")
            file.seek(body + placed[name][2] + written[name])
            file.write(np.ascontiguousarray(piece).tobytes())
            written[name] += piece.nbytes
        file.truncate(body + start)
    if any(written[name] != length * np.dtype(dtype).itemsize for name, (dtype, length) in layout.items()):
        temporary.unlink()
        raise ValueError(f"{path}: the pieces are not the arrays of the layout")
    os.replace(temporary, path)  # flushed to disk by the commit (ingest.commit.sync_tree), as the staged batch


def load_arrays(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The ``meta`` and the arrays of a file :func:`save_arrays` wrote, memory-mapped; ValueError if malformed
    (not of its size included)."""
    with open(path, "rb") as file:
        head = file.read(len(MAGIC) + 8)
        if len(head) != len(MAGIC) + 8 or head[:len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a segment of the duplicate index")
        size = int.from_bytes(head[len(MAGIC):], "little")
        try:
            header = json.loads(file.read(size))
        except ValueError as error:
            raise ValueError(f"{path}: unreadable header") from error
    body = _aligned(len(MAGIC) + 8 + size)
    if not isinstance(header, dict) or path.stat().st_size != body + header.get("data", -1):
        raise ValueError(f"{path}: cut short or grown")
    data = header["data"]
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=body) if data else np.empty(0, np.uint8)
    arrays = {}
    for name, (dtype, shape, start) in header["arrays"].items():
        kind = np.dtype(dtype)
        size = int(np.prod(shape)) * kind.itemsize
        if start + size > data:
            raise ValueError(f"{path}: {name} lies past the end")
        arrays[name] = raw[start:start + size].view(kind).reshape(shape)
    return header["meta"], arrays


@dataclass(frozen=True)
class KeyArray:
    """Keys sorted and unique, the position each points to beside them."""

    keys: np.ndarray
    positions: np.ndarray

    @classmethod
    def of(cls, found: dict, dtype: np.dtype | type) -> KeyArray:
        keys = np.array(list(found), dtype=dtype)
        positions = np.fromiter(found.values(), dtype=np.int64, count=len(found))
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], positions[order])

    def find(self, wanted: np.ndarray, out: np.ndarray) -> None:
        """Set ``out`` to the position of each of ``wanted`` (sorted, unique) held here; others left as they are."""
        if not len(self.keys) or not len(wanted):
            return
        at = np.searchsorted(self.keys, wanted)
        np.minimum(at, len(self.keys) - 1, out=at)
        hit = self.keys[at] == wanted
        out[hit] = self.positions[at[hit]]


@dataclass(frozen=True)
class Segment:
    """The records of consecutive batches (positions ``offset`` on) and the keys whose first holder they are."""

    batches: tuple[str, ...]  # in the order they were marked
    offset: int
    id_ends: np.ndarray  # int64: where each record's id (UTF-8) ends in id_bytes
    id_bytes: np.ndarray  # uint8
    lengths: np.ndarray  # int64: normalised characters
    complete: np.ndarray  # bool
    exact: KeyArray  # digest (S16) → the position kept for it when the batch was marked
    bands: KeyArray  # band key (uint64) → first position
    paragraphs: KeyArray  # paragraph hash (uint64) → first position
    path: Path | None = None  # the file it is read from; None while it exists only in memory

    def __len__(self) -> int:
        return len(self.lengths)

    def record_id(self, position: int) -> str:
        i = position - self.offset
        start = int(self.id_ends[i - 1]) if i else 0
        return self.id_bytes[start:int(self.id_ends[i])].tobytes().decode("utf-8", "surrogatepass")

    def arrays(self) -> dict[str, np.ndarray]:
        return {"id_ends": self.id_ends, "id_bytes": self.id_bytes, "lengths": self.lengths,
                "complete": self.complete.view(np.uint8), "exact_keys": self.exact.keys,
                "exact_positions": self.exact.positions, "band_keys": self.bands.keys,
                "band_positions": self.bands.positions, "paragraph_keys": self.paragraphs.keys,
                "paragraph_positions": self.paragraphs.positions}

    def save(self, path: Path) -> None:
        save_arrays(path, {"batches": list(self.batches), "offset": self.offset}, self.arrays())

    @classmethod
    def load(cls, path: Path) -> Segment:
        meta, a = load_arrays(path)
        try:
            batches = tuple(meta["batches"]) if "batches" in meta else (meta["batch"],)  # format 4: one batch
            segment = cls(batches=batches, offset=int(meta["offset"]), id_ends=a["id_ends"],
                          id_bytes=a["id_bytes"], lengths=a["lengths"], complete=a["complete"].view(bool),
                          exact=KeyArray(a["exact_keys"], a["exact_positions"]),
                          bands=KeyArray(a["band_keys"], a["band_positions"]),
                          paragraphs=KeyArray(a["paragraph_keys"], a["paragraph_positions"]), path=path)
        except (KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a segment of the duplicate index") from error
        if segment.exact.keys.dtype != DIGEST or segment.bands.keys.dtype != np.uint64 \
                or segment.paragraphs.keys.dtype != np.uint64 \
                or not len(segment.id_ends) == len(segment.lengths) == len(segment.complete) \
                or not all(isinstance(b, str) for b in segment.batches):
            raise ValueError(f"{path}: not a segment of the duplicate index")
        return segment


def digests(keys: np.ndarray) -> list[bytes]:
    """The 16-byte digests of an ``S16`` array (its ``tolist`` would drop their trailing zero bytes)."""
    raw = keys.tobytes()
    return [raw[i:i + DIGEST.itemsize] for i in range(0, len(raw), DIGEST.itemsize)]


@dataclass
class Overlay:
    """What later batches changed of earlier ones: read whole, written whole (it grows only with takeovers)."""

    better: dict[int, int] = field(default_factory=dict)  # a damaged record → the complete one kept instead
    exact: dict[bytes, int] = field(default_factory=dict)  # an earlier batch's digest → the record that took it over

    def save(self, path: Path) -> None:
        exact = KeyArray.of(self.exact, DIGEST)
        save_arrays(path, {}, {
            "better_from": np.fromiter(self.better.keys(), dtype=np.int64, count=len(self.better)),
            "better_to": np.fromiter(self.better.values(), dtype=np.int64, count=len(self.better)),
            "exact_keys": exact.keys, "exact_positions": exact.positions})

    @classmethod
    def load(cls, path: Path) -> Overlay:
        _, a = load_arrays(path)
        try:
            return cls(dict(zip(a["better_from"].tolist(), a["better_to"].tolist(), strict=True)),
                       dict(zip(digests(a["exact_keys"]), a["exact_positions"].tolist(), strict=True)))
        except (KeyError, ValueError) as error:
            raise ValueError(f"{path}: not an overlay of the duplicate index") from error


@dataclass
class _Batch:
    """The records of the batch being marked, in memory, and the keys whose first holder they are."""

    offset: int
    ids: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    complete: list[bool] = field(default_factory=list)
    exact: dict[bytes, int] = field(default_factory=dict)
    bands: dict[int, int] = field(default_factory=dict)
    paragraphs: dict[int, int] = field(default_factory=dict)

    def segment(self, batch: str) -> Segment:
        encoded = [i.encode("utf-8", "surrogatepass") for i in self.ids]
        return Segment(
            batches=(batch,), offset=self.offset,
            id_ends=np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), dtype=np.int64),
            id_bytes=np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(),
            lengths=np.array(self.lengths, dtype=np.int64), complete=np.array(self.complete, dtype=bool),
            exact=KeyArray.of(self.exact, DIGEST), bands=KeyArray.of(self.bands, np.uint64),
            paragraphs=KeyArray.of(self.paragraphs, np.uint64))


@dataclass
class _Looked:
    """A chunk's records with their keys and what the earlier segments hold of those keys (``NONE``: nothing)."""

    records: list[tuple[Record, RecordKeys]]
    exact: np.ndarray
    bands: np.ndarray
    band_starts: list[int]
    paragraphs: np.ndarray
    paragraph_starts: list[int]


def _lookup(segments: list[Segment], wanted: np.ndarray, table: str) -> np.ndarray:
    """The position each of ``wanted`` points to in the ``table`` of ``segments`` (``NONE`` where none holds it)."""
    found = np.full(len(wanted), NONE, dtype=np.int64)
    if not len(wanted) or not segments:
        return found
    unique, inverse = np.unique(wanted, return_inverse=True)
    at = np.full(len(unique), NONE, dtype=np.int64)
    for segment in segments:
        getattr(segment, table).find(unique, at)
    return at[inverse.ravel()]


@dataclass
class SegmentIndex:
    """The duplicate index as segments (see the module docstring); marks as :class:`ingest.dedup.DuplicateIndex`."""

    config: DedupConfig = field(default_factory=DedupConfig)
    segments: list[Segment] = field(default_factory=list)
    overlay: Overlay = field(default_factory=Overlay)

    @property
    def batches(self) -> set[str]:
        return {b for s in self.segments for b in s.batches}

    def __len__(self) -> int:
        return sum(len(s) for s in self.segments)

    def mark_batch(self, batch_id: str, records: Iterable[Record]) -> dict[str, str | None]:
        """``duplicate_of`` for each record of a batch (in order), adding them to the index as a new segment."""
        marks: dict[str, str | None] = {}
        self._batch = _Batch(offset=len(self))
        self._starts = [s.offset for s in self.segments]
        for chunk in self._chunks(records):
            looked = self._looked_up(chunk)
            for i, (record, keys) in enumerate(looked.records):
                self._add(record, keys, looked, i, marks)
        self.segments.append(self._batch.segment(batch_id))
        del self._batch, self._starts
        return marks

    def _chunks(self, records: Iterable[Record]) -> Iterator[list[tuple[Record, RecordKeys]]]:
        """The records with their keys, ``CHUNK`` at a time: a record's text is let go of once its keys are made
        (a chunk of texts would hold tens of MB of a large batch's articles)."""
        chunk: list[tuple[Record, RecordKeys]] = []
        for record in records:
            chunk.append(self._keyed(record))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _keyed(self, record: Record) -> tuple[Record, RecordKeys]:
        """The record without its text, and its keys (the staged ones when they were made from this text)."""
        return Record(record.record_id, "", record.complete, record.page_mark), dedup.keys_of(record, self.config)

    def _looked_up(self, chunk: list[tuple[Record, RecordKeys]]) -> _Looked:
        digests: list[bytes] = []
        bands: list[int] = []
        band_starts = [0]
        paragraphs: list[int] = []
        paragraph_starts = [0]
        for _record, keys in chunk:
            digests.append(keys.digest)
            bands.extend(keys.bands or ())
            band_starts.append(len(bands))
            paragraphs.extend(keys.paragraphs)
            paragraph_starts.append(len(paragraphs))
        return _Looked(chunk, _lookup(self.segments, np.array(digests, dtype=DIGEST), "exact"),
                       _lookup(self.segments, np.array(bands, dtype=np.uint64), "bands"), band_starts,
                       _lookup(self.segments, np.array(paragraphs, dtype=np.uint64), "paragraphs"),
                       paragraph_starts)

    def _add(self, record: Record, keys: RecordKeys, looked: _Looked, i: int, marks: dict[str, str | None]) -> None:
        batch = self._batch
        position = batch.offset + len(batch.ids)
        batch.ids.append(record.record_id)
        batch.complete.append(record.complete)
        batch.lengths.append(keys.length)
        marks[record.record_id] = record.page_mark
        earlier = int(looked.exact[i])
        kept = self.overlay.exact.get(keys.digest, earlier) if earlier != NONE else batch.exact.get(keys.digest)
        if kept is not None:
            self._resolve(position, kept, keys.digest, marks)
            return
        batch.exact[keys.digest] = position
        if keys.bands is None or not needs_signature(keys.length, record.page_mark, self.config):
            return  # a part the page marks as a copy: the part it copies stands for it
        band_found = looked.bands[looked.band_starts[i]:looked.band_starts[i + 1]].tolist()
        holders = [p if p != NONE else batch.bands.get(key) for key, p in zip(keys.bands, band_found, strict=True)]
        other = min((p for p in holders if p is not None), default=None)
        paragraph_found = looked.paragraphs[looked.paragraph_starts[i]:looked.paragraph_starts[i + 1]].tolist()
        if other is None:
            other = self._container(keys.paragraphs, paragraph_found, keys.length)
        if other is not None:
            self._resolve(position, other, None, marks)
        for key, p in zip(keys.bands, band_found, strict=True):
            if p == NONE:
                batch.bands.setdefault(key, position)
        for key, p in zip(keys.paragraphs, paragraph_found, strict=True):
            if p == NONE:
                batch.paragraphs.setdefault(key, position)

    def _container(self, paragraphs: dict[int, int], found: list[int], length: int) -> int | None:
        shared: Counter[int] = Counter()
        for (key, size), earlier in zip(paragraphs.items(), found, strict=True):
            holder = earlier if earlier != NONE else self._batch.paragraphs.get(key)
            if holder is not None:
                shared[holder] += size
        for holder, size in shared.most_common(1):
            if size >= self.config.containment * length and self._length(holder) > length:
                return holder
        return None

    def _resolve(self, position: int, earlier: int, digest: bytes | None, marks: dict[str, str | None]) -> None:
        """Mark the later record, or, if it alone is complete, the earlier one of this batch."""
        kept = self._kept(earlier)
        if self._complete(position) and not self._complete(kept):
            kept_id = self._id(kept)
            if kept_id in marks:  # in this batch: mark the earlier, damaged one
                marks[kept_id] = self._id(position)
            self.overlay.better[kept] = position
            if digest is not None:
                if digest in self._batch.exact:
                    self._batch.exact[digest] = position
                else:
                    self.overlay.exact[digest] = position
            return
        marks[self._id(position)] = self._id(kept)

    def _kept(self, position: int) -> int:
        while position in self.overlay.better:
            position = self.overlay.better[position]
        return position

    def _where(self, position: int) -> tuple[_Batch | Segment, int]:
        """What holds a record, this batch (its lists) or an earlier segment (its arrays), and its index there."""
        if position >= self._batch.offset:
            return self._batch, position - self._batch.offset
        segment = self.segments[bisect.bisect_right(self._starts, position) - 1]
        return segment, position - segment.offset

    def _id(self, position: int) -> str:
        holder, i = self._where(position)
        return holder.ids[i] if isinstance(holder, _Batch) else holder.record_id(position)

    def _complete(self, position: int) -> bool:
        holder, i = self._where(position)
        return bool(holder.complete[i])

    def _length(self, position: int) -> int:
        holder, i = self._where(position)
        return int(holder.lengths[i])


def index_path(out_dir: str | os.PathLike) -> Path:
    """The index's manifest: which segments, in order, the config and the format."""
    return Path(out_dir) / INDEX_DIR / MANIFEST


def segment_file_name(number: int, batches: tuple[str, ...]) -> str:
    """The file of the ``number``-th segment, of ``batches``: named by digest, whatever the ids hold."""
    named = "\0".join(batches).encode("utf-8", "surrogatepass")
    return f"{number:06d}-{hashlib.sha256(named).hexdigest()[:24]}.seg"


def load_index(out_dir: str | os.PathLike, committed: set[str], config: DedupConfig | None = None,
               ) -> SegmentIndex | None:
    """The stored index if it covers exactly the ``committed`` batches (and was made with ``config``), else None.

    Its segments are memory-mapped. An index of another format (``index.pkl``, format 3 and before), or one
    that cannot be read, is None: rebuilt from the documents.
    """
    path = index_path(out_dir)
    if not path.exists():
        return None if committed else SegmentIndex(config or DedupConfig())
    try:
        manifest = json.loads(path.read_text("utf-8"))
        if manifest.get("format") not in READABLE:
            return None
        stored = DedupConfig(**manifest["config"])
        entries = manifest["segments"]
        covered = [tuple(e["batches"]) if "batches" in e else (e["batch"],) for e in entries]
        listed = [b for batches in covered for b in batches]
        if set(listed) != committed or len(listed) != len(committed) \
                or (config is not None and stored != config):
            return None
        folder = path.parent
        segments = [Segment.load(folder / SEGMENTS_DIR / e["file"]) for e in entries]
        overlay = Overlay.load(folder / OVERLAY_FILE)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    offset = 0
    for segment, batches in zip(segments, covered, strict=True):
        if segment.batches != batches or segment.offset != offset:
            return None
        offset += len(segment)
    return SegmentIndex(stored, segments, overlay)


def write_index(index: SegmentIndex, folder: Path) -> Path:
    """Write the index into ``folder`` (a staged ``.dedup``): its segments merged as :func:`merge_groups` says,
    those unchanged and already in files linked, the others written, the overlay, and the manifest last.
    Returns the manifest's path. ``index`` itself is left as it was."""
    (folder / SEGMENTS_DIR).mkdir(parents=True, exist_ok=True)
    entries = []
    for number, group in enumerate(merge_groups(index.segments)):
        batches = tuple(b for segment in group for b in segment.batches)
        name = segment_file_name(number, batches)
        target = folder / SEGMENTS_DIR / name
        if len(group) > 1:
            save_merged(group, target)
        elif group[0].path is None:
            group[0].save(target)
        elif group[0].path.resolve() != target.resolve():
            link_or_copy(group[0].path, target)
        entries.append({"batches": list(batches), "file": name, "records": sum(map(len, group))})
    index.overlay.save(folder / OVERLAY_FILE)
    manifest = folder / MANIFEST
    temporary = manifest.with_name(f".{MANIFEST}.tmp")
    temporary.write_text(json.dumps({"format": INDEX_FORMAT, "config": dataclasses.asdict(index.config),
                                     "segments": entries}, ensure_ascii=False), "utf-8")
    os.replace(temporary, manifest)
    return manifest


def merge_groups(segments: list[Segment], ratio: int | None = None, limit: int | None = None,
                 ) -> list[list[Segment]]:
    """The segments in groups of consecutive ones, each to be written as one: taken in order, each after the
    last group, while the group before it holds no more than ``ratio`` times it (in records + 1 a batch) and
    together they stay within ``limit``, they become one group.

    A store written by this rule comes back unchanged but for its new last segments (each group then holds
    more than ``ratio`` times the next, or too much to be merged with it)."""
    ratio = MERGE_RATIO if ratio is None else ratio
    limit = MERGE_LIMIT if limit is None else limit
    groups: list[list[Segment]] = []
    sizes: list[int] = []
    for segment in segments:
        groups.append([segment])
        sizes.append(len(segment) + len(segment.batches))
        while len(groups) > 1 and sizes[-2] <= ratio * sizes[-1] and sizes[-2] + sizes[-1] <= limit:
            groups[-2:] = [groups[-2] + groups[-1]]
            sizes[-2:] = [sizes[-2] + sizes[-1]]
    return groups


def save_merged(group: list[Segment], path: Path) -> None:
    """Write consecutive segments as one: their record arrays one after the other, their key tables' union,
    sorted (disjoint: a key is in the segment of its first holder only), a piece at a time."""
    for before, after in zip(group, group[1:], strict=False):
        if after.offset != before.offset + len(before):
            raise ValueError("only consecutive segments are merged")
    arrays = [s.arrays() for s in group]
    layout = {name: (array.dtype, sum(len(a[name]) for a in arrays)) for name, array in arrays[0].items()}
    meta = {"batches": [b for s in group for b in s.batches], "offset": group[0].offset}
    save_pieces(path, meta, layout, _merged_pieces(group))


def _merged_pieces(group: list[Segment]) -> Iterator[tuple[str, np.ndarray]]:
    start = 0
    for segment in group:  # the ids' ends move by the ids of the segments before
        for at in range(0, len(segment), PIECE):
            yield "id_ends", segment.id_ends[at:at + PIECE] + start
        start += len(segment.id_bytes)
    for name in ("id_bytes", "lengths", "complete"):
        for segment in group:
            array = segment.arrays()[name]
            for at in range(0, len(array), PIECE):
                yield name, array[at:at + PIECE]
    for table, keys, positions in (("exact", "exact_keys", "exact_positions"),
                                   ("bands", "band_keys", "band_positions"),
                                   ("paragraphs", "paragraph_keys", "paragraph_positions")):
        for key_piece, position_piece in _union([getattr(s, table) for s in group]):
            yield keys, key_piece
            yield positions, position_piece


def _union(tables: list[KeyArray], step: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The union of disjoint sorted key tables, in sorted pieces: cut at every ``step``-th key of each table,
    so that a piece holds at most ``step`` keys of each. ValueError if two tables hold the same key."""
    step = step or MERGE_STEP
    cuts = np.unique(np.concatenate([t.keys[step::step] for t in tables]))
    ends = [np.concatenate([[0], np.searchsorted(t.keys, cuts), [len(t.keys)]]) for t in tables]
    for piece in range(len(cuts) + 1):
        keys = np.concatenate([t.keys[e[piece]:e[piece + 1]] for t, e in zip(tables, ends, strict=True)])
        positions = np.concatenate([t.positions[e[piece]:e[piece + 1]] for t, e in zip(tables, ends, strict=True)])
        order = np.argsort(keys, kind="stable")
        keys, positions = keys[order], positions[order]
        if len(keys) > 1 and bool(np.any(keys[1:] == keys[:-1])):
            raise ValueError("a key held by two segments")
        yield keys, positions
