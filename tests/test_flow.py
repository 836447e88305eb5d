"""The ingest flow end to end under one session-scoped Prefect test server."""

import duckdb
import opencc
import pytest

from flows.ingest import ingest
from tests.batches import write_mixed_batch

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def query(sql: str):
    return duckdb.sql(sql).fetchall()


def test_sample_batch_end_to_end(samples_dir, tmp_path):
    out = tmp_path / "curated"
    summary = ingest(raw_dir=str(samples_dir), out_dir=str(out), batch_id="samples-test")
    # 1 + 1 + 12 + 8 + 1 articles: pages 002 and 003 are collections (ARTIFACTS, top table).
    assert (summary.files, summary.records, summary.quarantined, summary.duplicates) == (5, 23, 0, 0)
    rows = query(f"select source_path, text, batch_id from read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)")
    assert sorted({r[0] for r in rows}) == sorted(p.name for p in samples_dir.iterdir())
    t2s = opencc.OpenCC("t2s.json")
    assert all(t2s.convert(text) == text for _, text, _ in rows)
    assert {r[2] for r in rows} == {"samples-test"}
    assert query(f"select count(*) from read_parquet('{out}/manifest/**/*.parquet', hive_partitioning=true)") == [(5,)]


def test_mixed_batch_through_the_flow_and_its_rerun(tmp_path):
    expected = write_mixed_batch(tmp_path / "raw")
    out = tmp_path / "curated"
    first = ingest(raw_dir=str(tmp_path / "raw"), out_dir=str(out), batch_id="mixed")
    assert (first.records, first.quarantined, first.quarantine_reasons) == (4, 2, {"empty": 1, "binary": 1})
    docs = f"read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)"
    encodings = dict(query(f"select source_path, encoding from {docs}"))
    assert encodings == {k: v for k, v in expected.items() if v not in ("empty", "binary")}
    ids = query(f"select record_id from {docs} order by record_id")

    second = ingest(raw_dir=str(tmp_path / "raw"), out_dir=str(out), batch_id="mixed", replace=True)
    assert (second.records, second.quarantined) == (4, 2)
    assert query(f"select record_id from {docs} order by record_id") == ids
    assert query(f"select count(*) from read_parquet('{out}/quarantine/**/*.parquet')") == [(2,)]
    assert query(f"select count(*) from read_parquet('{out}/manifest/**/*.parquet')") == [(6,)]
