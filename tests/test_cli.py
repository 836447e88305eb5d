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
