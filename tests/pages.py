"""The sample pages through the real pipeline, for the page-structure tests."""

from __future__ import annotations

from datetime import UTC
from functools import cache

from cleaners.pipeline import STAGES, clean_text
from tests.conftest import SAMPLES, seed_text


def byte_repair_stages() -> tuple:
    """The stages up to and including remove_pinyin: what runs before the page-structure stages."""
    names = [stage.__name__ for stage in STAGES]
    return STAGES[: names.index("remove_pinyin") + 1]


@cache
def page_text(prefix: str) -> str:
    """A sample page's text as the page-structure stages receive it: mojibake repaired, pinyin removed.

    The repairs keep every line where it was, so line numbers of ARTIFACTS still apply.
    """
    page, _ = clean_text(seed_text(prefix), "text", stages=byte_repair_stages())
    return page.text


def cleaned_page(prefix: str, stages=STAGES):
    """The raw sample page through the stages; returns ``(page, reports)``."""
    return clean_text(seed_text(prefix), "text", stages=stages)


def cleaned_sample(prefix: str):
    """The :class:`CleanedPage` of a sample, through ``clean_bytes``."""
    from cleaners.pipeline import clean_bytes

    (path,) = SAMPLES.glob(f"{prefix}_*")
    return clean_bytes(path.read_bytes())


def sample_rows(prefix: str) -> list[dict]:
    """The ``documents`` rows of a sample page."""
    import hashlib
    from datetime import datetime

    from ingest.records import BatchContext, RawFile, document_rows

    (path,) = SAMPLES.glob(f"{prefix}_*")
    data = path.read_bytes()
    raw = RawFile(str(path), path.name, len(data), hashlib.sha256(data).hexdigest())
    batch = BatchContext("test", datetime(2025, 1, 1, tzinfo=UTC), version="test")
    return document_rows(cleaned_sample(prefix), raw, batch)


def character_stages() -> tuple:
    """The stages from normalize_punctuation on: what turns clean prose into output characters."""
    names = [stage.__name__ for stage in STAGES]
    return STAGES[names.index("normalize_punctuation"):]


def finished(paragraph: str) -> str:
    """A paragraph of clean prose as the pipeline writes it: full-width punctuation in Chinese, Simplified."""
    page, _ = clean_text(paragraph, "text", stages=character_stages())
    return page.text
