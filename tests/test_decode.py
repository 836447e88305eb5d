import codecs

import pytest

from cleaners.decode.encoding import declared_codec, decode_bytes, hanzi_plausibility, strict_decode
from cleaners.errors import Rejected
from tests.conftest import seed_text
from tests.encoded import encoded_samples, simplified_speech, traditional_speech

ENCODED = encoded_samples()


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_real_text_decodes_in_its_encoding_without_loss(name):
    raw, codec, text = ENCODED[name]
    decoded = decode_bytes(raw)
    assert decoded.encoding == codec
    assert decoded.text == text
    assert decoded.chars_lost == 0
    assert 0.0 < decoded.confidence <= 1.0


@pytest.mark.parametrize("name", ["utf-8-bom", "utf-16-bom", "utf-32-bom", "utf-8"])
def test_bom_and_strict_utf8_are_certain(name):
    raw, _, _ = ENCODED[name]
    assert decode_bytes(raw).confidence == 1.0


@pytest.mark.parametrize("line", [l for l in seed_text("000").splitlines() if 6 <= len(l) <= 40][:25])
def test_short_lines_of_chinese_never_come_out_as_latin(line):
    for codec in ("gb18030", "big5"):
        try:
            raw = line.encode(codec)
        except UnicodeEncodeError:
            continue
        decoded = decode_bytes(raw)
        assert decoded.text == line, (codec, decoded.encoding)


@pytest.mark.parametrize("codec", ["gb18030", "big5", "utf-8"])
def test_multibyte_sequence_cut_at_the_end_is_one_replacement_char(codec):
    text = (traditional_speech() if codec == "big5" else simplified_speech()).rstrip()
    raw = text.encode(codec)
    cut = raw[: len(raw) - 1]  # the last character is a two- or three-byte hanzi or punctuation
    last_char_bytes = len(text[-1].encode(codec))
    assert last_char_bytes > 1
    decoded = decode_bytes(cut)
    assert decoded.text == text[:-1] + "\ufffd"
    assert decoded.chars_lost == 1


def test_damage_in_the_middle_is_marked_and_counted_not_the_page_lost():
    text = simplified_speech()
    raw = bytearray(text.encode("gb18030"))
    middle = len(text[: len(text) // 2].encode("gb18030"))
    raw[middle:middle] = b"\xff\xff\x80\x80"
    decoded = decode_bytes(bytes(raw))
    assert decoded.encoding == "gb18030"
    assert decoded.bad_bytes == decoded.text.count("\ufffd") > 0
    assert decoded.text.replace("\ufffd", "") == text


def test_bytes_no_encoding_explains_are_undecodable():
    raw = bytes(range(0x80, 0x100)) * 8
    with pytest.raises(Rejected) as caught:
        decode_bytes(raw)
    assert caught.value.reason == "undecodable"
    assert "offset" in caught.value.detail


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_empty_and_blank_files_are_empty(raw):
    with pytest.raises(Rejected) as caught:
        decode_bytes(raw)
    assert caught.value.reason == "empty"


@pytest.mark.parametrize("raw", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    b"%PDF-1.7\n" + "同志们".encode(),
    b"PK\x03\x04" + bytes(100),
    bytes(range(256)) * 4,
    "同志们".encode() + b"\x00\x01\x02\x03\x00" * 20,
])
def test_binary_files_are_binary(raw):
    with pytest.raises(Rejected) as caught:
        decode_bytes(raw)
    assert caught.value.reason == "binary"


def test_declared_html_charset_is_used_when_the_bytes_bear_it_out():
    body = traditional_speech()[:200]
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body><p>{body}</p></body></html>'
    decoded = decode_bytes(page.encode("big5"))
    assert decoded.encoding == "big5" and decoded.confidence == 1.0 and body in decoded.text


def test_a_wrong_html_charset_is_overruled_by_valid_utf8():
    body = simplified_speech()[:200]
    page = f'<html><head><meta charset="gb2312"></head><body><p>{body}</p></body></html>'
    decoded = decode_bytes(page.encode("utf-8"))
    assert decoded.encoding == "utf-8" and body in decoded.text


def test_helpers():
    assert declared_codec(b"<meta charset='GBK'>") == "gb18030"
    assert strict_decode(b"\x80abc", "utf-8") is None
    assert hanzi_plausibility(simplified_speech()) > 0.95
    assert hanzi_plausibility(simplified_speech().encode("gb18030").decode("big5", errors="ignore")) < 0.8


def test_plausibility_counts_every_character_as_its_definition_says():
    """The table-driven count equals judging each character: wide (not ASCII, not space), and a hit
    when a common hanzi or punctuation. Real text read in the right and the wrong codec, and
    characters beyond the Basic Multilingual Plane (judged one by one)."""
    import unicodedata

    from cleaners.decode.encoding import common_hanzi

    def by_definition(text: str) -> float:
        wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
        hits = [c for c in wide if c in common_hanzi() or unicodedata.category(c).startswith("P")]
        return len(hits) / len(wide) if wide else 0.5

    raw = simplified_speech().encode("gb18030")
    texts = [simplified_speech(), traditional_speech(), raw.decode("big5", errors="replace"),
             raw.decode("latin-1"), seed_text("002"), "𠀀𠀁〔𐄀〕 \u3000abc", "abc \n"]
    values = [hanzi_plausibility(text) for text in texts]
    assert values == [by_definition(text) for text in texts]
    assert values[-1] == 0.5 and values[0] > 0.95 > values[2]
