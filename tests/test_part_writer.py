"""A chunk's documents are written a row group at a time, atomically."""

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from ingest.batch import list_raw_files
from ingest.records import BatchContext, manifest_row
from ingest.store import PartWriter, new_staging_dir
from tests.batches import write_paragraph_pages


def test_rows_go_out_in_row_groups_and_the_part_appears_only_when_complete(tmp_path):
    write_paragraph_pages(tmp_path / "raw", 25)
    batch = BatchContext("b", datetime(2026, 11, 21, tzinfo=UTC))
    rows = [manifest_row(raw, batch, "ingested", 1) for raw in list_raw_files(tmp_path / "raw")]
    staging = new_staging_dir(tmp_path / "out", "b")
    with PartWriter(staging, "manifest", "part-00003", flush_rows=10) as writer:
        for row in rows:
            writer.add([row])
            assert len(writer.rows) < 10  # never more than a row group in memory
        assert not writer.path.exists()
    part = pq.ParquetFile(staging / "manifest" / "part-00003.parquet")
    assert part.metadata.num_row_groups == 3
    assert part.read().to_pylist() == rows

    with pytest.raises(RuntimeError):
        with PartWriter(staging, "manifest", "part-00004", flush_rows=10) as writer:
            writer.add(rows)
            raise RuntimeError("the worker dies half way")
    assert sorted(p.name for p in (staging / "manifest").iterdir()) == ["part-00003.parquet"]
