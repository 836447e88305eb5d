"""Prefect flows and the ``corpus`` command: orchestration only, no cleaning logic."""

import os

# Before Prefect is imported anywhere through this package.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
