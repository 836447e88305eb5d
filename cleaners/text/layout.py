"""Whitespace and line layout: the first and the last text stages."""

from __future__ import annotations

import re

from cleaners.model import CleanConfig, TextChange, frozen_counts

LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# White space at the edges of a line: ASCII, NBSP, ideographic space, BOM, zero-width.
EDGE_SPACE = " \t\u00a0\u3000\ufeff\u200b"


def normalize_line_endings(text: str, config: CleanConfig) -> TextChange:
    """CRLF, CR and Unicode line separators become ``\\n``; stray BOMs go.

    >>> normalize_line_endings("甲\\r\\n乙\\r丙", CleanConfig()).text
    '甲\\n乙\\n丙'
    """
    fixed, breaks = line_breaks_to_newlines(text)
    boms = fixed.count("\ufeff")
    fixed = fixed.replace("\ufeff", "")
    return TextChange(fixed, frozen_counts({"line_endings_normalized": breaks, "bom_removed": boms}))


OTHER_BREAKS = ("\u2028", "\u2029", "\x85", "\x0b", "\x0c")


def line_breaks_to_newlines(text: str) -> tuple[str, int]:
    """``LINE_BREAKS.subn("\\n", text)`` (its reference form, kept in the tests), by C string scans when the
    text holds no break but CR and LF: most pages hold none, or only CRLF (a regex scan costs ~20x more).

    >>> line_breaks_to_newlines("甲\\r\\n乙\\r\\r\\n丙\\r"), line_breaks_to_newlines("甲\\u2028乙")
    (('甲\\n乙\\n\\n丙\\n', 4), ('甲\\n乙', 1))
    """
    if any(mark in text for mark in OTHER_BREAKS):
        return LINE_BREAKS.subn("\n", text)
    breaks = text.count("\r")  # every match of ``\r\n?`` holds one CR
    if not breaks:
        return text, 0
    return text.replace("\r\n", "\n").replace("\r", "\n"), breaks


def tidy_paragraphs(text: str, config: CleanConfig) -> TextChange:
    """Strip each line, drop blank ones: paragraphs separated by one ``\\n``.

    >>> tidy_paragraphs("  同志们：\\n\\n\\n  今天…\\n", CleanConfig()).text
    '同志们：\\n今天…'
    """
    lines = text.split("\n")
    kept = [line.strip(EDGE_SPACE) for line in lines]
    kept = [line for line in kept if line]
    stripped = sum(1 for line in lines if line.strip(EDGE_SPACE) and line != line.strip(EDGE_SPACE))
    return TextChange(
        "\n".join(kept),
        frozen_counts({"blank_lines_removed": len(lines) - len(kept), "lines_stripped": stripped}),
    )


def count_text_chars(text: str) -> int:
    """Characters that are not white space (the contract's ``char_count``).

    ``str.split()`` cuts at exactly the characters ``str.isspace`` accepts, in C.

    >>> count_text_chars("同志们：\\n  今天\\u3000我们 here")
    12
    """
    return sum(map(len, text.split()))
