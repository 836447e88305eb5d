"""The GBK code table as the mojibake repair needs it: pairs of bytes and what they decode to.

A GBK character is two bytes, a lead (81–FE) and a trail (40–7E, 80–FE). Pairs
that GBK leaves undefined but the user-defined area (UDA) of cp936/GB18030-2000
covers decode, in some decoders, to private-use characters (PUA): page 003 keeps
FE84 as U+E848, page 002's decoder dropped such pairs (ARTIFACTS §2.2).

>>> char_of(0xB5, 0xC4), pair_of("的")
('的', (181, 196))
>>> pair_of("\\ue848") == (0xFE, 0x84), is_user_defined(0xFE, 0x84)
(True, True)
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

LEADS = range(0x81, 0xFF)
TRAILS = tuple(b for b in range(0x40, 0xFF) if b != 0x7F)

# Half-width forms that the sites made of full-width GBK punctuation (A3xx) after decoding.
HALF_TO_FULL = {",": "，", "!": "！", "?": "？", ";": "；", ":": "：", "(": "（", ")": "）"}


@lru_cache(maxsize=1)
def tables() -> tuple[dict[tuple[int, int], str], dict[str, tuple[int, int]], dict[tuple[int, int], str]]:
    """(pair → GBK character, character → pair, user-defined pair → PUA character)."""
    chars: dict[tuple[int, int], str] = {}
    user: dict[tuple[int, int], str] = {}
    for lead in LEADS:
        for trail in TRAILS:
            pair = bytes((lead, trail))
            try:
                chars[(lead, trail)] = pair.decode("gbk")
            except UnicodeDecodeError:
                pua = user_defined_char(pair)
                if pua is not None:
                    user[(lead, trail)] = pua
    pairs = {c: p for p, c in chars.items()}
    pairs.update({c: p for p, c in user.items()})
    return chars, pairs, user


def user_defined_char(pair: bytes) -> str | None:
    """The private-use character of a pair outside GBK, as GB18030-2000/cp936 map it; None if none."""
    try:
        char = pair.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if 0xE000 <= ord(char) <= 0xF8FF:
        return char
    if pair[0] == 0xFE and 0x50 <= pair[1] <= 0xA0:
        # GB18030-2005 moved these to real code points; cp936 and GB18030-2000 had U+E815…U+E864.
        return chr(0xE815 + pair[1] - 0x50 - (1 if pair[1] > 0x7F else 0))
    return None


def char_of(lead: int, trail: int) -> str | None:
    """The GBK character of a pair, or None (undefined or user-defined)."""
    return (_FLAT or flat_table())[lead << 8 | trail]


_FLAT: list[str | None] = []


def flat_table() -> list[str | None]:
    """The characters of :func:`tables` in a list indexed by ``lead << 8 | trail`` (the search's hot path)."""
    if not _FLAT:
        table: list[str | None] = [None] * 0x10000
        for (lead, trail), char in tables()[0].items():
            table[lead << 8 | trail] = char
        _FLAT.extend(table)
    return _FLAT


def pair_of(char: str) -> tuple[int, int] | None:
    """The two bytes of a GBK (or PUA user-defined) character; None for anything else."""
    return tables()[1].get(HALF_TO_FULL.get(char, char))


def is_user_defined(lead: int, trail: int) -> bool:
    return (lead, trail) in tables()[2]


@lru_cache(maxsize=256)
def trails_after(lead: int) -> tuple[int, ...]:
    """Trail bytes that make a GBK character with ``lead``."""
    chars = tables()[0]
    return tuple(t for t in TRAILS if (lead, t) in chars)


@lru_cache(maxsize=256)
def chars_after(lead: int) -> tuple[str, ...]:
    """The GBK characters with lead byte ``lead``, in the order of their trail bytes."""
    # trails_after keeps only the pairs GBK defines, so char_of never answers None here.
    return tuple(cast(str, char_of(lead, t)) for t in trails_after(lead))


@lru_cache(maxsize=256)
def leads_before(trail: int) -> tuple[int, ...]:
    """Lead bytes that make a GBK character with ``trail``."""
    chars = tables()[0]
    return tuple(lead for lead in LEADS if (lead, trail) in chars)


@lru_cache(maxsize=1)
def user_defined_pairs() -> dict[int, tuple[int, ...]]:
    """Lead byte → trail bytes of the user-defined pairs (the ones a decoder may drop)."""
    out: dict[int, list[int]] = {}
    for lead, trail in sorted(tables()[2]):
        out.setdefault(lead, []).append(trail)
    return {k: tuple(v) for k, v in out.items()}
