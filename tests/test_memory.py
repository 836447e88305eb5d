"""What the cleaners keep resident in a worker: tables loaded once, and nothing a library freed.

Each check runs in a fresh interpreter, where the tables are not loaded yet.
"""

import subprocess
import sys

import pytest

from cleaners.heap import release_free_heap
from tests.conftest import ROOT

ENGLISH = ROOT / "tests" / "data" / "prose" / "debian-faq-zh-cn.copyright"


def run_fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(not release_free_heap(), reason="the C library cannot give its free pages back (not glibc)")
def test_lingua_models_leave_no_freed_parse_memory_resident():
    """A short English text (below lingua's ~120 letters, where it reads every n-gram length) makes lingua load
    all its models of the seven Latin-script languages (~175 MB); what it freed while parsing them (~40 MB) is
    given back, so the resident set ends well below its peak."""
    out = run_fresh(
        "from pathlib import Path; from benchmarks.memory import rss_mb; "
        "from cleaners.text.language import detect_language; "
        f"text = Path({str(ENGLISH)!r}).read_text(encoding='utf-8').split(chr(10) * 2)[0]; before = rss_mb(); "
        "guess = detect_language(text); "
        "print(guess.code, rss_mb() - before, rss_mb('VmHWM') - rss_mb())")
    code, loaded, below_peak = out.split()
    assert code == "en"
    assert float(loaded) > 50  # the models were loaded: the text reached lingua
    assert float(below_peak) > 20  # and the parse's freed memory was given back


def file_bigrams() -> dict[str, int]:
    """The background's bigrams as ``data/char_lm.txt`` writes them: one two-character key per line."""
    text = (ROOT / "cleaners" / "data" / "char_lm.txt").read_text(encoding="utf-8")
    return {key: int(count) for kind, key, count in (line.split("\t") for line in text.splitlines()
                                                     if not line.startswith("#")) if kind == "B"}


def test_background_keeps_the_bigrams_once_by_first_character():
    from cleaners.repair.charlm import background

    bg = background()
    flat = {first + second: n for first, row in bg.followers.items() for second, n in row.items()}
    assert flat == file_bigrams()
    # one string object per character across the tables: a character's key is the unigram table's own
    unigram_keys = {char: char for char in bg.unigrams}
    shared = [second for row in bg.followers.values() for second in row if second in unigram_keys]
    assert shared and all(second is unigram_keys[second] for second in shared)


def test_background_bigram_reads_the_file_counts():
    from cleaners.repair.charlm import background

    bg = background()
    bigrams = file_bigrams()
    for pair in list(bigrams)[::997] + ["人民", "民人", "中国"]:
        prev, char = pair
        context = bg.context(prev)
        expected = bg.start(char) if context is None else (
            context[0] * bg.start(char) + ((1 - context[0]) * bigrams.get(pair, 0) / context[1] if context[1] > 0 else 0))
        assert bg.bigram(prev, char) == expected


def test_pyarrow_allocates_from_the_system_allocator_in_the_pipeline_processes():
    """mimalloc, pyarrow's default, kept ~25 MB a worker had freed after writing its parts."""
    assert run_fresh("import flows.ingest, pyarrow; print(pyarrow.default_memory_pool().backend_name)").strip() == "system"


def test_a_users_arrow_memory_pool_setting_wins(monkeypatch):
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    assert run_fresh("import ingest.store, pyarrow; print(pyarrow.default_memory_pool().backend_name)").strip() == "mimalloc"
