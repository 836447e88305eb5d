"""The edges of a page: its head and tail chrome, told by shape and position (issue 12).

A page from a site no profile knows, cleaned on its own, has no repetition to
learn its template from (:mod:`cleaners.structure.furniture`). What it has is
jusText's evidence: each line's shape (length, sentence punctuation, separators
between short tokens, digits, dates, IDs and URLs) and its place. The article
is the run of prose lines (:func:`~cleaners.structure.shapes.is_prose_line`);
the page's chrome sits before it and after it:

* **head** (before the first prose line): above the title line every line is
  the page's (banner, navigation, breadcrumb, welcome bar), headings and
  salutations aside; between the title and the prose only the lines shaped like
  widgets, fields or counters go (a byline, a date, ``编辑 | 讨论 | 历史``); a
  plain line of words there may be a subtitle and stays. Without a title line,
  only those shaped lines go.
* **tail** (after the last prose line): the article may close with short lines
  of its own, and they stay: sentences (``特此通知。``, ``谢谢大家！``), list items, a
  sign-off (a name above a date: the issuing body, ``此致`` above ``敬礼！``), a
  verse of three short plain lines or more. Up to the tail's last sentence only
  lines shaped like the page's go (a widget left between paragraphs); after it,
  the first line that closes nothing starts the page's footer, and every line
  from there on goes.
* **between** prose lines only rows of short links parted by bars
  (``首页 | 关于我们 | 联系我们``) go: a short line there is a heading, a list
  item or a line of dialogue.

A line of prose the site writes about itself (``特别声明：…``, a reprint or
disclaimer sentence: mostly the words of ``data/furniture.toml``) is no
prose at the edges. A page without a line of prose (a poem, a list) is left as
it is. Lines go whole, leaving an empty line, as other removals do.
"""

from __future__ import annotations

import re

from cleaners.chinese import HAN
from cleaners.matching.fold import compact, fold
from cleaners.structure.shapes import (
    HANZI_SPACE_HANZI,
    crumb_segments,
    has_cjk,
    is_field_line,
    is_heading,
    is_nav_line,
    is_prose_line,
    is_salutation,
    is_sentence,
    is_structure,
    title_forms,
)

# The marks other stages leave in the text (a gap, the end of a collection's page head): noncharacters.
MARKER = re.compile("[\ufdd0-\ufdef]")
# Share of a prose line's hanzi that are the site's words (data/furniture.toml) above which the line is the
# site talking, at the edges of a page: a reprint notice scores 0.42, an FAQ line naming its web page 0.22.
EDGE_CUE_SHARE = 0.3
VERSE_LINES = 3  # a run of this many short plain lines after the prose is a verse, not a footer
PLAIN_MAX = 30
BAR_ROW = re.compile(r"\s*[|｜]\s*")
TOKEN_SPLIT = re.compile(r"[\s|｜·/]+")
WIDGET_TOKEN_MAX = 6
BRACKET_BUTTON = re.compile(r"[【\[][^】\]]{1,8}[】\]]")
URL = re.compile(r"https?://|www\.|\.(?:com|cn|net|org|html?)\b|@\w+\.", re.I)
LONG_NUMBER = re.compile(r"\d{5,}|\d{3,4}-\d{3,}")  # IDs, counters, phones: a year is no ID
ASCII_ID = re.compile(r"[A-Za-z_]+\d+|\d+[A-Za-z_]+")
MARKS = re.compile(r"©|\(c\)|®|™", re.I)
LABEL_VALUE = re.compile(f"^[{HAN}]{{2,6}}:\\s*(.+)$")
# A date alone on its line, as a sign-off dates a notice: 2024年6月1日, 二〇二四年六月一日, (2024-06-01).
DATE_ONLY = re.compile(
    r"^[(]?(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)[)]?$"
)
BRACKETED = re.compile(f"^[(][^()]*[{HAN}][^()]*[)]$")
SUBTITLE = re.compile(r"^(?:——|--|—)")  # a line opening with a dash: the subtitle under a title
PLAIN = re.compile(f"^[{HAN},、。!?;:“”‘’《》]+$")


def strip_edges(text: str, titles: tuple[str | None, ...], head: bool = True, tail: bool = True,
                site: str | None = None) -> tuple[str, list[str]]:
    """``text`` without the chrome of its head (``head``) and tail (``tail``) and the bar rows between its prose.

    ``titles`` are the article's and the page's titles, as far as known: the head is read around the line
    that shows one of them; ``site`` is the page's name, as far as known (a line naming it is no title).

    Returns the new text and the lines removed; the text is unchanged when it holds no prose line.
    """
    lines = text.split("\n")
    prose = prose_lines(lines)
    if not prose:
        return text, []
    drop = set(bar_rows(lines, prose[0], prose[-1]))
    if head:  # the article has begun at its salutation (同志们：), whatever the lines under it look like
        end = next((i for i in range(prose[0]) if is_salutation(lines[i])), prose[0])
        drop.update(head_chrome(lines[:end], lines[end], titles, site))
    if tail:
        drop.update(prose[-1] + 1 + i for i in tail_chrome(lines[prose[-1] + 1:]))
    drop = {i for i in drop if lines[i].strip() and not MARKER.search(lines[i])}
    if not drop:
        return text, []
    removed = [lines[i].strip() for i in sorted(drop)]
    return "\n".join("" if i in drop else line for i, line in enumerate(lines)), removed


def prose_lines(lines: list[str]) -> list[int]:
    """Indexes of the article's prose lines: the site's own notices at either end are no prose."""
    prose = [i for i, line in enumerate(lines) if is_prose_line(line)]
    while prose and site_talk(lines[prose[-1]]):
        prose.pop()
    while prose and site_talk(lines[prose[0]]):
        prose.pop(0)
    return prose


def talks_to_reader(line: str) -> bool:
    """A sentence holding the site's words (``喜欢这篇文章？分享给朋友吧！``): past a widget, the page's."""
    from cleaners.structure.furniture import furniture_config, holds_cue

    return site_talk(line) or holds_cue(line, furniture_config())


def site_talk(line: str) -> bool:
    """A line in which the site talks about itself: labelled as its notice, or mostly its words."""
    from cleaners.structure.furniture import cue_share, furniture_config, labelled_by_site  # it imports chrome

    config = furniture_config()
    return labelled_by_site(line, config) or cue_share(line, config) >= EDGE_CUE_SHARE


def head_chrome(lines: list[str], prose: str, titles: tuple[str | None, ...], site: str | None = None) -> list[int]:
    """Indexes of the head's chrome (``lines``, above the first line of ``prose``).

    Above the title line: every line but headings. Below it: every line but sentences, headings, a
    ``——`` subtitle and verses (a short line left there is taken as the title when the record is
    cleaned again). With no title line, the title is the line ``strip_chrome`` will take (the first that
    is not shaped like the page's, :func:`title_to_take`); with none either, only the shaped lines go.
    """
    at = max((i for title in titles if (i := title_line(lines, title)) is not None), default=None)
    if at is None:
        shaped = [i for i, line in enumerate(lines) if line.strip() and is_chrome_shaped(line)]
        at = title_to_take(lines, prose, set(shaped), site)
        if at is None:
            return shaped + above_breadcrumb(lines, set(shaped))
    filled = [i for i, line in enumerate(lines) if line.strip() and i != at]
    verse = verse_lines([lines[i] for i in filled])
    return [i for n, i in enumerate(filled)
            if not (is_structure(lines[i], numbered=True) or (i > at and (n in verse or stays_under_title(lines[i]))))]


def above_breadcrumb(lines: list[str], shaped: set[int]) -> list[int]:
    """With no title known, the lines above the head's last breadcrumb but headings: a banner, a channel name.

    >>> above_breadcrumb(["新闻动态", "位置:首页 > 新闻动态"], {1})
    [0]
    """
    crumbs = [i for i in shaped if crumb_segments(lines[i].strip()) is not None]
    if not crumbs:
        return []
    return [i for i in range(max(crumbs)) if i not in shaped and lines[i].strip() and not is_structure(lines[i], numbered=True)]


def title_to_take(lines: list[str], prose: str, shaped: set[int], site: str | None) -> int | None:
    """The first line of the head not shaped like the page's, when ``strip_chrome`` will take it as the
    title once the shaped lines above it are gone (:func:`~cleaners.structure.chrome.is_title_above`)."""
    from cleaners.structure.chrome import is_title_above  # chrome calls this module

    rest = [i for i, line in enumerate(lines) if line.strip() and i not in shaped]
    if not rest:
        return None
    below = next((line for line in lines[rest[0] + 1:] if line.strip()), prose)
    if crumb_segments(below.strip()) is not None:  # breadcrumbs stand above a title: this is a banner or channel
        return None
    following = lines[rest[1]] if len(rest) > 1 else prose
    return rest[0] if is_title_above(lines[rest[0]], following, site) else None


# A count a widget glues after a paragraph's last mark (a novel site's comments on that paragraph: ``…“对面”。37``).
GLUED_COUNT = re.compile(r"(?<=[。！？!?…”’」』])\d{1,5}$")


def stays_under_title(line: str) -> bool:
    """A line below the title that is the article's: a sentence (``问：…？``), a ``——`` subtitle; a
    sentence with a count glued after its end too."""
    text = GLUED_COUNT.sub("", fold(line.strip()))
    return is_sentence(text, open_ends=True) or (SUBTITLE.match(text) is not None and not is_chrome_shaped(text[2:]))


def verse_lines(lines: list[str]) -> set[int]:
    """Positions of the lines that belong to a run of ``VERSE_LINES`` short plain lines or more."""
    found: set[int] = set()
    n = 0
    while n < len(lines):
        run = verse_run(lines[n:])
        found.update(range(n, n + run))
        n += run or 1
    return found


def title_line(lines: list[str], title: str | None) -> int | None:
    """The last line of the head that is the title (or the first segment of a ``标题_栏目_网站`` title)."""
    if not title:
        return None
    forms = title_forms(title)
    return next((i for i in range(len(lines) - 1, -1, -1) if compact(lines[i]) in forms), None)


def tail_chrome(lines: list[str]) -> list[int]:
    """Indexes of the tail's chrome.

    Up to the tail's last sentence in words of its own (short paragraphs after a widget left
    between them and the long ones; a sentence in the site's words there is the page's) only the
    lines shaped like the page's go; after it, every line from the first that does not close the
    article.
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    sentences = [n for n, i in enumerate(filled) if is_sentence(lines[i], open_ends=True) and not talks_to_reader(lines[i])]
    inner = sentences[-1] + 1 if sentences else 0
    drop = [i for i in filled[:inner] if is_chrome_shaped(lines[i])]
    rest = filled[inner:]
    return drop + rest[closing_lines([lines[i] for i in rest]):]


def closing_lines(lines: list[str]) -> int:
    """How many of the lines after the prose (empty ones aside) are the article's own close."""
    n = 0
    while n < len(lines):
        line = lines[n]
        verse = verse_run(lines[n:])
        if verse:
            n += verse
        elif closes_article(line) or (is_plain(line) and n + 1 < len(lines) and signs_off(lines[n + 1])):
            n += 1
        else:
            break
    return n


def closes_article(line: str) -> bool:
    """A sentence, a list item or a heading, a date alone, a note in brackets, a line of code: the article's
    words after its last paragraph (``（资料来源：参考消息、海外网等）``; ``（责任编辑：李娜）`` is a field, the page's)."""
    return (is_sentence(line, open_ends=True) and not site_talk(line) or is_structure(line, numbered=True) or is_date_only(line)
            or is_bracketed_note(line) or is_code(line))


def is_code(line: str) -> bool:
    """A line without hanzi that is not shaped like the page's: a command, a formula, a line of code.

    >>> is_code("apt-get update"), is_code("Powered by Discuz! X3.4"), is_code("Copyright © 2024")
    (True, False, False)
    """
    text = line.strip()
    return bool(text) and not has_cjk(text) and re.search(r"[A-Za-z]", text) is not None and not is_chrome_shaped(text)


def is_bracketed_note(line: str) -> bool:
    """
    >>> is_bracketed_note("（实习生王金茹对此文亦有贡献）"), is_bracketed_note("（责任编辑：李娜）")
    (True, False)
    """
    text = fold(line.strip())
    return BRACKETED.match(text) is not None and not is_field_line(text) and not site_talk(text)


def signs_off(line: str) -> bool:
    """The line under a sign-off name: a date, or a short closing sentence (``敬礼！``)."""
    return is_date_only(line) or (is_sentence(line, open_ends=True) and not site_talk(line))


def verse_run(lines: list[str]) -> int:
    """The number of short plain lines at the start of ``lines`` when they are ``VERSE_LINES`` or more.

    A run headed by a line in the site's words (``往期推荐``, ``相关阅读``) is a list of links, no verse.
    """
    from cleaners.structure.furniture import furniture_config, holds_cue

    if lines and holds_cue(lines[0], furniture_config()):
        return 0
    n = 0
    while n < len(lines) and is_plain(lines[n]) and not is_structure(lines[n], numbered=True):
        n += 1
    return n if n >= VERSE_LINES else 0


def is_plain(line: str) -> bool:
    """Words alone: hanzi and Chinese punctuation, short, no space, digit, letter, separator or symbol."""
    text = fold(line.strip())
    return 2 <= len(text) <= PLAIN_MAX and PLAIN.match(text) is not None


def is_date_only(line: str) -> bool:
    """
    >>> is_date_only("2024年6月1日"), is_date_only("二〇二四年六月一日"), is_date_only("最近更新：2023-06-01")
    (True, True, False)
    """
    return DATE_ONLY.match(re.sub(r"\s+", "", fold(line.strip()))) is not None


def is_chrome_shaped(line: str) -> bool:
    """A line shaped like the page's, not the article's: fields, dates and counters, rows of links or
    buttons, URLs, IDs and long numbers, marks of rights; never a sentence, a heading or a subtitle.

    >>> is_chrome_shaped("编辑 | 讨论 | 历史"), is_chrome_shaped("本资料由会员 jiaoshi00 上传")
    (True, True)
    >>> is_chrome_shaped("文章标签：linux 运维"), is_chrome_shaped("预约挂号　在线问诊　报告查询")
    (True, True)
    >>> is_chrome_shaped("——记一位乡村教师的三十年"), is_chrome_shaped("最新版本的安装指南：参见 https://a.org/b。")
    (False, False)
    >>> is_chrome_shaped("专访：一位老教师的三十年"), is_chrome_shaped("第一章 总则")
    (False, False)
    """
    stripped = line.strip()
    text = fold(stripped)
    if not text or is_sentence(text, open_ends=True) or is_structure(text, numbered=True) or SUBTITLE.match(text):
        return False
    if is_field_line(text) or is_nav_line(text) or crumb_segments(text) is not None or is_widget_row(text):
        return True
    if URL.search(text) or MARKS.search(text) or LONG_NUMBER.search(text) or ASCII_ID.search(text):
        return True
    if len(BRACKET_BUTTON.findall(text)) >= 2:
        return True
    label = LABEL_VALUE.match(text)
    return label is not None and re.search(r"[A-Za-z0-9]", label.group(1)) is not None


def is_widget_row(text: str) -> bool:
    """Two short tokens or more parted by spaces between hanzi or by bars: buttons, not a sentence.

    >>> is_widget_row("回复 支持 反对"), is_widget_row("一键三连　打赏作者"), is_widget_row("Debian 软件包管理入门")
    (True, True, False)
    """
    if not (HANZI_SPACE_HANZI.search(text) or BAR_ROW.search(text)):
        return False
    tokens = [t for t in TOKEN_SPLIT.split(text) if t]
    return len(tokens) >= 2 and all(len(t) <= WIDGET_TOKEN_MAX for t in tokens)


def bar_rows(lines: list[str], first: int, last: int) -> list[int]:
    """Rows of three short links or more parted by bars between the first and last prose lines.

    >>> bar_rows(["甲。", "首页 | 关于我们 | 联系我们", "一、总则", "乙。"], 0, 3)
    [1]
    """
    drop = []
    for i in range(first + 1, last):
        text = fold(lines[i].strip())
        if text.count("|") + text.count("｜") < 2:  # three parts need two bars: most lines have none
            continue
        parts = [p for p in BAR_ROW.split(text) if p]
        if len(parts) >= 3 and all(len(p) <= 12 for p in parts) and not is_sentence(text, open_ends=True) and not is_heading(text):
            drop.append(i)
    return drop
