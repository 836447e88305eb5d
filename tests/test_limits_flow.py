"""The limits through the command line and the flow: options parsed, passed as flow parameters, enforced."""

import argparse

import pyarrow.dataset as ds
import pytest

import ingest.chunk
from cleaners.model import CleanConfig
from flows.cli import build_parser, byte_size, limit_parameters
from flows.runners import chunk_runner
from tests import hostile


def test_sizes_and_budgets_parse_and_only_changed_limits_become_parameters():
    assert byte_size("64MiB") == CleanConfig.max_bytes and byte_size("200MB") == 200_000_000
    assert byte_size("1048576") == 1 << 20 and byte_size("1.5 KiB") == 1536
    for bad in ("lots", "0", "-5MB", "12 parsecs"):
        with pytest.raises(argparse.ArgumentTypeError):
            byte_size(bad)
    args = build_parser().parse_args(["nightly", "--max-file-size", "1GiB", "--file-time-budget", "0"])
    assert limit_parameters(args) == {"max_file_size": 1 << 30, "file_time_budget": 0.0}
    assert limit_parameters(build_parser().parse_args(["ingest", "raw"])) == {}
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ingest", "raw", "--file-time-budget", "-1"])


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_enforces_the_limits_it_is_given(tmp_path, monkeypatch):
    from flows.ingest import ingest as ingest_flow

    raw, out = tmp_path / "raw", tmp_path / "out"
    page = hostile.speech().encode()
    hostile.write(raw, "big.txt", page * 3)
    hostile.write(raw, "line.txt", "".join(hostile.speech().split()).encode() * 2)
    hostile.write(raw, "slow.txt", page + b"\nslow")
    hostile.write(raw, "fine.txt", page)
    real = ingest.chunk.clean_bytes

    def stalls(data, config, hint=None):
        while data.endswith(b"slow"):
            pass
        return real(data, config, hint=hint)

    monkeypatch.setattr(ingest.chunk, "clean_bytes", stalls)  # one worker: the chunk runs in this process
    ingest_flow.with_options(task_runner=chunk_runner(workers=1))(
        raw_dir=raw, out_dir=out, batch_id="limits", max_file_size=2 * len(page) + 100,
        max_line_size=len(page), file_time_budget=1.0)
    quarantine = {q["source_path"]: q for q in ds.dataset(out / "quarantine", partitioning="hive").to_table().to_pylist()}
    assert {path: q["reason"] for path, q in quarantine.items()} == {
        "big.txt": "too_large", "line.txt": "too_large", "slow.txt": "too_complex"}
    assert f"--max-file-size {len(page) * 3 + 1}" in quarantine["big.txt"]["detail"]
    assert "--max-line-size" in quarantine["line.txt"]["detail"]
    documents = ds.dataset(out / "documents", partitioning="hive").to_table().to_pylist()
    assert {d["source_path"] for d in documents} == {"fine.txt"}
