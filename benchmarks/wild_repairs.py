"""The mojibake of the wild, repaired: one table over the real clean documents (run by hand).

Every kind of damage is made from the 229 clean documents of the Debian FAQ
excerpt (``tests/data/prose``), in Simplified and in Traditional (OpenCC
``s2t``), by its own mechanism and its codec variants (``tests/wild_damage.py``),
then repaired by the wild-repair stages in pipeline order, and compared with
the original (punctuation width aside, ``tests/roundtrip.py``):

* ``differ %``: characters of the original not given back exactly;
* ``wrong %``: of those, the ones not marked U+FFFD (silent errors);
* ``marked %``: U+FFFD written where a character was lost;
* ``counted``: ``mojibake_chars_lost`` the stages reported, against the marks.

    .venv/bin/python -m benchmarks.wild_repairs [--kind utf8_as_gbk]
"""

from __future__ import annotations

import argparse
import time

from tests.roundtrip import WILD_CASES, wild_round_trip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", help="only the cases whose name contains this")
    parser.add_argument("--show", type=int, default=0, help="print this many differing pieces per case")
    args = parser.parse_args()
    print(f"{'kind':16} {'variant':22} {'script':6} {'docs':>5} {'chars':>8} {'differ %':>9} {'wrong %':>8} "
          f"{'marked %':>9} {'counted':>8} {'s':>5}")
    for case in WILD_CASES:
        if args.kind and args.kind not in case.name:
            continue
        start = time.perf_counter()
        tally, diffs = wild_round_trip(case)
        seconds = time.perf_counter() - start
        print(f"{case.kind:16} {case.variant:22} {case.script:6} {tally.damaged_docs:5} {tally.chars:8} "
              f"{100 * tally.share:9.3f} {100 * tally.wrong / max(1, tally.chars):8.3f} "
              f"{100 * tally.marked / max(1, tally.chars):9.3f} {tally.counted:8} {seconds:5.1f}", flush=True)
        for original, repaired in diffs[: args.show]:
            print(f"    {original!r} → {repaired!r}")


if __name__ == "__main__":
    main()
