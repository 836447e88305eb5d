"""Bytes to text: find the encoding and decode without losing a character.

Order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. a known binary signature, or NUL bytes that are not UTF-16/32 text: binary;
3. strict UTF-8;
4. the Chinese legacy encodings that decode the bytes strictly (GB18030, a
   superset of GB2312 and GBK; Big5 and its extensions), ranked by chardet
   where chardet names them, else by how much of the text is common hanzi
   (chardet is asked among its multibyte CJK encodings first, and over all of
   them only when that leaves it unsure: :func:`chinese_detector_guesses`);
5. chardet's best guess, if it decodes strictly and reads as text.

A declared charset (the ``hint`` a container passes: the HTTP ``Content-Type``
of a WARC response, a scraped item's declared encoding; else the page's own
``<meta charset>`` / ``http-equiv``) is evidence, not an order: it is taken
before the ranking of step 4 when the bytes are valid in it and its reading is
as plausible as the best Chinese reading (:func:`bears_out`). A UTF-8 page
declared GBK stays UTF-8, a GBK page served as ``ISO-8859-1`` stays GBK.

Japanese and Korean pages (Shift-JIS, EUC-JP, EUC-KR) are decoded as such when
their reading holds kana or hangul and chardet agrees, not forced into GB18030.
Stray NUL bytes in otherwise UTF-8 or GBK text are removed and counted
(``nul_removed``), never taken for UTF-16.

Strict first: the only tolerance of a strict decode is a multibyte sequence cut
at the very end of the file, decoded as one U+FFFD and reported. When no
candidate decodes strictly, the page is decoded line by line, each line in the
first codec that reads it strictly (a UTF-8 page with a GBK paragraph), and the
lines no codec reads in the page's main codec with each bad sequence as U+FFFD,
counted (``bad_bytes_marked``). Only when the bad sequences exceed a small share
of the non-ASCII bytes (no encoding explains most of the bytes), or the page is
nothing but bad bytes, is it :class:`Rejected` (``undecodable``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import chardet
import numpy as np

from cleaners.errors import Rejected

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures specific enough never to start a text page. Executables and most
# media hold NUL bytes and are caught by that rule instead.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (legacy DOC/XLS)"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"RIFF", "a RIFF media file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"wOFF", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Legacy Chinese codecs tried when UTF-8 fails, and the chardet names that vote for them.
CHINESE_CANDIDATES: tuple[str, ...] = ("gb18030", "big5", "cp950", "big5hkscs")
CHARDET_FAMILY = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5",
    "big5-hkscs": "big5",
    "cp950": "big5",
}
DETECTOR_SAMPLE_BYTES = 64 * 1024
MIN_GUESS_CONFIDENCE = 0.5
MAX_CONTROL_SHARE = 0.01
# <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gbk">
DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float
    chars_lost: int = 0  # a multibyte sequence cut at the end, written as U+FFFD
    bad_bytes: int = 0  # invalid byte sequences inside the page, each written as U+FFFD
    nul_removed: int = 0  # stray NUL bytes removed from 8-bit text

    @property
    def cut_at_end(self) -> bool:
        return self.chars_lost > 0

    @property
    def counts(self) -> dict[str, int]:
        """What decoding changed, under the names of the ``repairs`` counters."""
        return {"mojibake_chars_lost": self.chars_lost, "bad_bytes_marked": self.bad_bytes,
                "nul_removed": self.nul_removed}


def decode_bytes(raw: bytes, hint: str | None = None) -> Decoded:
    """Decode ``raw`` by the order of evidence above, or raise :class:`Rejected`.

    ``hint`` is the charset the container declares for these bytes (None: none).

    >>> decode_bytes("同志们".encode("gb18030")).encoding
    'gb18030'
    >>> decode_bytes(codecs.BOM_UTF8 + "同志们".encode()).encoding
    'utf-8-sig'
    """
    if not raw.strip(b" \t\r\n\x0b\x0c"):
        raise Rejected("empty", f"the file holds {len(raw)} bytes and no text.")
    bom = decode_with_bom(raw)
    if bom is not None:
        return ensure_not_blank(bom)
    reject_binary(raw)
    if b"\x00" in raw:
        without_nuls = decode_without_stray_nuls(raw)
        if without_nuls is not None:
            return ensure_not_blank(without_nuls)
        return ensure_not_blank(decode_wide_without_bom(raw))
    utf8 = strict_decode(raw, "utf-8")
    if utf8 is not None:
        hinted = hint_over_utf8(raw, utf8[0], hint)
        return ensure_not_blank(hinted or Decoded(utf8[0], "utf-8", 1.0, utf8[1]))
    return ensure_not_blank(decode_legacy(raw, hint))


def strict_decode(raw: bytes, codec: str) -> tuple[str, int] | None:
    """Decode strictly; tolerate only a multibyte sequence cut at the very end.

    Returns the text and the number of characters lost (0 or 1), or None.

    >>> strict_decode("讲话".encode("utf-8")[:-1], "utf-8")
    ('讲\\ufffd', 1)
    >>> strict_decode(b"\\xff\\xfe\\x41", "utf-8") is None
    True
    """
    try:
        return raw.decode(codec), 0
    except UnicodeDecodeError as error:
        if error.end < len(raw) or not is_cut_sequence(error):
            return None
        cut_at = error.start
    try:
        return raw[:cut_at].decode(codec) + "\ufffd", 1
    except UnicodeDecodeError:
        return None


def is_cut_sequence(error: UnicodeDecodeError) -> bool:
    """The error is a multibyte sequence that the end of the data cut short."""
    return error.reason in ("unexpected end of data", "incomplete multibyte sequence", "truncated data")


def decode_with_bom(raw: bytes) -> Decoded | None:
    for bom, codec in BOMS:
        if raw.startswith(bom):
            decoded = strict_decode(raw, codec)
            if decoded is None:
                raise Rejected(
                    "undecodable",
                    f"the file starts with a {codec} byte-order mark but its bytes are not valid {codec}; "
                    "it was probably damaged or concatenated from files in different encodings.",
                )
            text = decoded[0]
            if text.startswith("\ufeff"):
                text = text[1:]
            return Decoded(text, codec, 1.0, decoded[1])
    return None


def reject_binary(raw: bytes) -> None:
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise Rejected("binary", f"the file is {kind}, not a text or HTML page.")


MAX_STRAY_NUL_SHARE = 0.01


def decode_without_stray_nuls(raw: bytes) -> Decoded | None:
    """A few NUL bytes in text that decodes strictly as UTF-8 or GB18030 without them.

    UTF-16 text holds a NUL in every ASCII character; stray NULs are a small
    share of the bytes, and the rest must read as text on its own.
    """
    nuls = raw.count(b"\x00")
    if nuls > max(1, MAX_STRAY_NUL_SHARE * len(raw)):
        return None
    rest = raw.replace(b"\x00", b"")
    for codec in ("utf-8", "gb18030"):
        decoded = strict_decode(rest, codec)
        if decoded is not None and reads_as_text(decoded[0]):
            if codec != "utf-8" and hanzi_plausibility(decoded[0]) < MIN_SEGMENT_PLAUSIBILITY:
                continue
            return Decoded(decoded[0], codec, 0.9, decoded[1], nul_removed=nuls)
    return None


def decode_wide_without_bom(raw: bytes) -> Decoded:
    """NUL bytes: UTF-16/32 text without a BOM, or binary."""
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        decoded = strict_decode(raw, codec)
        if decoded is not None and reads_as_text(decoded[0]):
            return Decoded(decoded[0], codec, 0.9, decoded[1])
    offset = raw.index(b"\x00")
    raise Rejected(
        "binary",
        f"the file holds NUL bytes (first at offset {offset}) and is not UTF-16 or UTF-32 text; "
        "it is probably a binary file that landed in the raw directory.",
    )


def decode_legacy(raw: bytes, hint: str | None = None) -> Decoded:
    """A declared charset that the bytes bear out (the container's, then the page's); GB18030 or Big5
    (ranked); chardet's guess."""
    for declared in (widened_codec(hint), declared_codec(raw)):
        if declared is not None:
            decoded = bears_out(raw, declared)
            if decoded is not None:
                return decoded
    other_cjk = decode_other_cjk(raw)
    if other_cjk is not None:
        return other_cjk
    if segments_main_is_utf8(raw.splitlines(keepends=True)):  # a UTF-8 page with some lines in GBK or Big5
        mixed = decode_by_segments(raw)
        if mixed is not None:
            return mixed
    decodable = {}
    for codec in CHINESE_CANDIDATES:
        family = CHARDET_FAMILY[codec]
        if family in decodable:
            continue
        strict = strict_decode(raw, codec)
        if strict is not None:
            decodable[family] = (codec, strict)
    if len(decodable) == 1:
        # One candidate: chardet's vote cannot change the choice, and the confidence,
        # plausibility × score / total score, is the plausibility itself.
        ((codec, (text, lost)),) = decodable.values()
        return Decoded(text, codec, hanzi_plausibility(text), lost)
    if decodable:
        codec, (text, lost), confidence = rank_chinese(decodable, chinese_detector_guesses(raw))
        return Decoded(text, codec, confidence, lost)
    guesses = detector_guesses(raw)
    for guess in guesses:
        guessed = normalise_codec_name(guess.get("encoding"))
        if guessed is None or (guess.get("confidence") or 0) < MIN_GUESS_CONFIDENCE:
            continue
        strict = strict_decode(raw, guessed)
        if strict is not None and reads_as_text(strict[0]):
            return Decoded(strict[0], guessed, float(guess["confidence"]), strict[1])
    mixed = decode_by_segments(raw)
    if mixed is not None:
        return mixed
    raise Rejected("undecodable", describe_undecodable(raw, guesses))


def detector_guesses(raw: bytes) -> list[chardet.DetectionDict]:
    """chardet's guesses for the page's first :data:`DETECTOR_SAMPLE_BYTES`, every encoding it knows."""
    return chardet.detect_all(raw[:DETECTOR_SAMPLE_BYTES], ignore_threshold=True)


# The encodings chardet reads as multibyte CJK (its registry's ``is_multibyte_cjk``): the ones whose
# statistics and rank corrections can stand next to a Chinese reading's. chardet's time on a Chinese
# page goes to its ~70 single-byte encodings, none of which then comes near the top.
DETECTOR_CJK_ENCODINGS: tuple[str, ...] = (
    "big5hkscs", "cp932", "cp949", "euc_jis_2004", "euc_kr", "gb18030", "hz",
    "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_ext", "iso2022_kr", "shift_jis_2004", "johab",
)
CERTAIN_DETECTOR_VOTE = 0.9


def chinese_detector_guesses(raw: bytes) -> list[chardet.DetectionDict]:
    """chardet's guesses, for ranking the Chinese readings: among the CJK encodings alone when that
    is enough to be sure, else among all of them (:func:`detector_guesses`).

    When the detector, among the multibyte CJK encodings only, is sure of one
    (:data:`CERTAIN_DETECTOR_VOTE`), the single-byte encodings it left out score
    far below and none of its rank corrections reaches the Chinese votes: those
    votes are then the full detector's (~5x cheaper). A weak vote (a short
    line, a few hanzi among Latin text) is where a single-byte encoding can
    stand next to a Chinese one and move its confidence, so the full detector
    answers. Checked against the full detector on real text in every Chinese
    codec (``tests/test_decode_detector.py``).
    """
    sample = raw[:DETECTOR_SAMPLE_BYTES]
    if may_declare_charset(sample):  # a declaration the full detector takes before any statistics
        return detector_guesses(raw)
    among_cjk = chardet.detect_all(sample, ignore_threshold=True, include_encodings=DETECTOR_CJK_ENCODINGS,
                                   no_match_encoding="gb18030")  # a weak vote (0.1): falls through below
    if among_cjk and float(among_cjk[0].get("confidence") or 0.0) >= CERTAIN_DETECTOR_VOTE:
        return among_cjk
    return detector_guesses(raw)


DECLARATION_WORDS = (b"charset", b"coding")  # and so ``encoding``
DECLARATION_SCAN_BYTES = 4096  # chardet's markup scan reads no further


def may_declare_charset(sample: bytes) -> bool:
    """The bytes may hold a charset declaration chardet honours before its statistics (``<meta
    charset>``, ``<?xml encoding>``, a ``coding:`` line, in ASCII or in EBCDIC): their words appear.

    A necessary test: chardet returns such a declaration alone when it is an
    encoding it may answer, so the detector restricted to CJK encodings and the
    full one differ there.

    >>> may_declare_charset(b'<meta charset="utf-8">'), may_declare_charset("繁體".encode("big5"))
    (True, False)
    """
    head = sample[:DECLARATION_SCAN_BYTES]
    if any(word in head.lower() for word in DECLARATION_WORDS):
        return True
    as_ebcdic = head.decode("cp037").lower()
    return any(word.decode() in as_ebcdic for word in DECLARATION_WORDS)


# Japanese and Korean codecs, the letters only their reading gives, and chardet's names for them.
OTHER_CJK: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("shift_jis", "[\u3040-\u30ff]", frozenset({"shift_jis", "cp932"})),
    ("euc_jp", "[\u3040-\u30ff]", frozenset({"euc-jp"})),
    ("euc_kr", "[\uac00-\ud7a3]", frozenset({"euc-kr", "cp949"})),
)
MIN_OWN_LETTER_SHARE = 0.2


def decode_other_cjk(raw: bytes) -> Decoded | None:
    """A Japanese or Korean page: its reading holds kana or hangul, and chardet names its codec."""
    readings = []
    for codec, letters, names in OTHER_CJK:
        decoded = strict_decode(raw, codec)
        if decoded is None:
            continue
        wide = sum(1 for c in decoded[0] if ord(c) > 0x7F)
        if wide and len(re.findall(letters, decoded[0])) / wide >= MIN_OWN_LETTER_SHARE:
            readings.append((codec, names, decoded))
    if not readings:
        return None
    for guess in detector_guesses(raw)[:1]:
        name = (guess.get("encoding") or "").lower()
        for codec, names, decoded in readings:
            if name in names:  # the letters and the detector's first choice agree
                return Decoded(decoded[0], codec, float(guess["confidence"] or 0), decoded[1])
    return None


SEGMENT_CODECS: tuple[str, ...] = ("utf-8", "gb18030", "big5")
MIN_SEGMENT_PLAUSIBILITY = 0.6
MAX_BAD_SHARE = 0.02  # bad sequences per non-ASCII byte beyond which no codec explains the page


def decode_by_segments(raw: bytes) -> Decoded | None:
    """Decode line by line when no codec reads the whole page strictly.

    The main codec is the one that reads strictly the lines holding the most
    non-ASCII bytes. A line is decoded with the main codec if it reads strictly,
    else with another codec that reads it strictly as plausible Chinese (a GBK
    paragraph in a UTF-8 page), else with the main codec marking each bad
    sequence U+FFFD, counted.
    """
    lines = raw.splitlines(keepends=True)
    main = segment_main_codec(lines)
    pieces = []
    bad = 0
    for line in lines:
        pieces.append(decode_segment(line, main))
        bad += count_bad_text(line, pieces[-1], main)
    wide_bytes = high_bytes(raw)
    if bad > MAX_BAD_SHARE * wide_bytes:
        return None
    return Decoded("".join(pieces), main, round(1.0 - bad / max(1, wide_bytes), 4), 0, bad_bytes=bad)


def segment_main_codec(lines: Sequence[bytes]) -> str:
    """The codec that reads strictly the lines holding the most non-ASCII bytes (the first on a tie)."""
    covered = dict.fromkeys(SEGMENT_CODECS, 0)
    for line in lines:
        for codec in SEGMENT_CODECS:
            if strictly_readable(line, codec):
                covered[codec] += high_bytes(line)
    return max(SEGMENT_CODECS, key=lambda codec: covered[codec])


def segments_main_is_utf8(lines: Sequence[bytes]) -> bool:
    """``segment_main_codec(lines) == "utf-8"``, stopping as soon as another codec covers more.

    UTF-8 wins ties, so it is the main codec unless another codec's readable
    lines hold more non-ASCII bytes than the UTF-8 lines: the lines are read in
    order for both other codecs, and the first line that takes one of them past
    UTF-8 settles it (on a GBK or Big5 page, the first line with a hanzi).
    """
    first, *others = SEGMENT_CODECS
    utf8 = sum(high_bytes(line) for line in lines if strictly_readable(line, first))
    covered = dict.fromkeys(others, 0)
    for line in lines:
        high = high_bytes(line)
        if not high:
            continue
        for codec in others:
            if strictly_readable(line, codec):
                covered[codec] += high
                if covered[codec] > utf8:
                    return False
    return True


HIGH_BYTES = bytes(range(0x80, 0x100))


def high_bytes(data: bytes) -> int:
    """How many bytes of ``data`` are above 0x7F (counted in C: the rest deleted).

    >>> high_bytes("中a".encode())
    3
    """
    return len(data) - len(data.translate(None, HIGH_BYTES))


def strictly_readable(line: bytes, codec: str) -> bool:
    try:
        text = line.decode(codec)
    except UnicodeDecodeError:
        return False
    return codec == "utf-8" or hanzi_plausibility(text) >= MIN_SEGMENT_PLAUSIBILITY


def decode_segment(line: bytes, main: str) -> str:
    if strictly_readable(line, main):
        return line.decode(main)
    for codec in SEGMENT_CODECS:
        if codec != main and strictly_readable(line, codec):
            return line.decode(codec)
    return line.decode(main, "replace")


def count_bad(raw: bytes, codec: str) -> int:
    return count_bad_text(raw, raw.decode(codec, "replace"), codec)


def count_bad_text(raw: bytes, text: str, codec: str) -> int:
    """Replacement characters the decoder wrote (those the bytes spelled out are not counted)."""
    spelled = raw.count("\ufffd".encode(codec)) if codec in ("utf-8", "gb18030") else 0
    return text.count("\ufffd") - spelled


def rank_chinese(decodable: dict, guesses: Sequence[Mapping]) -> tuple[str, tuple[str, int], float]:
    """Choose among strictly decodable Chinese codecs.

    Each candidate scores its hanzi plausibility plus chardet's confidence in
    it: chardet alone is unreliable on short texts (a faint vote far down its
    list must not beat text that reads as common hanzi). The confidence is the
    winner's plausibility times its share of the total score.
    """
    votes: dict[str, float] = {}
    for guess in guesses:
        family = CHARDET_FAMILY.get((guess.get("encoding") or "").lower())
        if family is not None:
            votes[family] = max(votes.get(family, 0.0), float(guess.get("confidence") or 0.0))
    scored = []
    for family, (codec, decoded) in decodable.items():
        plausibility = hanzi_plausibility(decoded[0])
        scored.append((plausibility + votes.get(family, 0.0), plausibility, codec, decoded))
    scored.sort(key=lambda item: (-item[0], CHINESE_CANDIDATES.index(item[2])))
    score, plausibility, codec, decoded = scored[0]
    total = sum(item[0] for item in scored) or 1.0
    return codec, decoded, plausibility * score / total


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """The level-1 hanzi of GB2312 (3,755) and Big5 (5,401): the common characters of both scripts."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


# What hanzi_plausibility makes of a character: not counted (ASCII, white space), a wide
# character, or a wide character that is a common hanzi or punctuation (a hit).
NOT_COUNTED, WIDE, HIT = 0, 1, 2
BMP = 0x10000


def judge_char(char: str) -> int:
    if ord(char) <= 0x7F or char.isspace():
        return NOT_COUNTED
    if char in common_hanzi() or unicodedata.category(char).startswith("P"):
        return HIT
    return WIDE


@lru_cache(maxsize=1)
def bmp_judgements() -> np.ndarray:
    """:func:`judge_char` of every character of the Basic Multilingual Plane (64 KB)."""
    return np.array([judge_char(chr(code)) for code in range(BMP)], dtype=np.uint8)


def hanzi_plausibility(text: str) -> float:
    """Share of the non-ASCII letters of ``text`` that are common hanzi or punctuation (0..1).

    >>> hanzi_plausibility("同志们，大家好！Hello"), hanzi_plausibility("abc")
    (1.0, 0.5)
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    in_bmp = codes < BMP
    counts = np.bincount(bmp_judgements()[codes[in_bmp]], minlength=3).tolist()
    if not in_bmp.all():  # rare: each character beyond the BMP judged on its own
        for code in codes[~in_bmp].tolist():
            counts[judge_char(chr(code))] += 1
    wide, hits = counts[WIDE] + counts[HIT], counts[HIT]
    if not wide:
        return 0.5
    return hits / wide


NOISE_CATEGORIES = ("Cc", "Cn", "Cs")  # controls, unassigned code points, lone surrogates
TEXT_CONTROLS = frozenset("\t\n\r\f\x0b")


def is_noise(char: str) -> bool:
    """A control character other than whitespace, an unassigned code point or a lone surrogate."""
    return unicodedata.category(char) in NOISE_CATEGORIES and char not in TEXT_CONTROLS


# Up to this many distinct noise characters, each is counted by its own scan of the text (``str.count``, in C);
# beyond, one ``Counter`` of the text (a UTF-16 reading of binary bytes holds thousands of them).
MAX_NOISE_SCANS = 16


def noise_count(text: str) -> int:
    """How many characters of ``text`` are :func:`is_noise`: each distinct character is judged once, counted in C."""
    noise = [char for char in set(text) if is_noise(char)]
    if len(noise) <= MAX_NOISE_SCANS:
        return sum(map(text.count, noise))
    counts = Counter(text)
    return sum(counts[char] for char in noise)


def reads_as_text(text: str) -> bool:
    """Few control characters and no unassigned code points: this is text, not noise."""
    if not text:
        return False
    return noise_count(text) / len(text) <= MAX_CONTROL_SHARE


PLAUSIBILITY_MARGIN = 0.2  # how far below the best Chinese reading a declared one may read and still win


def bears_out(raw: bytes, declared: str) -> Decoded | None:
    """The declared codec's reading, when the bytes are valid in it and it reads as well as any other.

    Never against invalid bytes. A Chinese codec must read as plausible hanzi
    and within :data:`PLAUSIBILITY_MARGIN` of the best Chinese reading (a Big5
    declaration on a GBK page loses); a Japanese or Korean one must hold its own
    letters; any other (``ISO-8859-1``, the default of many servers) only wins
    when no Chinese codec reads the bytes plausibly.

    >>> bears_out("简体中文的网页".encode("gbk"), "big5") is None
    True
    >>> bears_out("简体中文的网页".encode("gbk"), "iso8859-1") is None
    True
    >>> bears_out("繁體中文的網頁".encode("big5"), "big5").encoding
    'big5'
    """
    decoded = strict_decode(raw, declared)
    if decoded is None or not reads_as_text(decoded[0]):
        return None
    text, lost = decoded
    best = best_chinese_plausibility(raw)
    family = CHARDET_FAMILY.get(declared.replace("_", "-"))
    if family is not None or declared in ("gb18030", "big5hkscs", "cp950"):
        plausibility = hanzi_plausibility(text)
        if plausibility < MIN_SEGMENT_PLAUSIBILITY or plausibility + PLAUSIBILITY_MARGIN < best:
            return None
        return Decoded(text, declared, 1.0, lost)
    for codec, letters, _names in OTHER_CJK:
        if codec == declared:
            wide = sum(1 for c in text if ord(c) > 0x7F)
            if wide and len(re.findall(letters, text)) / wide < MIN_OWN_LETTER_SHARE:
                return None
            return Decoded(text, declared, 1.0, lost)
    if best >= MIN_SEGMENT_PLAUSIBILITY:
        return None
    return Decoded(text, declared, 1.0, lost)


def hint_over_utf8(raw: bytes, utf8: str, hint: str | None) -> Decoded | None:
    """A declared Chinese codec over bytes that are valid UTF-8 only by chance (short GBK text).

    Only when the UTF-8 reading is no plausible Chinese (``系统`` in GBK reads
    ``ϵͳ`` in UTF-8) and the declared reading is (:func:`bears_out`).

    >>> hint_over_utf8("系统".encode("gbk"), "系统".encode("gbk").decode(), "gbk").text
    '系统'
    >>> hint_over_utf8("系统".encode(), "系统", "gbk") is None
    True
    """
    codec = widened_codec(hint)
    if codec is None or codec == "utf-8" or utf8.isascii() or hanzi_plausibility(utf8) >= MIN_SEGMENT_PLAUSIBILITY:
        return None
    if CHARDET_FAMILY.get(codec) is None:
        return None
    return bears_out(raw, codec)


def best_chinese_plausibility(raw: bytes) -> float:
    """How plausible the best strict Chinese reading of the bytes is (0 when none is strict)."""
    best = 0.0
    for codec in ("gb18030", "big5"):
        decoded = strict_decode(raw, codec)
        if decoded is not None:
            best = max(best, hanzi_plausibility(decoded[0]))
    return best


def widened_codec(name: str | None) -> str | None:
    """A declared charset's codec, widened to its superset (gb2312/gbk → gb18030); None when unknown.

    >>> widened_codec("GB2312"), widened_codec("utf8"), widened_codec("x-unknown")
    ('gb18030', 'utf-8', None)
    """
    if not name:
        return None
    lowered = name.strip().lower()
    if CHARDET_FAMILY.get(lowered) == "gb18030":
        return "gb18030"
    return normalise_codec_name(lowered)


def declared_codec(raw: bytes) -> str | None:
    """The codec an HTML page declares in its head, widened to its superset (gb2312 → gb18030).

    >>> declared_codec(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb18030'
    """
    match = DECLARED_CHARSET.search(raw[:4096])
    if match is None:
        return None
    return widened_codec(match.group(1).decode("ascii"))


def normalise_codec_name(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def describe_undecodable(raw: bytes, guesses: Sequence[Mapping]) -> str:
    offset = first_invalid_utf8_offset(raw)
    sample = raw[offset : offset + 4].hex(" ")
    best = guesses[0] if guesses else {}
    guess = f"{best.get('encoding')} at confidence {best.get('confidence', 0):.2f}" if best else "nothing"
    return (
        f"the bytes are not valid UTF-8, GB18030 or Big5 (first bad UTF-8 sequence at offset {offset}: {sample}), "
        f"and the detector's best guess ({guess}) does not decode them as text either; "
        "re-fetch the page or convert it to UTF-8 by hand."
    )


def first_invalid_utf8_offset(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def ensure_not_blank(decoded: Decoded) -> Decoded:
    if not decoded.text.strip():
        raise Rejected("empty", f"the file decodes as {decoded.encoding} to nothing but white space.")
    if not decoded.text.replace("\ufffd", "").strip():
        raise Rejected("undecodable", f"the file holds {len(decoded.text)} character(s) that no encoding reads: "
                                      "a fragment of a page, not a record; re-fetch it.")
    return decoded
