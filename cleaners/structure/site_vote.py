"""Which site a page comes from when no profile knows it: the name its furniture agrees on.

A person reads the site's name where sites print it: the banner at the top
(``南方视点网 - 有温度的新闻``, ``欢迎访问…官网！``), the copyright footer
(``版权所有 X``, ``© 2024 X``), ``主办单位：X``, the root of the breadcrumb,
``来源：X``, the name before an ICP number and, on an HTML page, the segments
after the title in ``<title>``. Each of these positions names a
candidate (:func:`~cleaners.structure.names.site_name` strips greetings, slogans
and ``门户网站``); the candidates vote, and a name wins only when the positions
agree (a copyright or ``主办`` line counts twice: it is the owner speaking).
A shorter name that a longer candidate starts with gets that candidate's vote
too: ``青山大学新闻网`` and ``© 青山大学`` agree on ``青山大学``, ``主办：江宁市人民政府办公室``
and the banner ``江宁市人民政府门户网站`` on ``江宁市人民政府``. Nothing agrees: no site
(null rather than wrong). Profiles come first: a page a profile knows has its site already.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from cleaners.chinese import HAN_BASIC
from cleaners.matching.fold import fold
from cleaners.matching.needles import needle_screen
from cleaners.structure.names import SEPARATORS, SITE_LIKE, SOFTWARE, site_name, title_segments
from cleaners.structure.shapes import crumb_segments, is_body_line, is_field_line, is_nav_line

NAME = r"[^\s|,:;()\[\]【】<>/]{2,30}"
YEAR = r"(?:(?:19|20)\d{2}\s*(?:[-–~]\s*(?:19|20)?\d{2,4})?\s*)"
# The owner speaking: copyright and "who runs this site" lines (weight 2).
OWNER = (
    re.compile(rf"版权所有\s*:?\s*(?:©|\([Cc]\))?\s*{YEAR}?(?P<name>{NAME})"),
    re.compile(rf"(?:Copyright|©|\([Cc]\))\s*(?:©|\([Cc]\))?\s*{YEAR}?(?P<name>{NAME})", re.I),
    re.compile(rf"(?P<name>{NAME})\s*(?:版权所有|All\s+Rights\s+Reserved)", re.I),
    re.compile(rf"主办(?:单位)?\s*:\s*(?P<name>{NAME})"),
    # The name before the mark or the verb: 鑫源集团 © 保留所有权利, 云山市人民政府办公厅 主办.
    re.compile(rf"(?P<name>{NAME})\s*(?:©|\([Cc]\))"),
    re.compile(rf"(?P<name>{NAME})\s*主办(?:单位)?\s*$"),
)
# Other positions that name a site (weight 1): where the text came from, whose licence number the page shows.
SOURCE = (re.compile(rf"(?:^|\s)(?:来源|信息来源|文章来源|稿件来源|稿源)\s*:\s*(?P<name>{NAME})"),)
ICP = (re.compile(rf"(?P<name>{NAME})\s*[{HAN_BASIC}]?ICP[备证]"),)
# A line none of whose needles this finds names no site by its owner, source or ICP patterns.
NAMED = needle_screen(OWNER + SOURCE + ICP)
# Names of the bodies that run sites: companies, schools, governments.
ORGANISATION = re.compile(r"(?:公司|集团|大学|学院|学校|中学|小学|政府|委员会|协会|学会|研究院|研究所|医院)$")
# Other words a site calls itself by (学习资料站, 范文库, 程序员之家), but not the stations of the world (车站, 工作站).
SITE_SELF = re.compile(r"(?<![车油电作间务基象测查费助转给东南西北])站$|(?:文库|范文库|题库|资料库|资源库|之家)$")
TITLE_ELEMENT = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
TITLE_SCAN = 65536  # the <title> sits in the head: the first characters of the markup
CRUMB_HOME = re.compile(r"^(?:首页|主页|网站首页|返回首页|home)$", re.I)
OWNER_WEIGHT = 2
MIN_VOTES = 2
MIN_SHARED = 3  # a shorter name shares a longer one's vote when it is at least this long


def site_of_page(lines: list[str], head: int, tail: int, hints: tuple[str, ...] = ()) -> str | None:
    """The name the page's furniture (and the ``<title>`` suffixes in ``hints``) agree on, or ``None``.

    ``head`` is the index of the first line of prose, ``tail`` one past the last:
    banners are looked for before and after them.
    """
    return vote(candidates(lines, head, tail) + hinted(hints))


def title_element_sites(markup: str) -> tuple[str, ...]:
    """The segments after the title in the page's ``<title>`` (``标题_频道_网站``), last first.

    >>> title_element_sites("<html><head><title>法国大罢工影响交通--国际--人民网</title></head>")
    ('人民网', '国际')
    """
    match = TITLE_ELEMENT.search(markup[:TITLE_SCAN])
    if not match:
        return ()
    return tuple(reversed(title_segments(html.unescape(match[1]))[1:]))


def hinted(hints: tuple[str, ...]) -> list[tuple[str, int]]:
    """The ``<title>`` suffix that names the site: the last banner-shaped one (the owner's, like a copyright
    line), else the last one (a vote of one)."""
    names = [n for n in (site_name(h) for h in hints) if n]
    shaped = next((n for n in names if SITE_LIKE.search(n) or ORGANISATION.search(n)), None)
    if shaped:
        return [(shaped, OWNER_WEIGHT)]
    return [(names[0], 1)] if names else []


def candidates(lines: list[str], head: int, tail: int) -> list[tuple[str, int]]:
    """(name, weight) for every kind of position of the page that names a site.

    A kind of position votes once per name: a page that says ``来源：新华社`` at
    its head and again at its tail is a reprint, not a page of 新华社; agreement
    is between positions of different kinds.
    """
    found: dict[tuple[str, str], int] = {}

    def add(kind: str, names: list[str], weight: int = 1) -> None:
        for name in names:
            found[name, kind] = max(weight, found.get((name, kind), 0))

    for i, line in enumerate(lines):
        text = fold(line.strip())
        if not text or len(text) > 160 or is_body_line(text):
            continue
        edge = i < head or i >= tail
        if NAMED is None or NAMED.search(text):
            add("owner", names_in(text, OWNER), OWNER_WEIGHT)
            add("source", names_in(text, SOURCE))
            add("icp", names_in(text, ICP))
        crumbs = crumb_segments(text)
        if crumbs and not CRUMB_HOME.match(crumbs[0]):
            add("crumb", [n for n in [site_name(crumbs[0])] if n])
        elif edge and crumbs is None:
            add("banner" if i < head else "footer", [n for n in [banner_name(text)] if n])
    return [(name, weight) for (name, _), weight in found.items()]


def names_in(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    names = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = site_name(match["name"])
            if name and name not in names:
                names.append(name)
    return names


def banner_name(text: str) -> str | None:
    """The site's name when the line is a banner: a site-like name, alone or before a slogan.

    >>> banner_name("南方视点网 - 有温度的新闻"), banner_name("Powered by 博客园 | 山间小径的博客")
    ('南方视点网', '山间小径的博客')
    >>> banner_name("欢迎访问恒信科技有限公司官网!"), banner_name("如何选择适合自己的发行版")
    ('恒信科技有限公司', None)
    >>> banner_name("第10期 | 开源简报")
    '开源简报'
    >>> banner_name("学习资料站"), banner_name("程序员之家 - 分享技术"), banner_name("北京南站")
    ('学习资料站', '程序员之家', None)

    """
    if is_field_line(text) or is_nav_line(text):
        return None
    if re.match(r"^(?:欢迎(?:您)?(?:访问|来到|光临))|(?:欢迎您|欢迎你)[!.~]*$", text):
        return site_name(text)
    for part in SEPARATORS.split(text):
        name = site_name(part)
        if name and not SOFTWARE.search(part) and any(p.search(name) for p in (SITE_LIKE, ORGANISATION, SITE_SELF)):
            return name
    return None


def vote(found: list[tuple[str, int]]) -> str | None:
    """The name with the most votes (a longer candidate votes for a name it starts with), if at least two.

    >>> vote([("青山大学新闻网", 1), ("青山大学", 2)]), vote([("技术交流论坛", 1)])
    ('青山大学', None)
    >>> vote([("江宁市人民政府", 1), ("江宁市人民政府办公室", 2), ("县总工会", 1)])
    '江宁市人民政府'
    """
    exact: Counter[str] = Counter()
    for name, weight in found:
        exact[name] += weight
    scores = {
        name: sum(w for other, w in exact.items()
                  if other == name or (len(name) >= MIN_SHARED and other.startswith(name)))
        for name in exact
    }
    if not scores:
        return None
    best = max(scores, key=lambda n: (scores[n], exact[n], -len(n)))
    return best if scores[best] >= MIN_VOTES else None
