"""Clean Chinese prose to damage, and what the samples tell about the damage.

The prose comes from two real sources:

* the Debian FAQ in Simplified Chinese (``debian-faq.zh-cn.txt.gz``, the Debian
  package ``debian-faq-zh-cn``), its hard-wrapped paragraphs rejoined;
* the prose of the five sample pages: their paragraphs without chrome lines,
  pinyin annotations removed, lines with mojibake (a ``?`` beside hanzi)
  dropped, converted to Simplified.

The pinyin dictionaries are the two site dictionaries the samples reveal
(ARTIFACTS §1.1: 46 characters in 002, 74 in 003, one fixed reading each).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from cleaners.chinese import CJK_SYMBOLS, HAN_BASIC, PROSE_PUNCTUATION, WIDTH_FORMS_BLOCK

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "raw" / "samples"
DEBIAN_FAQ = Path("/work/debian-faq-zh-cn/usr/share/doc/debian/FAQ/debian-faq.zh-cn.txt.gz")

HANZI = re.compile(f"[{HAN_BASIC}]")
# A line of the samples with a question mark or a character that plain Chinese prose does not write.
NOT_PLAIN_CHINESE = re.compile(f"\\?|[^\\x00-\\x7f{HAN_BASIC}{CJK_SYMBOLS}{WIDTH_FORMS_BLOCK}{PROSE_PUNCTUATION}×]")
PINYIN_ANNOTATION = re.compile(rf"([{HAN_BASIC}])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")
# Lines of the samples that are page chrome or notices, not prose (ARTIFACTS §4).
CHROME = re.compile(r"目录/提纲|新文秘网|收藏《|未完,全文共|預覽|预览结束|请点击|相关阅读|最近更新|妙笔智库|時間|小編|"
                    r"文件格式|您可能關注|^- |篇[一二三四五六七八九十]$|【篇\d+】|【精選|學習啦|^\d+$")


@dataclass(frozen=True)
class Prose:
    paragraphs: tuple[str, ...]  # Simplified
    titles: tuple[str, ...]
    headings: tuple[str, ...]  # short heading-like lines (outline items)


def hanzi_share(text: str) -> float:
    return len(HANZI.findall(text)) / max(1, len(text))


def faq_paragraphs(path: Path = DEBIAN_FAQ) -> tuple[list[str], list[str]]:
    """Paragraphs (rejoined) and question titles of the Debian FAQ."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8").replace("\xa0", " ")
    paragraphs, titles, current = [], [], []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(join_wrapped(current))
                current = []
            continue
        if re.match(r"^\d+(\.\d+)+\.\s", stripped) and not line.startswith(" ") and stripped.endswith(("？", "?")):
            titles.append(re.sub(r"^\d+(\.\d+)+\.\s*", "", stripped))
            continue
        current.append(stripped)
    good = [p for p in paragraphs if len(p) >= 30 and hanzi_share(p) >= 0.4 and "(https://" not in p[:20]]
    return good, titles


def join_wrapped(lines: list[str]) -> str:
    """Rejoin hard-wrapped lines: no space between two hanzi, one space otherwise."""
    out = lines[0]
    for line in lines[1:]:
        if HANZI.match(out[-1:]) or HANZI.match(line[:1]) or out[-1:] in "，。、；：？！“”（）":
            out += line
        else:
            out += " " + line
    return out


def sample_paragraphs() -> tuple[list[str], list[str], list[str]]:
    """Prose paragraphs, titles and outline headings of the samples, in Simplified."""
    t2s = opencc.OpenCC("t2s.json")
    paragraphs, headings = [], []
    for path in sorted(SAMPLES.iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = PINYIN_ANNOTATION.sub(r"\1", line.strip())
            if not line or CHROME.search(line) or re.search(NOT_PLAIN_CHINESE, line):
                continue
            line = full_width(t2s.convert(line))
            if len(line) <= 20 and hanzi_share(line) > 0.6:
                headings.append(line)
            elif len(line) > 40:
                paragraphs.append(line)
    titles = ["在全县工会工作先进单位(个人)表彰大会上的讲话", "在2025年区总工会专题会议上的讲话",
              "市委工会工作会议讲话内容", "2023工会代表大会领导讲话稿",
              "在工会“践行宗旨为民造福”专题学习研讨交流会上的讲话"]
    return paragraphs, titles, headings


HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})


def full_width(line: str) -> str:
    """Undo the samples' half-width punctuation where it touches hanzi (ARTIFACTS §8), for clean prose."""
    return re.sub(f"(?<=[{HAN_BASIC}”])[,:;?!]|[,:;?!](?=[{HAN_BASIC}“])",
                  lambda m: m.group(0).translate(HALF_TO_FULL), line)


@lru_cache(maxsize=1)
def prose() -> Prose:
    faq, faq_titles = faq_paragraphs()
    samples, sample_titles, headings = sample_paragraphs()
    return Prose(tuple(faq + samples), tuple(faq_titles + sample_titles), tuple(headings))


@lru_cache(maxsize=1)
def pinyin_dictionaries() -> tuple[dict[str, str], ...]:
    """The two sites' character → reading dictionaries, as the samples 002 and 003 show them."""
    dictionaries = []
    for prefix in ("002", "003"):
        (path,) = SAMPLES.glob(f"{prefix}_*")
        dictionary: dict[str, str] = {}
        for char, reading in PINYIN_ANNOTATION.findall(path.read_text(encoding="utf-8")):
            dictionary.setdefault(char, reading)
        dictionaries.append(dictionary)
    return tuple(dictionaries)


if __name__ == "__main__":
    p = prose()
    print(f"{len(p.paragraphs)} paragraphs, {sum(map(len, p.paragraphs))} chars; "
          f"{len(p.titles)} titles; {len(p.headings)} headings; "
          f"dictionaries of {[len(d) for d in pinyin_dictionaries()]} characters")
    for para in p.paragraphs[:3] + p.paragraphs[-3:]:
        print("-", para[:100])
