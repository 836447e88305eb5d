"""The command's own options: ``--version`` and ``python -m corpus``."""

import subprocess
import sys

import pytest

from flows.cli import main
from ingest.records import pipeline_version


def test_version_prints_the_packages_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"corpus {pipeline_version()}"


def test_python_dash_m_corpus_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "corpus", "ingest", "/nonexistent/raw"],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "/nonexistent/raw" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_bad_out_is_refused_before_prefect_starts(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    (tmp_path / "a-file").write_text("x")
    assert main(["ingest", str(tmp_path / "raw"), "--out", str(tmp_path / "a-file")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert main(["nightly", "--raw-root", str(tmp_path / "raw"), "--out", str(tmp_path / "a-file" / "below")]) == 2
    assert "no existing directory above it" in capsys.readouterr().err


def test_an_id_of_a_committed_batch_is_refused_without_replace_and_nothing_is_written(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    partition = tmp_path / "out" / "manifest" / "batch_id=crawl-42"
    partition.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["ingest", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--batch-id", "crawl-42"]) == 2
    err = capsys.readouterr().err
    assert "already committed" in err and "--replace" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_quiet_and_verbose_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ingest", ".", "-q", "-v"])
    assert stop.value.code == 2


def test_the_progress_bar_counts_files_and_bytes():
    from flows import progress

    bar = progress.RichBar(enabled=True)
    with progress.reporting(bar):
        progress.batch_planned(5, 1000)
        progress.chunk_done(3, 600)
        progress.chunk_done(2, 400)
    bar.close()
    files, size = bar.progress.tasks
    assert (files.completed, files.total, size.completed, size.total) == (5, 5, 1000, 1000)
    assert files.finished and size.finished
    progress.chunk_done(1, 1)  # no listener any more: nothing happens
    assert files.completed == 5


def test_off_a_terminal_the_bar_is_quiet():
    from flows import progress

    bar = progress.RichBar()  # pytest's stderr is not a terminal
    bar.planned(5, 1000)
    assert not bar.enabled and bar.files_task is None


@pytest.mark.usefixtures("prefect_harness")
def test_json_prints_one_machine_readable_summary(tmp_path, capsys, samples_dir):
    import json

    assert main(["ingest", str(samples_dir), "--out", str(tmp_path / "out"), "--batch-id", "json-1",
                 "--workers", "1", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] and summary["batch_id"] == "json-1"
    assert (summary["files"], summary["records"], summary["quarantined"]) == (5, 23, 0)
    assert summary["duplicate_records"] == 0  # 002's S5 and S3 carry the page's own marks
    assert (tmp_path / "out" / "reports" / "batch_id=json-1" / "report.html").exists()
