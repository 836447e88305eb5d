"""The Arrow schemas against docs/CONTRACT.md, read from the contract itself."""

import re

import pyarrow as pa
import pytest

from schemas.arrow import (
    DOCUMENTS,
    MANIFEST,
    PARTITION_KEY,
    QUALITY,
    QUARANTINE,
    REPAIRS,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
)
from tests.conftest import CONTRACT

CONTRACT_TYPES = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float32": pa.float32(),
    "bool": pa.bool_(),
    "list<string>": pa.list_(pa.string()),
    "list<int32>": pa.list_(pa.int32()),
    "timestamp(us, tz=Asia/Shanghai)": pa.timestamp("us", tz="Asia/Shanghai"),
    "timestamp(us, tz=UTC)": pa.timestamp("us", tz="UTC"),
    "struct": REPAIRS,
    "struct<float32>": QUALITY,
}


def contract_text() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def contract_document_columns() -> list[tuple[str, str, bool, str]]:
    """(name, type, nullable, meaning) of each row of the documents table."""
    section = contract_text().split("## `documents` columns")[1].split("\n## ")[0]
    columns = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("column", "---") or set(cells[0]) <= {"-"}:
            continue
        name, kind, meaning = cells
        nullable = kind.endswith(", null")
        columns.append((name, kind.removesuffix(", null"), nullable, meaning))
    return columns


def contract_listed_columns(dataset: str) -> list[str]:
    section = contract_text().split(f"## `{dataset}` columns")[1].split("\n## ")[0]
    return [re.match(r"`([a-z_0-9]+)`", item).group(1) for item in re.findall(r"`[a-z_0-9]+`(?: \([^)]*\))?", section.split("\n")[1])]


def test_documents_columns_are_the_contracts_in_order():
    contract = contract_document_columns()
    assert len(contract) == 32
    assert DOCUMENTS.names == [name for name, *_ in contract]


@pytest.mark.parametrize("name,kind,nullable,meaning", contract_document_columns())
def test_documents_column_type_and_nullability(name, kind, nullable, meaning):
    field = DOCUMENTS.field(name)
    assert field.nullable == nullable
    assert field.type == CONTRACT_TYPES[kind]


@pytest.mark.parametrize("schema", [DOCUMENTS, QUARANTINE, MANIFEST])
def test_the_partition_key_is_in_the_path_only(schema):
    assert PARTITION_KEY not in schema.names
    assert f"`{PARTITION_KEY}`** (string" in contract_text()
    assert SCHEMA_VERSION == "2" and f"## `documents` columns (schema version {SCHEMA_VERSION})" in contract_text()


def test_repairs_struct_holds_the_contracts_counters():
    meaning = dict((n, m) for n, _, _, m in contract_document_columns())["repairs"]
    names = re.findall(r"`([a-z_0-9]+)`", meaning)
    assert [f.name for f in REPAIRS] == names
    assert all(f.type == pa.int32() for f in REPAIRS)


def test_quality_struct_holds_the_contracts_signals_each_documented():
    meaning = dict((n, m) for n, _, _, m in contract_document_columns())["quality"]
    names = re.findall(r"`([a-z_0-9]+)`", meaning)
    assert [f.name for f in QUALITY] == names
    section = contract_text().split("### Quality signals")[1].split("\n## ")[0]
    assert all(f"`{name}`" in section for name in names)


@pytest.mark.parametrize("dataset,schema", [("quarantine", QUARANTINE), ("manifest", MANIFEST)])
def test_quarantine_and_manifest_columns(dataset, schema):
    assert schema.names == contract_listed_columns(dataset)


def test_reasons_and_outcomes_are_the_contracts():
    from cleaners.errors import QUARANTINE_REASONS
    from schemas.arrow import OUTCOMES

    text = contract_text()
    quarantine = text.split("## `quarantine` columns")[1]
    assert re.findall(r"`(\w+)`", quarantine.split("reason")[1].split(")")[0]) == list(QUARANTINE_REASONS)
    manifest = text.split("## `manifest` columns")[1]
    assert re.findall(r"`(\w+)`", manifest.split("outcome")[1].split(")")[0]) == list(OUTCOMES)


@pytest.mark.parametrize("schema", [DOCUMENTS, QUARANTINE, MANIFEST])
def test_schema_version_is_in_the_metadata(schema):
    assert schema.metadata[SCHEMA_VERSION_KEY] == SCHEMA_VERSION.encode()
