"""Tables built column by column from buffers (``ingest.columns``) equal ``pa.Table.from_pylist``'s, the oracle."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.columns import column_array, rows_table
from schemas.arrow import DATASETS

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
ZONES = st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), timezone(timedelta(hours=-3))])
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)


def values_of(kind: pa.DataType) -> st.SearchStrategy:
    if pa.types.is_string(kind):
        return TEXT
    if pa.types.is_int32(kind):
        return st.integers(-2**31, 2**31 - 1)
    if pa.types.is_int64(kind):
        return st.integers(-2**63, 2**63 - 1)
    if pa.types.is_float32(kind):  # doubles that round when stored as float32, infinities, subnormals
        return st.floats(allow_nan=False)
    if pa.types.is_boolean(kind):
        return st.booleans()
    if pa.types.is_timestamp(kind):
        return MOMENTS
    if pa.types.is_list(kind):
        return st.lists(values_of(kind.value_type), max_size=4)
    if pa.types.is_struct(kind):
        return st.fixed_dictionaries({field.name: values_of(field.type) for field in kind})
    raise AssertionError(kind)


def rows_of(schema: pa.Schema) -> st.SearchStrategy:
    """Rows of ``schema``: nullable columns sometimes None or missing, sometimes a key the schema lacks."""
    def value(field):
        base = values_of(field.type)
        return st.one_of(st.none(), base) if field.nullable else base

    row = st.fixed_dictionaries({field.name: value(field) for field in schema},
                                optional={"not_a_column": TEXT})
    dropped = st.sampled_from([None] + [field.name for field in schema if field.nullable])
    return st.lists(st.tuples(row, dropped), max_size=12).map(
        lambda pairs: [{k: v for k, v in r.items() if k != drop} for r, drop in pairs])


def assert_same_table(rows: list[dict], schema: pa.Schema) -> None:
    fast, slow = rows_table(rows, schema), pa.Table.from_pylist(rows, schema=schema)
    fast.validate(full=True)
    assert fast.schema.equals(slow.schema, check_metadata=True)
    assert fast.equals(slow)
    assert fast.to_pylist() == slow.to_pylist()


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(DATASETS)).flatmap(lambda name: st.tuples(st.just(name), rows_of(DATASETS[name]))))
def test_tables_equal_from_pylist(named_rows):
    name, rows = named_rows
    assert_same_table(rows, DATASETS[name])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.fixed_dictionaries({"a": st.one_of(st.none(), TEXT),
                                                             "b": st.one_of(st.none(), st.integers(0, 9))})),
                max_size=8))
def test_null_structs_and_their_children_as_pa_array_builds_them(values):
    kind = pa.struct([("a", pa.string()), ("b", pa.int32())])
    fast = column_array(values, kind)
    fast.validate(full=True)
    assert fast.equals(pa.array(values, type=kind))
    slow = pa.array(values, type=kind)
    assert all(fast.field(i).equals(slow.field(i)) for i in range(2))  # the slots under a null struct too


def test_real_rows_give_the_same_table_and_file(tmp_path):
    from tests.pages import SAMPLES, sample_rows  # noqa: PLC0415

    rows = [row for path in sorted(SAMPLES.iterdir()) for row in sample_rows(path.name.split("_")[0])]
    assert len(rows) > 5
    schema = DATASETS["documents"]
    assert_same_table(rows, schema)
    pq.write_table(rows_table(rows, schema), tmp_path / "fast.parquet", compression="zstd")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "slow.parquet", compression="zstd")
    assert (tmp_path / "fast.parquet").read_bytes() == (tmp_path / "slow.parquet").read_bytes()


def test_building_a_table_does_not_import_pandas():
    code = ("import sys; from datetime import datetime, UTC; from ingest.records import manifest_row, BatchContext, "
            "RawFile; from ingest.store import rows_to_table; from schemas.arrow import MANIFEST; "
            "raw = RawFile('/x', 'x', 1, 'ab'); b = BatchContext('b', datetime.now(UTC), version='v'); "
            "rows_to_table([manifest_row(raw, b, 'ingested', 1)], MANIFEST); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
