"""The Arrow schemas of the three datasets: the one source of truth for their columns."""

from schemas.arrow import (  # noqa: F401
    DOCUMENTS,
    MANIFEST,
    QUARANTINE,
    REPAIRS,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
)
