"""The ``extract_html`` stage alone, per byte: today's against the one of the commit issue 11 was filed on.

Issue 11 asks for at least 5x the ``extract_html`` of its filing (commit
``480eac5``, the last before its work: BeautifulSoup over ``html.parser``) per
byte. Both run here in one process on the same decoded pages of the real-page
development set (``tests/data/realpages``): the old module is loaded from git
(``git show 480eac5:cleaners/structure/html.py``; it needs ``bs4``, which the
dev lock holds) and timed as that commit's stage ran it (``extract_page`` on
the page's text); today's is the pipeline's stage itself (feed check, title
and author names, site hints included). Best of ``--repeat`` runs per page.

``python -m benchmarks.extract_speed [--repeat 3] [--commit 480eac5]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from pathlib import Path

from benchmarks.extraction import dev_pages

BASELINE_COMMIT = "480eac5"
ROOT = Path(__file__).resolve().parent.parent


def old_extractor(commit: str):
    """The ``extract_page`` of ``commit``'s ``cleaners/structure/html.py``, as a module of its own."""
    source = subprocess.run(["git", "show", f"{commit}:cleaners/structure/html.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("old_html")
    sys.modules["old_html"] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:cleaners/structure/html.py", "exec"), module.__dict__)  # noqa: S102
    return module.extract_page


def decoded_pages() -> list[tuple[str, str]]:
    from cleaners.decode.encoding import decode_bytes

    return [(name, decode_bytes(raw).text) for name, raw, _ in dev_pages()]


def best_time(run, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commit", default=BASELINE_COMMIT)
    args = parser.parse_args()

    from cleaners.model import CleanConfig, Page
    from cleaners.pipeline import extract_html

    config = CleanConfig()
    old = old_extractor(args.commit)

    def today(text: str) -> None:
        extract_html(Page.from_text(text, "html"), config)

    pages = decoded_pages()
    total_bytes = total_old = total_new = 0.0
    print(f"{'page':22} {'kB':>6} {'old ms':>8} {'now ms':>8} {'ratio':>6}")
    for name, text in pages:
        size = len(text.encode("utf-8"))
        t_old, t_new = best_time(old, text, args.repeat), best_time(today, text, args.repeat)
        total_bytes, total_old, total_new = total_bytes + size, total_old + t_old, total_new + t_new
        print(f"{name:22} {size / 1024:6.0f} {t_old * 1000:8.1f} {t_new * 1000:8.1f} {t_old / t_new:6.1f}")
    mb = total_bytes / 1e6
    print(f"{len(pages)} pages, {mb:.1f} MB: old {mb / total_old:.2f} MB/s, now {mb / total_new:.2f} MB/s, "
          f"{total_old / total_new:.1f}x")


if __name__ == "__main__":
    main()
