"""The Arrow schemas of ``documents``, ``quarantine`` and ``manifest`` (CONTRACT.md).

Schema version 2: ``batch_id`` lives in the partition path only
(``documents/batch_id=ID/part.parquet``), as pyarrow's and Spark's writers
put a partition key. The files do not hold it; every Hive-aware reader adds it
from the path with its default call (pyarrow ``partitioning='hive'``,
``pq.read_table(dir)``, pandas, polars, DuckDB ``hive_partitioning=true``,
Spark). ``PARTITION_KEY`` names it. In version 1 it was also a column in the
files, which made pyarrow's ``dataset(dir, partitioning='hive')`` fail to merge
the two.
"""

from __future__ import annotations

import pyarrow as pa

from cleaners.chinese import SHANGHAI_NAME
from cleaners.model import REPAIR_FIELDS
from cleaners.text.quality import QUALITY_FIELDS

SCHEMA_VERSION = "2"
SCHEMA_VERSION_KEY = b"corpus.schema_version"

SHANGHAI = SHANGHAI_NAME
PARTITION_KEY = "batch_id"

QUALITY = pa.struct([pa.field(name, pa.float32(), nullable=False) for name in QUALITY_FIELDS])
REPAIRS = pa.struct([pa.field(name, pa.int32(), nullable=False) for name in REPAIR_FIELDS])


def _schema(fields: list[pa.Field], name: str) -> pa.Schema:
    return pa.schema(fields, metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode(), b"corpus.dataset": name.encode()})


DOCUMENTS = _schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("source_format", pa.string(), nullable=False),
        pa.field("part_index", pa.int32(), nullable=False),
        pa.field("part_count", pa.int32(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("char_count", pa.int32(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("source_url", pa.string()),
        pa.field("published_at", pa.timestamp("us", tz=SHANGHAI)),
        pa.field("author", pa.string()),
        pa.field("encoding", pa.string(), nullable=False),
        pa.field("encoding_confidence", pa.float32(), nullable=False),
        pa.field("original_script", pa.string(), nullable=False),
        pa.field("truncated", pa.bool_(), nullable=False),
        pa.field("declared_chars", pa.int32()),
        pa.field("shown_chars", pa.int32()),
        pa.field("omitted_chars", pa.int32()),
        # "element" is the item name Parquet writes and reads back; with it the schema round-trips exactly.
        pa.field("outline", pa.list_(pa.field("element", pa.string())), nullable=False),
        pa.field("gaps", pa.list_(pa.field("element", pa.int32())), nullable=False),
        pa.field("redactions", pa.int32(), nullable=False),
        pa.field("repairs", REPAIRS, nullable=False),
        pa.field("duplicate_of", pa.string()),
        pa.field("source_item", pa.string()),
        pa.field("fetched_at", pa.timestamp("us", tz="UTC")),
        pa.field("language", pa.string(), nullable=False),
        pa.field("language_confidence", pa.float32(), nullable=False),
        pa.field("quality", QUALITY, nullable=False),
        pa.field("pipeline_version", pa.string(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ],
    "documents",
)

QUARANTINE = _schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("source_bytes", pa.int64(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ],
    "quarantine",
)

MANIFEST = _schema(
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_sha256", pa.string(), nullable=False),
        pa.field("source_bytes", pa.int64(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("records", pa.int32(), nullable=False),
        pa.field("items", pa.int32(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ],
    "manifest",
)

DATASETS: dict[str, pa.Schema] = {"documents": DOCUMENTS, "quarantine": QUARANTINE, "manifest": MANIFEST}
OUTCOMES = ("ingested", "quarantined", "duplicate")
