"""Every usual reader reads the three datasets with its default call and the contract's types (schema version 2).

Two batches are written without Prefect (the samples and a mixed batch with
quarantined files), then each reader reads each dataset's folder. ``batch_id``
comes from the partition path only; the other columns keep the Arrow schemas'
types. Spark runs only where ``pyspark`` and a Java runtime are present.
"""

import shutil
from collections import Counter
from datetime import UTC, datetime

import pyarrow as pa
import pytest

from ingest.records import BatchContext
from schemas.arrow import DATASETS, PARTITION_KEY
from tests.batches import write_mixed_batch
from tests.conftest import SAMPLES
from tests.test_batch import run_batch_without_prefect

BATCHES = ("samples-a", "mixed-b")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("readers")
    write_mixed_batch(root / "mixed")
    for batch_id, raw in zip(BATCHES, (SAMPLES, root / "mixed"), strict=True):
        batch = BatchContext(batch_id=batch_id, ingested_at=datetime(2026, 11, 21, tzinfo=UTC))
        run_batch_without_prefect(raw, root / "out", batch)
    return root / "out"


def expected_rows(out, dataset: str) -> dict[str, int]:
    import pyarrow.parquet as pq

    counts = {b: sum(pq.read_metadata(p).num_rows for p in (out / dataset / f"batch_id={b}").glob("*.parquet"))
              for b in BATCHES}
    return {b: n for b, n in counts.items() if n}  # the samples quarantine nothing


def assert_arrow_types(table: pa.Table, dataset: str) -> None:
    schema = DATASETS[dataset]
    for field in schema:
        assert table.schema.field(field.name).type == field.type, field.name


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_pyarrow_dataset_with_hive_partitioning(out, dataset):
    import pyarrow.dataset as ds

    table = ds.dataset(out / dataset, partitioning="hive").to_table()
    assert_arrow_types(table, dataset)
    assert table.schema.field(PARTITION_KEY).type == pa.string()
    assert Counter(table.column(PARTITION_KEY).to_pylist()) == expected_rows(out, dataset)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_pyarrow_read_table_of_the_folder(out, dataset):
    import pyarrow.parquet as pq

    table = pq.read_table(out / dataset)
    assert_arrow_types(table, dataset)
    assert Counter(table.column(PARTITION_KEY).to_pylist()) == expected_rows(out, dataset)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_pandas_read_parquet_of_the_folder(out, dataset):
    import pandas as pd

    frame = pd.read_parquet(out / dataset)
    assert Counter(frame[PARTITION_KEY].astype(str)) == expected_rows(out, dataset)
    assert str(frame["ingested_at"].dtype) == "datetime64[us, UTC]"
    if dataset == "documents":
        assert str(frame["published_at"].dtype) == "datetime64[us, Asia/Shanghai]"
        assert str(frame["char_count"].dtype) == "int32"


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("how", ["folder", "glob"])
def test_polars(out, dataset, how):
    import polars as pl

    if how == "folder":
        frame = pl.read_parquet(out / dataset)
    else:
        frame = pl.scan_parquet(str(out / dataset / "**" / "*.parquet"), hive_partitioning=True).collect()
    assert frame.schema[PARTITION_KEY] == pl.String
    assert dict(frame[PARTITION_KEY].value_counts().iter_rows()) == expected_rows(out, dataset)
    assert frame.schema["ingested_at"] == pl.Datetime("us", "UTC")
    if dataset == "documents":
        assert frame.schema["published_at"] == pl.Datetime("us", "Asia/Shanghai")
        assert frame.schema["char_count"] == pl.Int32
        assert frame.schema["outline"] == pl.List(pl.String)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_duckdb_with_hive_partitioning(out, dataset):
    import duckdb

    relation = duckdb.sql(f"select * from read_parquet('{out / dataset}/**/*.parquet', hive_partitioning=true)")
    types = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
    assert types[PARTITION_KEY] == "VARCHAR"
    assert types["ingested_at"] == "TIMESTAMP WITH TIME ZONE"
    if dataset == "documents":
        assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
        assert types["char_count"] == "INTEGER"
    counts = dict(relation.aggregate(f"{PARTITION_KEY}, count(*)").fetchall())
    assert counts == expected_rows(out, dataset)


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_spark(out, dataset):
    pyspark = pytest.importorskip("pyspark.sql")
    spark = (pyspark.SparkSession.builder.master("local[1]")
             .config("spark.sql.session.timeZone", "Asia/Shanghai").getOrCreate())
    try:
        frame = spark.read.parquet(str(out / dataset))
        types = dict(frame.dtypes)
        assert types[PARTITION_KEY] == "string"
        assert types["ingested_at"] == "timestamp"
        counts = {row[0]: row[1] for row in frame.groupBy(PARTITION_KEY).count().collect()}
        assert counts == expected_rows(out, dataset)
    finally:
        spark.stop()
