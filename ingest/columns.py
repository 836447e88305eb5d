"""Rows to an Arrow table, column by column, from buffers: what ``pa.Table.from_pylist`` builds, without pandas.

``pa.array`` (and so ``pa.Table.from_pylist``) asks pyarrow's pandas shim, on its first call in a process,
whether its input is a pandas object, and the shim imports pandas to answer: ~0.25 s of CPU and ~50 MB in
every chunk worker, more than writing a worker's first two megabytes of rows costs. The arrays here are
assembled from numpy buffers (``pa.Array.from_buffers``), which never asks. They hold the same values as
``from_pylist``'s for the types the datasets use (strings, int32/int64, float32, bool, timestamps, lists and
structs of these); any other type goes through ``pa.array``. ``tests/test_columns.py`` compares the two on
generated rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH = datetime(1970, 1, 1)
UNITS = {"s": timedelta(seconds=1), "ms": timedelta(milliseconds=1), "us": timedelta(microseconds=1)}
NUMBERS = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64,
           pa.uint8(): np.uint8, pa.uint16(): np.uint16, pa.uint32(): np.uint32, pa.uint64(): np.uint64,
           pa.float32(): np.float32, pa.float64(): np.float64}
OFFSETS_MAX = 2**31 - 1  # a string or list array's int32 offsets


def rows_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist(rows, schema=schema)``: a key a row lacks is null, keys the schema lacks are ignored."""
    arrays = [column_array([row.get(field.name) for row in rows], field.type) for field in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def column_array(values: list, kind: pa.DataType) -> pa.Array:
    """``pa.array(values, type=kind)`` (None is null), from buffers for the types the datasets use."""
    validity, nulls = validity_bitmap(values)
    if pa.types.is_struct(kind):  # under a null struct, its children hold zeros, as pa.array builds them
        children = [column_array([zero_like(field.type) if value is None else value.get(field.name)
                                  for value in values], field.type) for field in kind]
        return pa.StructArray.from_buffers(kind, len(values), [validity], nulls, children=children)
    given = values  # with its Nones: what pyarrow's own conversion is handed where these buffers do not serve
    if nulls:
        values = [zero_like(kind) if value is None else value for value in values]
    if pa.types.is_string(kind):
        return string_array(values, validity, nulls) if utf8_size(values) <= OFFSETS_MAX else pa.array(given, kind)
    if kind in NUMBERS:
        with np.errstate(over="ignore"):  # a double past float32's range is stored as an infinity, as by pa.array
            data = np.array(values, dtype=NUMBERS[kind])
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)], nulls)
    if pa.types.is_boolean(kind):
        bits = np.packbits(np.array(values, dtype=bool), bitorder="little")
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(bits)], nulls)
    if pa.types.is_timestamp(kind) and kind.unit in UNITS and all(type(v) is datetime for v in values):
        data = np.array([since_epoch(value, UNITS[kind.unit]) for value in values], dtype=np.int64)
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)], nulls)
    if pa.types.is_list(kind):
        if sum(map(len, values)) > OFFSETS_MAX:
            return pa.array(given, kind)
        return list_array(values, kind, validity, nulls)
    return pa.array(given, type=kind)


def validity_bitmap(values: list) -> tuple[pa.Buffer | None, int]:
    """Arrow's validity bitmap of ``values`` (None when none is null) and the number of nulls."""
    nulls = values.count(None)
    if not nulls:
        return None, 0
    valid = np.fromiter((value is not None for value in values), dtype=bool, count=len(values))
    return pa.py_buffer(np.packbits(valid, bitorder="little")), nulls


def zero_like(kind: pa.DataType):
    """What stands in a null slot's place in the buffers (never read: the validity bit says null)."""
    if pa.types.is_string(kind):
        return ""
    if pa.types.is_boolean(kind):
        return False
    if pa.types.is_timestamp(kind):
        return EPOCH if kind.tz else NAIVE_EPOCH
    if pa.types.is_list(kind):
        return []
    if pa.types.is_struct(kind):
        return {}
    if kind in NUMBERS:
        return 0
    return None


def utf8_size(values: list[str]) -> int:
    """An upper bound of the UTF-8 bytes of ``values`` (4 a character): over int32 offsets, pyarrow chunks them."""
    return 4 * sum(map(len, values))


def string_array(values: list[str], validity: pa.Buffer | None, nulls: int) -> pa.Array:
    encoded = [value.encode() for value in values]
    data = b"".join(encoded)
    offsets = lengths_to_offsets(map(len, encoded), len(encoded))
    return pa.Array.from_buffers(pa.string(), len(values), [validity, pa.py_buffer(offsets), pa.py_buffer(data)],
                                 nulls)


def list_array(values: list[list], kind: pa.ListType, validity: pa.Buffer | None, nulls: int) -> pa.Array:
    flat = [item for value in values for item in value]
    offsets = lengths_to_offsets(map(len, values), len(values))
    child = column_array(flat, kind.value_type)
    return pa.ListArray.from_buffers(kind, len(values), [validity, pa.py_buffer(offsets)], nulls, children=[child])


def lengths_to_offsets(lengths, count: int) -> np.ndarray:
    """Arrow's int32 offsets (a leading 0, then the running total) of ``count`` lengths."""
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.fromiter(lengths, dtype=np.int64, count=count), out=offsets[1:])
    return offsets.astype(np.int32)


def since_epoch(moment: datetime, unit: timedelta) -> int:
    """A datetime as Arrow stores it: an aware one as its UTC instant, a naive one as written, in ``unit``s."""
    return (moment - (NAIVE_EPOCH if moment.tzinfo is None else EPOCH)) // unit

