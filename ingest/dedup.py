"""Duplicates across records, files and batches: exact, near and fragments, marked, never dropped.

Three tests, against every record of the output directory ingested before and
the records of the batch before this one:

* **exact**: the same normalised text (NFKC, folded to Simplified with ASCII
  punctuation, only hanzi, letters and digits kept, so whitespace, punctuation,
  script and width do not count), by a 128-bit hash;
* **near**: MinHash over character ``shingle``-grams of that text, banded as
  datasketch's ``MinHashLSH`` bands it at ``threshold`` (estimated Jaccard
  similarity; the values datasketch gives, made by :mod:`ingest.minhash`):
  word tokenisers do not suit Chinese, character shingles do;
* **fragment** (containment): at least ``containment`` of a record's
  normalised characters lie in paragraphs that one single longer record holds,
  as an excerpt or a repost of part of an article is cut at paragraph
  boundaries. Paragraphs are kept as 64-bit hashes of their normalised text.

Which record is kept (``duplicate_of`` names it): the earlier one, unless the
later one is the complete, undamaged version (not truncated, no character
lost to mojibake) and the earlier one is not. A record of an earlier batch is
never rewritten: the later, better record is then left unmarked and becomes
the one later copies point to. Within a batch, the earlier record is marked
instead. A mark the page itself gave (a part of a collection copying another
part, ``cleaners.structure.duplicates``) is kept unless the text is an exact
copy of an earlier record.

What the tests compare is computed once per record from its text alone
(:func:`record_keys`): the chunk workers make the keys of the records they
write (``ingest.record_keys``), and the index uses them when they were made
from the text it reads, making them itself otherwise.

The index is a cache of the committed ``documents``: it records which batches
it covers, and when they differ from the committed manifests (a crash between
renames, a batch rerun under its id) it is rebuilt from the documents. It is
kept on disk as segments of consecutive batches, merged as they accumulate
(:mod:`ingest.dedup_segments`); the
:class:`DuplicateIndex` here, all in memory, is the reference its marks are
tested against.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from cleaners.chinese import HAN_UNIFIED
from cleaners.matching.fold import fold
from ingest import minhash
from ingest.key_table import KeyTable

INDEX_DIR = ".dedup"  # the index's store in the output directory (ingest.dedup_segments)
NOT_TEXT = re.compile(f"[^0-9a-z{HAN_UNIFIED}]")


@dataclass(frozen=True)
class DedupConfig:
    threshold: float = 0.8  # estimated Jaccard similarity of shingle sets for a near duplicate
    containment: float = 0.8  # share of a record's characters in one longer record's paragraphs
    shingle: int = 5  # characters per shingle
    num_perm: int = 128
    min_paragraph: int = 20  # normalised characters a paragraph needs to count for fragments
    min_chars: int = 30  # records shorter than this are never near or fragment duplicates


@dataclass(frozen=True)
class Record:
    record_id: str
    text: str
    complete: bool  # not truncated, no character lost to mojibake
    page_mark: str | None = None  # duplicate_of the page itself gave
    keys: RecordKeys | None = None  # made by the chunk worker; used when they fit the text


def normalise(text: str) -> str:
    """Hanzi, letters and digits of ``text``, Simplified, lower case.

    >>> normalise("學習， Ａbc 1\\n")
    '学习abc1'
    """
    return NOT_TEXT.sub("", fold(unicodedata.normalize("NFKC", text)).lower())


def text_hash(normalised: str) -> bytes:
    return hashlib.blake2b(normalised.encode(), digest_size=16).digest()


def normalised_lines(text: str) -> list[str]:
    """:func:`normalise` of each line. Joined, they are the text's: NFKC, the fold, ``lower`` and the
    filter all act on a line alone (a newline is a stable code point for NFKC and neither cased nor
    case-ignorable for ``lower``), so a record's text is normalised once for both uses.

    Made by one ``str.translate`` of the whole text through each character's own :func:`normalise`
    (:class:`_NormalisedTable`); a line holding a character whose NFKC may depend on its neighbours is
    normalised whole (the oracle, ``[normalise(line) for line in text.split("\\n")]``, is in
    ``tests/test_minhash.py``).
    """
    if len(text) >= ARRAY_FROM:
        gathered = gathered_lines(text)
        if gathered is not None:
            return gathered
    translated = text.translate(_NORMALISED)
    lines = translated.split("\n")
    if NEIGHBOURLY in translated:  # rare: a combining mark, a Hangul jamo, a vowel sign that composes
        raw = text.split("\n")
        return [normalise(raw[i]) if NEIGHBOURLY in line else line for i, line in enumerate(lines)]
    return lines


# Which characters normalise alone. NFKC is a per-character decomposition, a reordering of runs of
# combining marks and a composition of a starter with what follows it: a character whose decomposition
# opens with a starter that is never the second of a composition pair ends every run before it and
# composes with nothing before it, so the NFKC of a text of such characters is their NFKCs joined; the
# fold, ``lower`` (only a final sigma looks at its neighbours, and no sigma survives the filter) and the
# filter are per character. The starters that are second in a composition pair (Unicode 14), apart from
# the Hangul vowel and trailing jamo: ``composing_starters`` recomputes them from ``unicodedata``.
NEIGHBOURLY = "\x00"  # what such a character becomes in the translated text: normalise never leaves one
_COMPOSING_STARTERS_14 = frozenset((
    0x9BE, 0x9D7, 0xB3E, 0xB56, 0xB57, 0xBBE, 0xBD7, 0xCC2, 0xCD5, 0xCD6, 0xD3E, 0xD57, 0xDCF, 0xDDF, 0xFB5,
    0xFB7, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930))
HANGUL_SECONDS = range(0x1161, 0x11C3)  # vowel jamo U+1161-1175, trailing jamo U+11A8-11C2, and between


def composing_starters() -> frozenset[int]:
    """Code points of combining class 0 that are the second of a canonical pair (Hangul's jamo apart)."""
    seconds = set()
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return frozenset(code for code in seconds if unicodedata.combining(chr(code)) == 0)


def normalises_alone(char: str) -> bool:
    """Whether ``char``'s NFKC never depends on its neighbours (see above)."""
    first = unicodedata.normalize("NFKD", char)[0]
    return unicodedata.combining(first) == 0 and ord(first) not in _composing() and ord(first) not in HANGUL_SECONDS


@cache
def _composing() -> frozenset[int]:
    return _COMPOSING_STARTERS_14 if unicodedata.unidata_version.startswith("14.") else composing_starters()


class _NormalisedTable(dict):
    """Code point → its :func:`normalise` for ``str.translate`` (a newline stays, to split the lines;
    a neighbourly character becomes :data:`NEIGHBOURLY`), filled as characters are first seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = self[code] = "\n" if char == "\n" else normalise(char) if normalises_alone(char) else NEIGHBOURLY
        return value


_NORMALISED = _NormalisedTable()

# The same table over the Basic Multilingual Plane as an array, for long texts: a text's code points are
# gathered through it in numpy (about three times faster than ``str.translate``). A character that
# normalises to one character holds that character's code point, one that normalises to nothing 0 (no
# character normalises to U+0000); one that becomes several characters, or is neighbourly, SEVERAL: a text
# holding one (or a character past the BMP) is translated instead. Filled as characters are first seen.
ARRAY_FROM = 256  # shorter texts: numpy's fixed cost is more than translate's
BMP = 0x10000
SEVERAL = np.uint32(0xFFFFFFFF)
_GATHER = np.zeros(BMP, dtype=np.uint32)
_GATHERED = np.zeros(BMP, dtype=bool)


def _learn_gathered(codes: list[int]) -> None:
    for code in codes:
        value = _NORMALISED[code]
        _GATHER[code] = 0 if not value else ord(value) if len(value) == 1 and value != NEIGHBOURLY else SEVERAL
        _GATHERED[code] = True


def gathered_lines(text: str) -> list[str] | None:
    """:func:`normalised_lines` by gathering the code points of ``text`` through ``_GATHER``, or None when
    the text holds a character that does not map to at most one (then ``str.translate`` does it)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not codes.size or int(codes.max()) >= BMP:
        return None
    unknown = codes[~_GATHERED[codes]]
    if unknown.size:
        _learn_gathered(np.unique(unknown).tolist())
    mapped = _GATHER[codes]
    if (mapped == SEVERAL).any():
        return None
    return mapped[mapped != 0].tobytes().decode("utf-32-le").split("\n")


def paragraph_hashes(text: str, config: DedupConfig, lines: list[str] | None = None) -> dict[int, int]:
    """64-bit hash → normalised length, for each paragraph long enough to count (``lines``: its
    :func:`normalised_lines`, when known)."""
    found = {}
    for norm in normalised_lines(text) if lines is None else lines:
        if len(norm) >= config.min_paragraph:
            found[int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "little") >> 1] = len(norm)
    return found


def signature(normalised: str, config: DedupConfig) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint32 values) of the normalised text's shingles."""
    return minhash.text_signature(normalised, config.shingle, config.num_perm)


def banding(config: DedupConfig) -> tuple[int, int]:
    """(bands, rows per band) of datasketch's ``MinHashLSH`` for the config's threshold and permutations."""
    return minhash.optimal_bands(config.threshold, config.num_perm)


def band_keys(values: np.ndarray, bands: int, rows: int) -> list[int]:
    """A 64-bit key for each band of the signature ``values``: a hash of its number and its rows' values."""
    return [int.from_bytes(hashlib.blake2b(values[i * rows:(i + 1) * rows].tobytes(), digest_size=8,
                                           salt=i.to_bytes(2, "little")).digest(), "little")
            for i in range(bands)]


def source_digest(text: str) -> bytes:
    """What a record's keys were made from: a 128-bit hash of its text as written."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(frozen=True)
class RecordKeys:
    """What the duplicate tests read of one record, made from its text alone (:func:`record_keys`)."""

    source: bytes  # source_digest of the text they were made from
    config: DedupConfig
    length: int  # normalised characters
    digest: bytes  # text_hash of the normalised text
    bands: list[int] | None  # band_keys of the signature; None when no near or fragment test needs them
    paragraphs: dict[int, int]

    def fit(self, record: Record, config: DedupConfig) -> bool:
        """Made with ``config`` from ``record``'s text, with a signature if the record needs one."""
        return self.config == config and self.source == source_digest(record.text) \
            and (self.bands is not None or not needs_signature(self.length, record.page_mark, config))


def keys_of(record: Record, config: DedupConfig) -> RecordKeys:
    """The record's staged keys when they were made from its text with ``config``, else keys made now."""
    if record.keys is not None and record.keys.fit(record, config):
        return record.keys
    return record_keys(record.text, record.page_mark, config)


def needs_signature(length: int, page_mark: str | None, config: DedupConfig) -> bool:
    """A record long enough for near and fragment tests, and not a part its page marks as a copy."""
    return length >= config.min_chars and page_mark is None


def record_keys(text: str, page_mark: str | None, config: DedupConfig) -> RecordKeys:
    """The keys of a record with ``text`` (``page_mark``: the copy its page named, or None)."""
    lines = normalised_lines(text)
    norm = "".join(lines)
    needed = needs_signature(len(norm), page_mark, config)
    return RecordKeys(source=source_digest(text), config=config, length=len(norm), digest=text_hash(norm),
                      bands=band_keys(signature(norm, config), *banding(config)) if needed else None,
                      paragraphs=paragraph_hashes(text, config, lines) if needed else {})


@dataclass
class Buckets:
    """MinHash LSH: the banding of datasketch's ``MinHashLSH``, keeping only what a lookup here needs.

    A record is a near-duplicate candidate of the records that share one band
    of its signature, and only the earliest of them is ever asked for. So a
    64-bit hash of each band (its number and its rows' values) maps to the
    first position inserted with it, in one :class:`KeyTable` (16 bytes an
    entry), where ``MinHashLSH`` keeps a set of pickled keys per bucket and the
    bucket bytes of every key. Two different bands share a hash with
    probability 2⁻⁶⁴ per pair of records.
    """

    bands: int
    rows: int
    table: KeyTable = field(default_factory=KeyTable)

    def first(self, keys: list[int]) -> int | None:
        """The earliest position sharing one of the band ``keys``, None when there is none."""
        return min((p for p in self.table.get_many(keys) if p is not None), default=None)

    def insert(self, position: int, keys: list[int]) -> None:
        self.table.setdefault_many(keys, position)


@dataclass
class DuplicateIndex:
    """Every record ingested so far, as hashes and MinHash signatures; grows one batch at a time."""

    config: DedupConfig = field(default_factory=DedupConfig)
    batches: set[str] = field(default_factory=set)
    ids: list[str] = field(default_factory=list)  # position → record_id
    complete: list[bool] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    exact: dict[bytes, int] = field(default_factory=dict)  # text hash → position of the kept record
    paragraphs: KeyTable = field(default_factory=KeyTable)  # paragraph hash → position of its first holder
    better: dict[int, int] = field(default_factory=dict)  # an earlier record → the complete one kept instead
    buckets: Buckets | None = None  # made when the first signature is added

    def mark_batch(self, batch_id: str, records: Iterable[Record]) -> dict[str, str | None]:
        """``duplicate_of`` for each record of a batch (in order), adding them to the index."""
        marks: dict[str, str | None] = {}
        for record in records:
            self._add(record, marks)
        self.batches.add(batch_id)
        return marks

    def _add(self, record: Record, marks: dict[str, str | None]) -> None:
        keys = keys_of(record, self.config)
        position = len(self.ids)
        self.ids.append(record.record_id)
        self.complete.append(record.complete)
        self.lengths.append(keys.length)
        marks[record.record_id] = record.page_mark
        kept = self.exact.get(keys.digest)
        if kept is not None:
            self._resolve(position, kept, keys.digest, marks)
            return
        self.exact[keys.digest] = position
        if keys.bands is None or not needs_signature(keys.length, record.page_mark, self.config):
            return  # a part the page marks as a copy: the part it copies stands for it
        buckets = self.near_buckets()
        other = buckets.first(keys.bands)
        if other is None:
            other = self._container(keys.paragraphs, keys.length)
        if other is not None:
            self._resolve(position, other, None, marks)
        buckets.insert(position, keys.bands)
        self.paragraphs.setdefault_many(list(keys.paragraphs), position)

    def near_buckets(self) -> Buckets:
        """The near-duplicate buckets, made on first use."""
        if self.buckets is None:
            self.buckets = Buckets(*banding(self.config))
        return self.buckets

    def _container(self, paragraphs: dict[int, int], length: int) -> int | None:
        shared: Counter[int] = Counter()
        for holder, size in zip(self.paragraphs.get_many(list(paragraphs)), paragraphs.values(), strict=True):
            if holder is not None:
                shared[holder] += size
        for holder, size in shared.most_common(1):
            if size >= self.config.containment * length and self.lengths[holder] > length:
                return holder
        return None

    def _resolve(self, position: int, earlier: int, digest: bytes | None, marks: dict[str, str | None]) -> None:
        """Mark the later record, or, if it alone is complete, the earlier one of this batch."""
        kept = self._kept(earlier)
        if self.complete[position] and not self.complete[kept]:
            if self.ids[kept] in marks:  # in this batch: mark the earlier, damaged one
                marks[self.ids[kept]] = self.ids[position]
            self.better[kept] = position
            if digest is not None:
                self.exact[digest] = position
            return
        marks[self.ids[position]] = self.ids[kept]

    def _kept(self, position: int) -> int:
        while position in self.better:
            position = self.better[position]
        return position
