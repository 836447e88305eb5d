"""Page furniture learnt from the batch and from earlier batches, applied to the staged documents.

``strip_staged_furniture`` runs after the chunks are cleaned and before the
duplicate marks, under the output directory's lock, like
:func:`ingest.dedup_store.mark_staged_documents`. It reads the staged
documents twice, a part at a time: first the short lines of each page are
counted per group (:mod:`cleaners.structure.furniture`), then each record
loses the lines that the counts of earlier batches plus this batch's own make
furniture. The fields derived from the text follow (``char_count``,
``quality``, ``gaps``; ``repairs.chrome_removed`` counts the lines).

The counts are kept per batch under ``OUT/.furniture/``: ``counts.json`` names
each batch's entry, and each batch's counts are a file of 64-bit keys and pages
in ``batches/`` (:mod:`ingest.furniture_counts`), looked up memory-mapped: a run
reads of the history only the counts of its own lines. The directory is staged
with the batch (the earlier batches' files linked, not copied) and renamed into
place just before its manifest (``STATE_DIRS``). Only batches that a committed
manifest names are read, so a batch staged but never committed counts for
nothing. Each batch's entry records which batches it was cleaned with
(``after``): a rerun of the batch uses those same earlier batches and its own
new counts, never its previous run's, so it gives the same records whatever
was committed since. A store of version 1 (every batch's counts as JSON text)
is read as it is and written back in version 2.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaners.structure.furniture import (
    CHINESE,
    FurnitureConfig,
    furniture_config,
    group_of,
    line_key,
    line_keys,
    moved_offset,
    page_keys,
    strip_furniture,
    title_after_furniture,
    without_lines,
)
from cleaners.text.layout import count_text_chars
from cleaners.text.quality import quality_signals
from ingest.columns import column_array
from ingest.furniture_counts import LineCounts, looked_up, pair_key, pair_keys, paired_line_keys
from ingest.ledger import committed_batches
from ingest.record_keys import next_keys, staged_keys
from ingest.store import link_or_copy, rewrite_groups
from schemas.arrow import DATASETS

LOG = logging.getLogger("corpus.ingest")
FURNITURE_DIR = ".furniture"
COUNTS_FILE = "counts.json"
BATCHES_DIR = "batches"  # a file of line counts per batch, named in its entry of COUNTS_FILE
STORE_VERSION = 2
COLUMNS = ["source_sha256", "source_item", "source_url", "title", "text", "language"]
PAGE_COLUMNS = ["source_sha256", "source_item"]
KEYED_COLUMNS = ["source_sha256", "source_item", "source_url", "language"]  # COLUMNS when the line keys are staged
# What :func:`without_furniture` reads of a record, and what it may change.
STRIP_COLUMNS = ["language", "text", "title", "source_url", "part_index", "gaps", "repairs"]
CHANGED_COLUMNS = ["text", "title", "gaps", "char_count", "quality", "repairs"]

Judged = dict[int, int]  # pair key (ingest.furniture_counts) → pages, for the keys on enough pages to matter


def read_store(path: Path) -> dict:
    """The stored entries per batch; empty when there is none or it cannot be read (counts are evidence, not data)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return data["batches"] if isinstance(data.get("batches"), dict) else {}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def earlier_batches(stored: dict, committed: set[str], batch_id: str) -> list[str]:
    """The batches whose counts this batch is cleaned with: its first run's, or every committed one."""
    previous = stored.get(batch_id)
    if previous is not None and isinstance(previous.get("after"), list):
        return sorted(b for b in previous["after"] if b in committed and b in stored and b != batch_id)
    return sorted(b for b in committed if b in stored and b != batch_id)


def counts_file_name(batch_id: str) -> str:
    """The file of a batch's counts in ``BATCHES_DIR``: named by digest, whatever its id holds."""
    return hashlib.sha256(batch_id.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".npy"


def stored_counts(folder: Path, entry: dict) -> LineCounts:
    """A stored batch's counts; none when they cannot be read (counts are evidence, not data)."""
    if isinstance(entry.get("file"), str):
        try:
            return LineCounts.load(folder / BATCHES_DIR / entry["file"])
        except (OSError, ValueError) as error:
            LOG.warning("furniture counts %s cannot be read (%s): its batch's lines count for nothing",
                        entry["file"], error)
            return LineCounts.empty()
    return version_1_counts(entry.get("counts"))


def version_1_counts(counts: object) -> LineCounts:
    """The counts a version-1 entry kept as text (group → line key → pages), as pair keys."""
    keys: list[int] = []
    pages: list[int] = []
    for group, lines in counts.items() if isinstance(counts, dict) else ():
        for key, n in lines.items() if isinstance(lines, dict) else ():
            if isinstance(key, str) and isinstance(n, int) and n > 0:
                keys.append(pair_key(group, key))
                pages.append(n)
    return LineCounts.of_pairs(keys, pages)


def stage_store(folder: Path, target: Path, stored: dict, kept: list[str], batch_id: str, after: list[str],
                own: LineCounts) -> None:
    """Stage the store in ``target``: the entries of ``kept`` (their files linked from ``folder``) and
    the batch's own, cleaned with ``after``."""
    (target / BATCHES_DIR).mkdir(parents=True, exist_ok=True)
    entries = {}
    for batch in kept:
        name = counts_file_name(batch)
        if carried(folder, target, stored[batch], name):
            entries[batch] = {"after": stored[batch].get("after", []), "file": name}
    name = counts_file_name(batch_id)
    own.save(target / BATCHES_DIR / name)
    entries[batch_id] = {"after": after, "file": name}
    (target / COUNTS_FILE).write_text(json.dumps({"version": STORE_VERSION, "batches": entries}, ensure_ascii=False),
                                      "utf-8")


def carried(folder: Path, target: Path, entry: dict, name: str) -> bool:
    """Put a kept batch's counts in the staged store as ``name``: its file linked (copied where links
    fail), a version-1 entry's counts written; False when they are gone."""
    destination = target / BATCHES_DIR / name
    if not isinstance(entry.get("file"), str):
        version_1_counts(entry.get("counts")).save(destination)
        return True
    source = folder / BATCHES_DIR / entry["file"]
    try:
        link_or_copy(source, destination)
    except FileNotFoundError:
        LOG.warning("furniture counts %s are gone from %s: dropped from the store", entry["file"], folder)
        return False
    return True


def page_of(row: dict) -> tuple:
    return row["source_sha256"], row["source_item"]


def part_rows(part: Path, columns: list[str]) -> Iterator[dict]:
    """The rows of ``part`` as dicts of ``columns`` only, a row group at a time."""
    for group in pq.ParquetFile(part).iter_batches(columns=columns):
        yield from group.to_pylist()


def pages_in_several_parts(parts: list[Path]) -> set[tuple]:
    """The pages whose records more than one part holds (a file that changed into another's bytes after it was
    listed): their keys are gathered over the whole batch; every other page is counted with its own part."""
    seen: set[tuple] = set()
    several: set[tuple] = set()
    for part in parts:
        pages = {page_of(row) for row in part_rows(part, PAGE_COLUMNS)}
        several |= pages & seen
        seen |= pages
    return several


def part_pages(part: Path, config: FurnitureConfig, staging: Path | None = None) -> dict[tuple, tuple[str, set[str]]]:
    """Page → (its group, the keys of its lines), for the Chinese records of one part.

    With ``staging``, the line keys the chunk worker staged are used and the part's texts are not read,
    when every Chinese record of the part has its own (:mod:`ingest.record_keys`).
    """
    staged = staged_records(part, config, staging)
    records = staged if staged is not None else ((row, None) for row in part_rows(part, COLUMNS))
    pages: dict[tuple, tuple[str, set[str]]] = {}
    for row, lines in records:
        if row["language"] != CHINESE:
            continue
        group, keys = pages.get(page_of(row), (group_of(row["source_url"]), set()))
        if staged is not None:
            keys.update(key for key in lines or () if key is not None)
        else:
            keys |= page_keys([(row["text"] or "", row["title"])], config.max_chars)
        pages[page_of(row)] = (group, keys)
    return pages


def staged_records(part: Path, config: FurnitureConfig, staging: Path | None) -> list[tuple[dict, tuple | None]] | None:
    """Each record of ``part`` in order, its ``KEYED_COLUMNS`` and its staged line keys (None for a record not
    Chinese), read in one pass; None unless every Chinese record has its own, made with ``config``'s
    ``max_chars``."""
    if staging is None:
        return None
    staged = staged_keys(staging, part.stem)
    found = []
    for row in part_rows(part, ["record_id", *KEYED_COLUMNS]):
        keys = next_keys(staged, row["record_id"])
        if row["language"] == CHINESE and (keys is None or keys.lines is None or keys.max_chars != config.max_chars):
            return None
        found.append((row, keys.lines if keys is not None else None))
    return found


def batch_counts(parts: list[Path], config: FurnitureConfig, staging: Path | None = None) -> LineCounts:
    """On how many pages of the staged documents each line key occurs in its group (as pair keys).

    Counted part by part: what is held at once is one part's pages (and the rare
    page that several parts hold) and the counts so far, never the batch's texts.
    """
    several = pages_in_several_parts(parts)
    spread: dict[tuple, tuple[str, set[str]]] = {}
    counted = []
    for part in parts:
        pages = []
        for page, (group, keys) in part_pages(part, config, staging).items():
            if page in several:
                earlier_group, earlier_keys = spread.get(page, (group, set()))
                spread[page] = (earlier_group, earlier_keys | keys)
            else:
                pages.append(pair_keys(group, keys))
        counted.append(LineCounts.of_pages(pages))
    counted.append(LineCounts.of_pages(pair_keys(group, keys) for group, keys in spread.values()))
    return LineCounts.summed(counted)


def without_furniture(row: dict, counts: Judged, config: FurnitureConfig,
                      keys: Sequence[int | None] | None = None) -> int:
    """Remove the furniture lines of one document row in place; how many lines left the text.

    A first record without a title (a banner above it hid it) or whose title
    was itself furniture gets the title the chrome stage finds once the
    furniture is gone. ``keys``: its lines' pair keys, when they are known (from the keys the chunk
    worker staged).
    """
    if row["language"] != CHINESE:
        return 0
    text = row["text"] or ""
    if keys is None:
        keys = paired_line_keys(group_of(row["source_url"]), line_keys(text, row["title"], config.max_chars))
    new_text, removed, offsets = strip_furniture(text, row["title"], counts, config, keys)
    if not removed:
        return 0
    title_removed = 0
    gaps = [moved_offset(g, offsets, len(new_text)) for g in row["gaps"] or []]
    removed_keys = {line_key(line, None, config.max_chars) for line in removed}
    if row["part_index"] == 0 and (row["title"] is None or line_key(row["title"], None) in removed_keys):
        title, title_lines = title_after_furniture(new_text)
        if title is not None:
            row["title"] = title
            new_text, offsets = without_lines(new_text, title_lines)
            gaps = [moved_offset(g, offsets, len(new_text)) for g in gaps]
            title_removed = len(title_lines)
    row["gaps"] = gaps
    row["text"] = new_text
    row["char_count"] = count_text_chars(new_text)
    row["quality"] = quality_signals(new_text)
    row["repairs"] = {**row["repairs"], "chrome_removed": row["repairs"]["chrome_removed"] + len(removed) + title_removed}
    return len(removed) + title_removed


def paired_staged_keys(staged: list[tuple[dict, tuple | None]]) -> list[list[int | None] | None]:
    """The pair keys of each record's staged line keys, in the group of its URL (None for a record not Chinese)."""
    return [paired_line_keys(group_of(row["source_url"]), keys) if keys is not None else None
            for row, keys in staged]


def any_may_go(paired: list[list[int | None] | None], counts: Judged, config: FurnitureConfig) -> bool:
    """Whether a line of a Chinese record recurs on ``pages_with_cue`` pages of its group:
    below that no line is furniture (:func:`cleaners.structure.furniture.is_furniture_line`)."""
    return any(counts.get(key, 0) >= config.pages_with_cue
               for keys in paired if keys for key in keys if key is not None)


def judged_counts(counts: LineCounts, config: FurnitureConfig) -> Judged:
    """The counts a line is judged by, only for the keys on enough pages to matter.

    A line on fewer than ``pages_with_cue`` pages is never furniture, and one on fewer than two
    never a copied line (:func:`cleaners.structure.furniture.furniture_lines`): below both, a
    count acts as none.
    """
    return counts.at_least(min(2, config.pages_with_cue))


def strip_staged_furniture(out_dir: str | os.PathLike, staging: Path, batch_id: str,
                           config: FurnitureConfig | None = None) -> int:
    """Remove learnt furniture from the staged documents of ``batch_id``; stage the counts. Lines removed."""
    config = config or furniture_config()
    folder = Path(out_dir) / FURNITURE_DIR
    stored = read_store(folder / COUNTS_FILE)
    committed = committed_batches(out_dir) - {batch_id}
    after = earlier_batches(stored, committed, batch_id)
    parts = sorted((staging / "documents").glob("*.parquet"))
    own = batch_counts(parts, config, staging)
    counts = judged_counts(looked_up(own, (stored_counts(folder, stored[b]) for b in after)), config)
    removed = sum(strip_part(part, counts, config, staging) for part in parts)
    kept = sorted(b for b in stored if b in committed)
    stage_store(folder, staging / FURNITURE_DIR, stored, kept, batch_id, after, own)
    return removed


def strip_part(part: Path, counts: Judged, config: FurnitureConfig, staging: Path | None = None) -> int:
    """Remove the furniture lines of one staged part's records, rewriting it if any; lines removed.

    The part is read and rewritten a row group at a time (``rewrite_groups``),
    only the columns it changes replaced. With the line keys the chunk worker
    staged, a part none of whose lines recurs on ``pages_with_cue`` pages (so
    none can go) is not read at all.
    """
    staged = staged_records(part, config, staging)
    paired = paired_staged_keys(staged) if staged is not None else None
    if paired is not None and not any_may_go(paired, counts, config):
        return 0
    removed = 0
    before = 0  # rows of the part in the groups already read

    def strip_group(table: pa.Table) -> pa.Table | None:
        nonlocal removed, before
        rows = table.select(STRIP_COLUMNS).to_pylist()
        lines = [without_furniture(row, counts, config, paired[before + i] if paired is not None else None)
                 for i, row in enumerate(rows)]
        before += len(rows)
        if not any(lines):
            return None
        removed += sum(lines)
        return with_changed_rows(table, rows, [i for i, n in enumerate(lines) if n])

    rewrite_groups(part, strip_group)
    return removed


def with_changed_rows(table: pa.Table, rows: list[dict], changed: list[int]) -> pa.Table:
    """``table`` with the CHANGED_COLUMNS of its rows ``changed`` taken from ``rows``."""
    schema = DATASETS["documents"]
    for name in CHANGED_COLUMNS:
        values = table.column(name).to_pylist()
        for i in changed:
            values[i] = rows[i][name]
        position = table.schema.get_field_index(name)
        table = table.set_column(position, table.schema.field(position), column_array(values, schema.field(name).type))
    return table
