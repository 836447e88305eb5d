import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "raw" / "samples"
CONTRACT = ROOT / "docs" / "CONTRACT.md"


def seed_text(prefix: str) -> str:
    """The text of the sample page whose name starts with ``prefix`` (000 … 004)."""
    (path,) = SAMPLES.glob(f"{prefix}_*")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session, started only by the tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
