"""Real Chinese text from the samples, encoded as scrapers bring it back."""

from __future__ import annotations

import codecs

import opencc

from tests.conftest import seed_text


def simplified_speech() -> str:
    """Page 000's speech (Simplified), from its salutation to the omission notice."""
    text = seed_text("000")
    start = text.index("同志们")
    return text[start : text.index("……(新文秘网")]


def traditional_speech() -> str:
    """Page 004's speech converted to Traditional by OpenCC (s2twp), cut before the promotion."""
    text = seed_text("004")
    body = text[text.index("同志们") : text.index("预览结束")]
    return opencc.OpenCC("s2twp.json").convert(body)


def encoded_samples() -> dict[str, tuple[bytes, str, str]]:
    """name → (bytes, expected codec, expected text)."""
    simp, trad = simplified_speech(), traditional_speech()
    return {
        "gb18030": (simp.encode("gb18030"), "gb18030", simp),
        "gbk": (simp.encode("gbk"), "gb18030", simp),
        "big5": (trad.encode("big5"), "big5", trad),
        "utf-8": (simp.encode("utf-8"), "utf-8", simp),
        "utf-8-bom": (codecs.BOM_UTF8 + simp.encode("utf-8"), "utf-8-sig", simp),
        "utf-16-bom": (simp.encode("utf-16"), "utf-16", simp),
        "utf-16-be-bom": (codecs.BOM_UTF16_BE + trad.encode("utf-16-be"), "utf-16", trad),
        "utf-32-bom": (simp.encode("utf-32"), "utf-32", simp),
        "utf-16-le-no-bom": (simp.encode("utf-16-le"), "utf-16-le", simp),
    }
