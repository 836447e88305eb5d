"""Build ``cleaners/data/variants.txt``: the forms OpenCC's Taiwan and Hong Kong tables add to ``s2t``.

The character model (``cleaners.repair.charlm.simplified_form``) treats a Traditional
character as a usual form of its Simplified one when OpenCC writes the
Simplified character that way in ``s2t``, ``s2tw`` or ``s2hk``; any other
character that ``t2s`` maps there is a rare variant. The pipeline loads ``t2s``
and ``s2t`` anyway, but ``s2tw`` costs about 18 MB per process for what fits in
about a hundred lines: for each character, the one-character forms that
``s2tw`` or ``s2hk`` give it and that are neither the character nor its
``s2t`` form. One character a line, in code-point order::

    为<TAB>為

Every code point up to U+3FFFF is tried (OpenCC's tables hold nothing beyond).
Run by hand after upgrading OpenCC (a test compares the shipped file with what
this script makes)::

    /work/main/.venv/bin/python scripts/build_variants.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cleaners" / "data" / "variants.txt"
LAST_CODE_POINT = 0x3FFFF
SURROGATES = range(0xD800, 0xE000)


def regional_forms() -> dict[str, str]:
    """Character → the forms ``s2tw``/``s2hk`` give it beyond itself and its ``s2t`` form (sorted, joined)."""
    import opencc

    s2t, s2tw, s2hk = (opencc.OpenCC(config) for config in ("s2t.json", "s2tw.json", "s2hk.json"))
    forms = {}
    for code in range(LAST_CODE_POINT + 1):
        if code in SURROGATES:
            continue
        char = chr(code)
        usual = s2t.convert(char)
        extra = {form for form in (s2tw.convert(char), s2hk.convert(char))
                 if form not in (char, usual) and len(form) == 1}
        if extra:
            forms[char] = "".join(sorted(extra))
    return forms


def build() -> str:
    from importlib.metadata import version

    lines = [f"# One-character forms OpenCC {version('opencc')} s2tw/s2hk give a character beyond itself and its",
             "# s2t form. Built by scripts/build_variants.py; do not edit."]
    lines += [f"{char}\t{forms}" for char, forms in sorted(regional_forms().items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT}")
