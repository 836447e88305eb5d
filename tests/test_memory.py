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
