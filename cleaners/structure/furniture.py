"""Page furniture learnt by repetition: what recurs on many pages of one site is its template.

CCNet and MassiveText find boilerplate by counting: a line that many pages of
a crawl share is not any one page's content. Here the pages are grouped by
where they come from (:func:`group_of`: the host of ``source_url``; pages of
unknown origin form one group of their own), each page's short lines are
counted once under a key that ignores what changes from page to page
(:func:`line_key`: digits, counters and dates folded to ``0``, the page's own
title folded to ``《T》``, width, script and spacing), and a record then loses
the lines that

* recur on at least ``pages`` pages of its group (``pages_with_cue`` when the
  line also holds a word a site uses about itself: ``data/furniture.toml``),
* are not prose: not a line of running text, unless the cue word says the site
  is talking (``本文转载自网络,版权归原作者所有…``), and never a salutation, a
  heading or a collection header,
* and sit where furniture sits: in the head or the tail of the record (before
  its first or after its last line of prose that is not itself furniture), or
  inside it as a short block that holds a cue word (an inline advert). A line
  that recurs inside the prose without a cue (a refrain, a slogan quoted in
  the article) is kept.

A line is removed whole, never a sentence of it. Pure functions; the counts are
kept with the output by :mod:`ingest.furniture_store`, which applies this to a
staged batch (:mod:`ingest.furniture_pass`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from cleaners.matching.fold import compact, fold
from cleaners.model import Metadata
from cleaners.structure.chrome import take_title
from cleaners.structure.gaps import GAP_MARK
from cleaners.structure.shapes import cjk_count, is_body_line, is_sentence, is_structure

UNKNOWN_GROUP = ""  # pages whose origin the batch does not say
TITLE_TOKEN = "《T》"
MIN_TITLE_CHARS = 4
MIN_PROSE_HANZI = 8  # with a sentence or clause end, a line this long is words of the article
CLAUSE_END = ",;、:"  # on the folded shadow
SITE_LABEL = re.compile(r"^[【\[(]?([^\s:,。!?]{2,6})[】\])]?:")
DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")
CHINESE = "zh"  # the rules judge Chinese lines: records in other languages are neither counted nor changed


@dataclass(frozen=True)
class FurnitureConfig:
    pages: int = 3
    pages_with_cue: int = 2
    max_chars: int = 120
    prose_cue_share: float = 0.2
    cues: tuple[str, ...] = ()


@cache
def furniture_config() -> FurnitureConfig:
    """The thresholds and cue words of ``data/furniture.toml``."""
    data = tomllib.loads(resources.files("cleaners.data").joinpath("furniture.toml").read_text("utf-8"))
    limits = data["thresholds"]
    return FurnitureConfig(pages=int(limits["pages"]), pages_with_cue=int(limits["pages_with_cue"]),
                           max_chars=int(limits["max_chars"]), prose_cue_share=float(limits["prose_cue_share"]),
                           cues=tuple(data["cues"]["words"]))


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


def group_of(source_url: str | None) -> str:
    """The group a page's lines are counted in: the host of its URL (``www.`` aside), or the unknown group.

    >>> group_of("https://www.Example.com/a/1.html"), group_of(None)
    ('example.com', '')
    """
    if not source_url:
        return UNKNOWN_GROUP
    try:
        host = (urlsplit(source_url.strip()).hostname or "").lower()
    except ValueError:
        return UNKNOWN_GROUP
    return host.removeprefix("www.")


def line_key(line: str, title: str | None = None, max_chars: int = 120) -> str | None:
    """What a line counts as: its folded shadow without spaces, numbers as ``0``, the page title as ``《T》``.

    None for a line never counted: empty, a gap mark, or longer than ``max_chars``.

    >>> line_key("阅读(101) 评论(2)") == line_key("閱讀（102）　評論（3）")
    True
    >>> line_key("以下是小编整理的关于本文档的说明,欢迎阅读。", "关于本文档的说明")
    '以下是小编整理的《T》,欢迎阅读。'
    """
    stripped = line.strip()
    if not stripped or GAP_MARK in stripped or len(stripped) > max_chars:
        return None
    key = compact(stripped)
    if title:
        folded_title = compact(title)
        if len(folded_title) >= MIN_TITLE_CHARS:
            key = key.replace(folded_title, TITLE_TOKEN)
    return DIGITS.sub("0", key)


def line_keys(text: str, title: str | None, max_chars: int = 120) -> list[str | None]:
    """The :func:`line_key` of each line of a record's ``text``, in order."""
    return [line_key(line, title, max_chars) for line in text.split("\n")]


def page_keys(texts: Iterable[tuple[str, str | None]], max_chars: int = 120) -> set[str]:
    """The distinct line keys of one page, from the ``(text, title)`` of each of its records."""
    keys: set[str] = set()
    for text, title in texts:
        keys.update(key for key in line_keys(text, title, max_chars) if key is not None)
    return keys


def count_pages(pages: Iterable[tuple[str, set[str]]]) -> dict[str, Counter[str]]:
    """Per group, on how many pages each key occurs: ``pages`` gives each page's group and keys."""
    counts: dict[str, Counter[str]] = {}
    for group, keys in pages:
        counts.setdefault(group, Counter()).update(keys)
    return counts


def holds_cue(line: str, config: FurnitureConfig) -> bool:
    return bool(config.cues) and _cue_pattern(config.cues).search(fold(line)) is not None


def reads_as_prose(line: str) -> bool:
    """A sentence, or words up to a clause or sentence end (``实。二要持续强化思想引领。广泛开展``,
    ``以及用于它们的各种相关的程序、模块和库,``): the article's words."""
    text = fold(line.strip())
    if is_sentence(text):
        return True
    return cjk_count(text) >= MIN_PROSE_HANZI and (text[-1] in CLAUSE_END or any(m in text[:-1] for m in "。!?"))


def is_furniture_line(line: str, pages: int, config: FurnitureConfig) -> bool:
    """Recurs often enough and is not prose, or talks like a site (position is checked apart).

    Prose needs ``pages`` pages and a ``prose_cue_share`` of cue words (a reprint or
    disclaimer sentence is mostly the site's words; a paragraph of an article that
    mentions 阅读 or 下载 is not); any other line ``pages_with_cue`` pages with a cue
    word, ``pages`` without.
    Salutations and headings never are furniture.
    """
    stripped = line.strip()
    if not stripped or pages < config.pages_with_cue:
        return False
    return judged_recurring(stripped, pages >= config.pages, config)


@lru_cache(maxsize=1 << 14)
def judged_recurring(stripped: str, enough_pages: bool, config: FurnitureConfig) -> bool:
    """:func:`is_furniture_line` for a stripped line on at least ``pages_with_cue`` pages, ``enough_pages``
    when on ``pages`` too: all the judgement depends on, so it is made once per line of a batch (the
    same lines recur on its pages: that is why they are asked)."""
    if is_structure(stripped):
        return False
    if is_body_line(stripped) or reads_as_prose(stripped):
        return enough_pages and (cue_share(stripped, config) >= config.prose_cue_share
                                 or labelled_by_site(stripped, config))
    return enough_pages or holds_cue(stripped, config)


def labelled_by_site(line: str, config: FurnitureConfig) -> bool:
    """A line the site labels as its own notice: a short label with a cue word, then a colon.

    >>> labelled_by_site("特别声明:以上内容为用户上传并发布,本平台仅提供信息存储服务。", furniture_config())
    True
    >>> labelled_by_site("例如:要查看“ls”命令的手册页,请运行 man ls。", furniture_config())
    False
    """
    match = SITE_LABEL.match(fold(line.strip()))
    return match is not None and holds_cue(match.group(1), config)


def cue_share(line: str, config: FurnitureConfig) -> float:
    """The share of a line's hanzi that are cue words: how much of it is the site talking.

    >>> round(cue_share("温馨提示:本资料仅供参考,请下载后阅读完整内容。", furniture_config()), 2)
    0.57
    >>> round(cue_share("如果您不能在本 FAQ 中找到您想找到的问题解答,请阅读第 12.1 节。", furniture_config()), 2)
    0.08
    """
    if not config.cues:
        return 0.0
    text = fold(line)
    cued = sum(cjk_count(m.group()) for m in _cue_pattern(config.cues).finditer(text))
    return cued / max(1, cjk_count(text))


def furniture_lines(lines: list[str], title: str | None, counts: Mapping[Any, int],
                    config: FurnitureConfig, keys: Sequence[Hashable | None] | None = None) -> list[int]:
    """Indexes of the lines of one record that are furniture, by repetition and position.

    A line next to a recurring line of prose without a cue word is part of a copied
    text (the same article on several pages: the duplicate marks' business), not of a
    template: it stays. A refrain kept inside the prose is kept wherever else the record
    says it (the slogan that closes a speech just before its last lines). ``keys``: the lines'
    :func:`line_keys` when they are known already (made in the chunk worker), or any one-to-one
    stand-in for them that ``counts`` is keyed by (the flow's 64-bit pair keys).
    """
    if keys is None:
        keys = [line_key(line, title, config.max_chars) for line in lines]
    pages = [counts.get(key, 0) if key is not None else 0 for key in keys]
    # Below pages_with_cue pages a line is never furniture (is_furniture_line): those are not asked, and a
    # record with no eligible line loses none.
    eligible = [n >= config.pages_with_cue and is_furniture_line(line, n, config)
                for line, n in zip(lines, pages, strict=True)]
    if not any(eligible):
        return []
    copied = [n >= 2 and is_body_line(line.strip()) and not holds_cue(line, config)
              for line, n in zip(lines, pages, strict=True)]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for before, i, after in zip([None, *filled[:-1]], filled, [*filled[1:], None], strict=True):
        if eligible[i] and any(j is not None and copied[j] for j in (before, after)):
            eligible[i] = False
    prose = [i for i, line in enumerate(lines) if not eligible[i] and is_body_line(line.strip())]
    if not prose:  # no prose to stand beside: only lines that say they are the site's
        return [i for i, line in enumerate(lines) if eligible[i] and holds_cue(line, config)]
    first, last = prose[0], prose[-1]
    signed = sign_off(lines, last)
    drop = [i for i, line in enumerate(lines)
            if eligible[i] and i not in signed and (i < first or i > last or is_block_outside_prose(line, config))]
    refrains = {keys[i] for i, line in enumerate(lines) if eligible[i] and i not in drop and not holds_cue(line, config)}
    return [i for i in drop if keys[i] not in refrains]


def sign_off(lines: list[str], last: int) -> set[int]:
    """The lines right after the last prose line that sign the article off: the issuing body's name
    (one line or a few, plain words) over a date alone. A site's notices are all signed by the same
    office, so the name recurs like furniture, but it is the article's.

    >>> sorted(sign_off(["特此通知。", "", "梅林县人民政府办公室", "2023年9月1日", "网站地图"], 0))
    [2, 3]
    """
    from cleaners.structure.edges import is_date_only, is_plain

    names: list[int] = []
    for i in range(last + 1, len(lines)):
        if not lines[i].strip():
            continue
        if is_date_only(lines[i]):
            return {*names, i} if names else set()
        if not is_plain(lines[i]) or len(names) == 3:
            return set()
        names.append(i)
    return set()


def is_block_outside_prose(line: str, config: FurnitureConfig) -> bool:
    """A short recurring line inside the text that is not part of it: it talks like the site
    (``点击查看更多精彩内容``) or opens with a pictograph (``▲ 图片由品牌中心提供``), and is no sentence.

    A recurring line of words alone (a refrain, a slogan) is the article's.
    """
    stripped = line.strip()
    if is_body_line(stripped) or is_sentence(stripped):
        return False
    return holds_cue(stripped, config) or unicodedata.category(stripped[0]) in ("So", "Sm")


def strip_furniture(text: str, title: str | None, counts: Mapping[Any, int],
                    config: FurnitureConfig | None = None,
                    keys: Sequence[Hashable | None] | None = None) -> tuple[str, list[str], dict[int, int]]:
    """``text`` without its furniture lines: the new text, the lines removed, and old → new offsets."""
    config = config or furniture_config()
    lines = text.split("\n")
    drop = furniture_lines(lines, title, counts, config, keys)
    if not drop:
        return text, [], {}
    new_text, offsets = without_lines(text, set(drop))
    return new_text, [lines[i].strip() for i in drop], offsets


def without_lines(text: str, drop: set[int]) -> tuple[str, dict[int, int]]:
    """``text`` without the lines ``drop``, and where the start of each kept line (and the end) went.

    Blank lines left doubled (or at either end) by a removal go with it. The
    offset map covers the start of every kept line and the end of the text
    (``len(text)``), the places a gap offset points at.

    >>> without_lines("甲\\n\\n乙\\n\\n丙", {2})
    ('甲\\n\\n丙', {0: 0, 2: 2, 6: 3, 7: 4})
    """
    lines = text.split("\n")
    kept: list[tuple[int, str]] = []  # (old start, line)
    start = 0
    for i, line in enumerate(lines):
        if i not in drop and not (not line.strip() and (not kept or not kept[-1][1].strip())):
            kept.append((start, line))
        start += len(line) + 1
    while kept and not kept[-1][1].strip():
        kept.pop()
    offsets, position = {}, 0
    for old, line in kept:
        offsets[old] = position
        position += len(line) + 1
    new_text = "\n".join(line for _, line in kept)
    offsets[len(text)] = len(new_text)
    return new_text, offsets


def title_after_furniture(text: str) -> tuple[str | None, set[int]]:
    """The title the chrome stage finds at the top of a text whose furniture is gone, and its lines.

    A banner above the title hid it from :func:`cleaners.structure.chrome.take_title`;
    without the banner the title line is the first line again.
    """
    meta, blanked, _ = take_title(Metadata(), text)
    if meta.title is None:
        return None, set()
    before, after = text.split("\n"), blanked.split("\n")
    return meta.title, {i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}


def moved_offset(offset: int, offsets: dict[int, int], new_length: int) -> int:
    """Where ``offset`` of the old text lands: at the next kept line's start, or at the end."""
    if offset in offsets:
        return offsets[offset]
    later = [old for old in offsets if old >= offset]
    return offsets[min(later)] if later else new_length
