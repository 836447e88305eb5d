"""Functions a test hands to a chunk worker process: importable there, and importing nothing of Prefect.

Spawned workers inherit the environment: ``PROBE_DIR`` tells them where to leave what they saw, and
``DIE_AT_CHUNK`` which chunk's worker kills itself (SIGKILL, as the kernel's OOM killer does).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from ingest.chunk import ChunkResult, clean_staged_chunk

PROBE_DIR = "CORPUS_TEST_PROBE_DIR"
DIE_AT_CHUNK = "CORPUS_TEST_DIE_AT_CHUNK"


def prefect_modules() -> list[str]:
    return sorted(name for name in sys.modules if name == "prefect" or name.startswith("prefect."))


def clean_and_tell(chunk, batch, staging: str) -> ChunkResult:
    """``clean_staged_chunk``, after which the worker records its pid and the Prefect modules it holds;
    the chunk ``DIE_AT_CHUNK`` kills its worker instead."""
    if os.environ.get(DIE_AT_CHUNK) == str(chunk.index):
        os.kill(os.getpid(), signal.SIGKILL)
    result = clean_staged_chunk(chunk, batch, staging)
    seen = {"pid": os.getpid(), "prefect": prefect_modules(), "cleaners": "cleaners.pipeline" in sys.modules}
    Path(os.environ[PROBE_DIR], f"chunk-{chunk.index}.json").write_text(json.dumps(seen))
    return result


def exit_with(code: int) -> None:
    os._exit(code)


def pid() -> int:
    return os.getpid()


def fail(message: str) -> None:
    raise ValueError(message)


_ask = None


def keep_asker(ask) -> None:
    """A service's ``install``: the worker keeps the function that asks the parent."""
    global _ask
    _ask = ask


def ask_parent(*questions):
    """The parent's answers to ``questions``, asked one after another from the worker."""
    assert _ask is not None
    return [_ask(question) for question in questions]


def languages_here(*texts: str) -> tuple[list[tuple[str, float]], float]:
    """``detect_language`` of each text in this process, and how much this process's resident set grew (MB)."""
    import lingua  # noqa: F401  (its module, not its models: what unpickling the parent's values imports)

    from benchmarks.memory import rss_mb
    from cleaners.text.language import detect_language

    before = rss_mb()
    guesses = [(guess.code, guess.confidence) for guess in map(detect_language, texts)]
    return guesses, rss_mb() - before
