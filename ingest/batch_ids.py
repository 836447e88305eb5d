"""Batch ids: what names a batch's partitions (``batch_id=ID``), unique unless the user chooses one.

A default id is readable and cannot collide: what the batch is (the raw
directory's name, or ``nightly``), when it started (Asia/Shanghai, to the
second) and a short suffix that differs between any two runs (the flow run's
id when Prefect runs it, else random), e.g. ``samples-20261121-101500-3f9c2a``.
A directory named in Chinese keeps a readable name, transliterated
(``新闻稿`` → ``xin-wen-gao``) by python-slugify, which Prefect already depends on.
Replacing a committed batch is never a default: it takes an explicit
``--replace`` (``ingest.run.BatchExists``).
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import datetime
from pathlib import Path

from cleaners.chinese import SHANGHAI

BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
NAME_CHARS = 40
SUFFIX_CHARS = 6


def unique_suffix(seed: str | None = None) -> str:
    """``SUFFIX_CHARS`` hex digits: of ``seed`` (e.g. a flow run's UUID) when given, else random."""
    if seed:
        digits = re.sub(r"[^0-9a-f]", "", seed.lower())
        if len(digits) >= SUFFIX_CHARS:
            return digits[:SUFFIX_CHARS]
    return secrets.token_hex(SUFFIX_CHARS // 2)


def readable_name(raw_dir: str | os.PathLike) -> str:
    """The directory's name as ASCII letters, digits and ``-`` (Chinese transliterated); ``batch`` if none is left.

    >>> readable_name("/data/新闻稿"), readable_name("raw/samples"), readable_name("/tmp/2026")
    ('xin-wen-gao', 'samples', 'batch-2026')
    """
    from slugify import slugify

    name = slugify(Path(raw_dir).resolve().name, max_length=NAME_CHARS) or "batch"
    return name if re.search(r"[A-Za-z]", name) else f"batch-{name}"


def stamp(now: datetime | None) -> str:
    now = now or datetime.now(SHANGHAI)
    if now.tzinfo is None:
        now = now.replace(tzinfo=SHANGHAI)
    return f"{now.astimezone(SHANGHAI):%Y%m%d-%H%M%S}"


def default_batch_id(raw_dir: str | os.PathLike, now: datetime | None = None, suffix: str | None = None) -> str:
    """``<directory name>-<YYYYMMDD-HHMMSS in Asia/Shanghai>-<suffix>``.

    >>> from datetime import timezone
    >>> default_batch_id("raw/samples", datetime(2026, 11, 21, 3, tzinfo=timezone.utc), suffix="3f9c2a")
    'samples-20261121-110000-3f9c2a'
    """
    return f"{readable_name(raw_dir)}-{stamp(now)}-{suffix or unique_suffix()}"


def nightly_batch_id(moment: datetime, suffix: str | None = None) -> str:
    """``nightly-YYYYMMDD-HHMMSS-<suffix>`` in Asia/Shanghai time, e.g. for the run scheduled at 02:00.

    >>> from datetime import timezone
    >>> nightly_batch_id(datetime(2026, 11, 20, 18, 0, tzinfo=timezone.utc), suffix="3f9c2a")
    'nightly-20261121-020000-3f9c2a'
    """
    return f"nightly-{stamp(moment)}-{suffix or unique_suffix()}"


def check_batch_id(batch_id: str) -> str:
    """Batch ids name directories (``batch_id=ID``): ASCII letters, digits, ``._-``, with a letter.

    An id of digits only would be typed as a number by Hive partition inference.
    """
    if not BATCH_ID.match(batch_id) or not re.search(r"[A-Za-z]", batch_id):
        raise ValueError(
            f"batch id {batch_id!r} must be 1-128 ASCII letters, digits, '.', '_' or '-', "
            "start with a letter or digit, and hold at least one letter"
        )
    return batch_id
