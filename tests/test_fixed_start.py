"""The fixed start of ``corpus ingest``: what the flow's process imports before it cleans a page.

The cleaners and the container readers (~0.3 s of imports) are imported where a file is first cleaned, so a
run against a running server or with an empty batch does not pay for them before its flow starts; and they
are imported before the first file's time budget starts, which would otherwise count them.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES

LATE = ("cleaners.pipeline", "ingest.readers", "datasketch", "scipy")


def loaded_after(script: str) -> list[str]:
    """The modules of ``LATE`` loaded after running ``script`` in a fresh interpreter."""
    probe = f"{script}\nimport sys\nprint(sorted(m for m in {LATE!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return eval(done.stdout.strip().splitlines()[-1])


def test_the_flow_imports_no_cleaner_and_no_reader_until_a_file_is_cleaned():
    assert loaded_after("import flows.ingest, flows.cli, ingest.run") == []


def test_the_cleaners_are_imported_before_the_first_files_time_budget_starts():
    sample = sorted(SAMPLES.iterdir())[0]
    script = f"""
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
import ingest.chunk as chunk
from ingest.listing import describe_file
from ingest.records import BatchContext
seen = []
budget = chunk.time_budget
@contextmanager
def watched(seconds):
    seen.append('cleaners.pipeline' in sys.modules and 'ingest.readers' in sys.modules)
    with budget(seconds):
        yield
chunk.time_budget = watched
raw = describe_file({str(sample)!r}, {sample.name!r})
data = open(raw.path, 'rb').read()
outcome = chunk.process_file(raw, data, BatchContext(batch_id='b', ingested_at=datetime.now(UTC)))
assert outcome.documents and seen == [True], (seen, outcome.quarantine)
"""
    assert "cleaners.pipeline" in loaded_after(script)


def test_an_empty_partition_is_the_same_file_without_importing_pandas(tmp_path):
    """The oracle: pyarrow's ``Schema.empty_table`` (which imports pandas) written the same way."""
    import pyarrow.parquet as pq

    from ingest.commit import empty_table
    from schemas.arrow import DATASETS

    for name, schema in DATASETS.items():
        pq.write_table(empty_table(schema), tmp_path / f"{name}.parquet", compression="zstd")
        pq.write_table(schema.empty_table(), tmp_path / f"{name}-oracle.parquet", compression="zstd")
        assert (tmp_path / f"{name}.parquet").read_bytes() == (tmp_path / f"{name}-oracle.parquet").read_bytes()
        assert empty_table(schema).schema.equals(schema, check_metadata=True)
    script = ("import sys\nfrom ingest.commit import empty_table\nfrom schemas.arrow import DATASETS\n"
              "[empty_table(schema) for schema in DATASETS.values()]\nprint('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_outputs_are_read_as_pyarrow_reads_them_without_its_dataset_layer(tmp_path):
    """The oracle: ``pq.read_table``; reading what earlier batches hold imports no pyarrow dataset (nor pandas)."""
    from datetime import UTC, datetime

    import pyarrow.parquet as pq

    from ingest.records import BatchContext
    from ingest.store import read_table
    from tests.test_batch import run_batch_without_prefect

    out = tmp_path / "out"
    run_batch_without_prefect(SAMPLES, out, BatchContext(batch_id="samples", ingested_at=datetime.now(UTC)))
    parts = sorted(out.glob("*/batch_id=samples/*.parquet"))
    assert len(parts) >= 3
    for part in parts:
        assert read_table(part).equals(pq.read_table(part), check_metadata=True)
        columns = pq.read_schema(part).names[1:3]
        assert read_table(part, columns).equals(pq.read_table(part, columns=columns), check_metadata=True)
    # What every run reads of the earlier batches (the outcome table of a batch with rows computes with
    # pyarrow.compute, whose conversion of Python values imports pandas: not part of the fixed start)
    script = (f"import sys\nfrom ingest.ledger import held_hashes\nfrom ingest.batch import recorded_entries\n"
              f"out = {str(out)!r}\nassert held_hashes(out)\nrecorded_entries(out)\n"
              "print(sorted(m for m in ('pyarrow._dataset', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_the_modules_prefect_imports_on_a_first_flow_run_exist_in_this_prefect():
    """``corpus ingest`` imports them while its server starts; a Prefect that moved one would import it late."""
    script = ("import sys\nfrom flows.cli import FIRST_RUN_MODULES, prepare_first_run\nprepare_first_run()\n"
              "print([m for m in FIRST_RUN_MODULES if m not in sys.modules])")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_launches_its_server_before_importing_pyarrow_prefect_or_the_cleaners(tmp_path):
    """What ``corpus ingest`` imports before the run's server is launched delays the whole run."""
    script = f"""
import sys
import flows.server
modules = []
class Launched(Exception):
    pass
def launch():
    modules.extend(m for m in ("pyarrow", "prefect", "cleaners.pipeline", "numpy") if m in sys.modules)
    raise Launched()
flows.server.early_run_server = launch
from flows.cli import main
try:
    main(["ingest", {str(tmp_path)!r}, "--out", {str(tmp_path / "out")!r}, "-q"])
except Launched:
    print(modules)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PREFECT_HOME": str(tmp_path / "home")})
    assert done.stdout.strip() == "[]", done.stderr[-2000:]
