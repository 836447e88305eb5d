"""A forward simulator of the byte-level damage of pages 002 and 003 (ARTIFACTS §1.2, §2, §8).

Given clean text (full-width punctuation, no annotations) and a dictionary of
annotated characters, :func:`damage` does what the sites did, line by line:

1. encode to GBK (a character GBK cannot hold becomes ``?``);
2. append ``(reading)`` after every 2-byte occurrence of a dictionary
   character's GBK code, matched simultaneously on the original bytes, also
   across a character boundary (trigger T1);
3. at a cross-boundary pair ``A3 A1``/``A3 BF``/``A3 BB`` (a character whose
   trail byte is A3, then one starting with A1/BF/BB), sometimes put an invalid
   byte after the first character's lead byte (trigger T2: the decoder then
   turns that lead byte into ``?`` and runs one byte out of step);
4. while the decoder is out of step, sometimes put an invalid byte before a
   ``、`` or ``，`` (the extra byte that closes some spans, ARTIFACTS §2.4);
5. decode leniently: a lead byte followed by a byte that cannot be a trail
   gives ``?`` and both are consumed; a pair that is not a GBK character but is
   in the user-defined area becomes a private-use character
   (``keep_user_defined=True``, page 003) or vanishes (``False``, page 002); any
   other undefined pair gives ``?``;
6. turn ``，！？；：（）`` into ``,!?;:()``.

The benchmark generator uses it too, so it works on any text and dictionary.

>>> damage("打實服務", DamageConfig({"驅": "qū", "務": "wù"}, keep_user_defined=False))
'打?qū)嵎?wù)'
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from cleaners.repair.gbk import user_defined_char  # the codec fact the repair uses too

INVALID = 0xFF
T2_PAIRS = frozenset({0xA1, 0xBF, 0xBB})  # A3A1 ！, A3BF ？, A3BB ；
CLOSING_BEFORE = (bytes.fromhex("a1a2"), bytes.fromhex("a3ac"))  # 、 and ，
FULL_TO_HALF = str.maketrans("，！？；：（）", ",!?;:()")


@dataclass(frozen=True)
class DamageConfig:
    """How to damage: the annotated characters and readings, and the chances of each accident."""

    annotations: Mapping[str, str] = field(default_factory=dict)
    keep_user_defined: bool = True
    t2_rate: float = 0.45
    closing_rate: float = 0.5
    seed: int = 0


def damage(text: str, config: DamageConfig) -> str:
    """The damaged form of ``text``: every line goes through the whole mechanism."""
    rng = random.Random(config.seed)
    codes = {ch.encode("gbk"): f"({reading})".encode("gbk") for ch, reading in config.annotations.items()}
    return "\n".join(damage_line(line, codes, config, rng) for line in text.split("\n"))


def damage_line(line: str, codes: Mapping[bytes, bytes], config: DamageConfig, rng: random.Random) -> str:
    raw, starts = encode_line(line)
    inserts: dict[int, list[bytes]] = {}
    for i in range(len(raw) - 1):
        annotation = codes.get(raw[i : i + 2])
        if annotation is not None and raw[i] >= 0x81:
            inserts.setdefault(i + 2, []).append(annotation)
    for start in starts:
        if start >= 2 and raw[start - 1] == 0xA3 and raw[start] in T2_PAIRS and start - 2 in starts:
            if rng.random() < config.t2_rate:
                inserts.setdefault(start - 1, []).insert(0, bytes([INVALID]))
    stream, where = build(raw, inserts)
    stream = add_closing_bytes(stream, [where[s] for s in starts if raw[s : s + 2] in CLOSING_BEFORE],
                               config, rng)
    return lenient_decode(stream, config.keep_user_defined).translate(FULL_TO_HALF)


def encode_line(line: str) -> tuple[bytes, set[int]]:
    """GBK bytes of a line (unencodable characters as ``?``) and the offsets where characters start."""
    out = bytearray()
    starts = set()
    for char in line:
        starts.add(len(out))
        try:
            out += char.encode("gbk")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out), starts


def build(raw: bytes, inserts: Mapping[int, list[bytes]]) -> tuple[bytes, dict[int, int]]:
    """Apply the insertions (before the byte at each offset); map old offsets to new ones."""
    out = bytearray()
    where = {}
    for i in range(len(raw) + 1):
        for piece in inserts.get(i, ()):
            out += piece
        where[i] = len(out)
        if i < len(raw):
            out.append(raw[i])
    return bytes(out), where


def add_closing_bytes(stream: bytes, candidates: list[int], config: DamageConfig, rng: random.Random) -> bytes:
    """Before a 、 or ， that the decoder reaches out of step, sometimes put an invalid byte."""
    shift = 0
    for offset in sorted(candidates):
        position = offset + shift
        if position not in unit_starts(stream) and rng.random() < config.closing_rate:
            stream = stream[:position] + bytes([INVALID]) + stream[position:]
            shift += 1
    return stream


def unit_starts(stream: bytes) -> set[int]:
    """Offsets where the lenient decoder starts a unit."""
    starts = set()
    i = 0
    while i < len(stream):
        starts.add(i)
        i += unit_length(stream, i)
    return starts


def unit_length(stream: bytes, i: int) -> int:
    byte = stream[i]
    if byte < 0x80 or byte in (0x80, 0xFF):
        return 1
    return 2 if i + 1 < len(stream) else 1


def lenient_decode(stream: bytes, keep_user_defined: bool) -> str:
    """Decode like the sites' decoder: ``?`` for a lead byte and the invalid byte after it."""
    out = []
    i = 0
    while i < len(stream):
        byte = stream[i]
        if byte < 0x80:
            out.append(chr(byte))
            i += 1
            continue
        if byte in (0x80, 0xFF) or i + 1 >= len(stream):
            out.append("?")
            i += 1
            continue
        pair = stream[i : i + 2]
        i += 2
        if not (0x40 <= pair[1] <= 0xFE and pair[1] != 0x7F):
            out.append("?")
            continue
        try:
            out.append(pair.decode("gbk"))
        except UnicodeDecodeError:
            pua = user_defined_char(pair)
            if pua is None:
                out.append("?")
            elif keep_user_defined:
                out.append(pua)
    return "".join(out)
