"""The mojibake of the wild, made from clean text by its own mechanism.

Each function takes clean text and returns what a wrong decoder made of it:
encode with one codec, decode with another (lossy variants with ``replace``).
"""

from __future__ import annotations

import random


def utf8_read_as_gbk(text: str) -> str:
    """古文码: UTF-8 bytes decoded as GBK; bytes no GBK pair admits become U+FFFD."""
    return text.encode("utf-8").decode("gbk", "replace")


def utf8_read_as_gb18030(text: str) -> str:
    """古文码 as browsers make it (WHATWG gbk is gb18030): user-defined pairs become private-use characters."""
    return text.encode("utf-8").decode("gb18030", "replace")


def gbk_read_as_latin1(text: str) -> str:
    """拼音码: GBK bytes decoded as Latin-1."""
    return text.encode("gbk").decode("latin-1")


def gbk_read_as_cp1252(text: str) -> str:
    """拼音码 as browsers show it: cp1252, its five undefined bytes as C1 controls."""
    return "".join(bytes((b,)).decode("cp1252", "ignore") or chr(b) for b in text.encode("gbk"))


def utf8_read_as_latin1(text: str) -> str:
    """符号码: UTF-8 bytes decoded as Latin-1."""
    return text.encode("utf-8").decode("latin-1")


def utf8_read_as_cp1252(text: str) -> str:
    """符号码 as browsers show it (cp1252, undefined bytes as C1 controls)."""
    return "".join(bytes((b,)).decode("cp1252", "ignore") or chr(b) for b in text.encode("utf-8"))


def replacement_pairs_read_as_gbk(text: str, seed: int, share: float = 0.02) -> str:
    """锟斤拷: pairs of characters an earlier decoder replaced by U+FFFD, whose UTF-8 was then read as GBK."""
    rng = random.Random(seed)
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i] > "\x7f" and chars[i + 1] > "\x7f" and rng.random() < share:
            chars[i], chars[i + 1] = "\ufffd\ufffd".encode("utf-8").decode("gbk"), ""
            i += 2
        else:
            i += 1
    return "".join(chars)


def full_width_spaces_as_pua(text: str) -> str:
    """GBK A3A0 (an old full-width space) as decoders read it: U+E5E5."""
    return text.replace("\u3000", "\ue5e5")


def big5_read_as_latin1(text: str) -> str:
    """Big5 bytes decoded as Latin-1 (Traditional pages of Taiwan and Hong Kong); ``?`` where Big5 lacks a character."""
    return text.encode("big5", "replace").decode("latin-1")


def utf8_read_as_gbk_question_marks(text: str) -> str:
    """古文码 by a decoder that writes ``?`` (not U+FFFD) for a byte no GBK pair admits."""
    return text.encode("utf-8").decode("gbk", "replace").replace("\ufffd", "?")


def utf8_with_lost_chars_read_as_gbk(text: str, seed: int, share: float = 0.02) -> str:
    """锟斤拷 in 古文码: some characters already lost (one U+FFFD each), the UTF-8 of it all read as GBK."""
    rng = random.Random(seed)
    chars = list(text)
    i = 0
    while i < len(chars):
        if chars[i] > "\x7f" and rng.random() < share:
            for j in range(i, min(len(chars), i + rng.randint(1, 4))):
                if chars[j] > "\x7f":
                    chars[j] = "\ufffd"
            i += 4
        i += 1
    return utf8_read_as_gbk("".join(chars))


def fill_runs(text: str, seed: int, share: float = 0.02, fill: str = "烫") -> str:
    """烫烫烫/屯屯屯: runs of characters never written, their GBK buffer left as MSVC's fill bytes (one per character)."""
    rng = random.Random(seed)
    chars = list(text)
    i = 0
    while i < len(chars):
        if chars[i] > "\x7f" and rng.random() < share:
            end = i
            while end < min(len(chars), i + rng.randint(3, 8)) and chars[end] > "\x7f":
                end += 1  # GBK characters only: two fill bytes are one of them
            if end - i >= 3:  # shorter runs are words (水很烫), not memory never written
                chars[i:end] = fill * (end - i)
            i = end
        i += 1
    return "".join(chars)


def through_codec(text: str, codec: str) -> str:
    """问句码: text written through a codec that lacks some of its characters (``?`` for each) and read back."""
    return text.encode(codec, "replace").decode(codec)
