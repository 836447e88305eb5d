"""HTML pages to text: the main content as paragraphs; title, time, author, site as metadata.

Parsed with lxml's HTML parser (libxml2; the rules walk lxml's own tree, about
an order of magnitude faster than BeautifulSoup's), which fetches nothing (no
DTD, no external entity, no network) and expands no entity beyond HTML's own
named ones (``&amp;``, ``&nbsp;`` …); an internal DTD subset (``<!DOCTYPE html
[<!ENTITY …>]>``) is dropped before parsing, so a page cannot define entities at
all. The bytes were decoded before (``cleaners.decode.encoding``: a BOM, then strict
UTF-8, then the charset the page declares if the bytes bear it out, then the
Chinese legacy codecs).

The main content is the body without:

* elements that never hold an article: script, style, nav, aside, footer,
  forms and their controls, iframes, ``<marquee>`` (a scrolling notice or
  ticker, never the article), a page ``<header>`` (one inside an
  ``<article>`` or ``<main>`` holds the title and byline and stays);
* elements whose class or id names page furniture (``nav…``, ``menu``,
  ``breadcrumb``, ``footer``, ``sidebar``, ``toc``, ``share``, ``related``,
  ``copyright``, ``pager`` …);
* elements hidden until a script shows them (``hidden``, ``display:none``,
  ``visibility:hidden``: dialogs, report forms, calendars) that hold no
  paragraph of prose;
* link-dense blocks: lists, tables and divisions of at least three links whose
  text is mostly link text (menus, tag clouds, related-article lists), and
  teaser lists: items that each lead with a headline link, or with a short one
  beside a date stamp (recommendation feeds).

No generic rule drops a block holding more than half of the page's remaining
prose (a forum's post list, an article box named ``…-related``), nor a block
holding a paragraph of running text unless its name says it is no link list
(``comments``, ``copyright``); such blocks are judged by their parts. The
rules read counts made once per page from the leaves up (:class:`TextStats`),
so a page costs one walk, not one walk per candidate.

Paragraph elements end lines; inline elements stay inline; a line break in
the source between two hanzi is no space (Chinese is wrapped without spaces);
``<pre>`` keeps its lines. Visible time/author lines are left to the chrome
stage, which captures and removes them like on any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from itertools import chain

from lxml import etree

from cleaners.chinese import CJK_TEXT
from cleaners.structure.dates import parse_published
from cleaners.structure.metaline import MetaLine, is_meta_line, read_meta_line, signoff_date
from cleaners.structure.names import author_name, is_site_like

HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
HTML_TAGS = re.compile(r"</?(?:p|div|br|span|a|table|td|li|h[1-6])\b[^>]*>", re.I)
DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.I | re.S)

# Elements that never hold the article.
NON_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
               "nav", "footer", "aside", "form", "button", "select", "input", "textarea", "menu",
               "marquee")
# Elements that end a paragraph.
BLOCKS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main "
    "ol p pre section table tbody thead tfoot tr td th ul caption center header".split()
)
# Class or id tokens that name a control or a widget (buttons, pop-ups and log-in boxes, QR codes, user cards,
# search boxes): their labels are never running text. Named so on the Q&A, forum and news pages of
# tests/data/realpages (``btn-reply``, ``Modal-content``, ``Qrcode-container``, ``user-detail``, ``tooltip-wrapper``).
WIDGET_NAMES = (r"(?:^|[-_])(?:btns?|buttons?|dropdown|tooltip|popup|modal|dialog|mask|login|signin|signup|qrcode|"
                r"follow|search|swiper|avatar|userbar|user-(?:info|card|detail|profile))(?:$|[-_])")
# Class or id tokens that name page furniture.
CHROME_NAMES = re.compile(
    r"^(?:nav|menu|breadcrumb|crumb|sidebar|sidenav|topbar|toolbar|pager|pagination)|"
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|sidebar|toc|share|sharing|social|"
    r"comments?|related|recommend|copyright|pagination|pager|banner|toolbar|topbar|ads?|advert\w*|"
    r"guestbook|hotnews|tags?)(?:$|[-_])|(?:nav|footer|sidebar|menu|breadcrumb)$|" + WIDGET_NAMES,
    re.I,
)
LINK_DENSE_TAGS = ("ul", "ol", "dl", "table", "div", "section", "p", "td")
MIN_LINKS = 3
LINK_SHARE = 0.6
MAX_FURNITURE_SHARE = 0.5
HEADLINE_CHARS = 8  # a link that reads as an article's headline
TEASER_SHARE = 0.8
PROSE_PARAGRAPH_CHARS = 60  # non-link characters of one <p>: running text, not a menu entry
CJK = CJK_TEXT
WRAP = "\x00"  # a line break of the source, until we know what is on either side
WRAP_BETWEEN_CJK = re.compile(f"(?<=[{CJK}])[ \t]*{WRAP}[ \t{WRAP}]*(?=[{CJK}])")

DATE_META = ("article:published_time", "og:article:published_time", "og:published_time", "pubdate", "publishdate",
             "publish_date", "publishtime", "published_time", "date", "dc.date", "dc.date.issued",
             "dcterms.created", "weibo:article:create_at", "og:release_date", "sailthru.date")
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "byline")
SITE_META = ("og:site_name", "application-name", "site_name", "sitename")
TITLE_SEPARATORS = re.compile(r"\s*[_|｜–—]\s*|\s+[-·]\s+")


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: str | None = None
    published_at: object = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    removed_blocks: int = 0


# Where a document starts, wherever it starts: after a BOM, comments, XML declarations
# and wrapper lines of crawl archives (``<text id=URL title=… encoding=…>``), which are tags too.
DOCUMENT_TAG = re.compile(r"<(?:!doctype\s+html|html|head|body|rss|feed|rdf:rdf)\b", re.I)
PREAMBLE = re.compile(r"(?:\ufeff|\s|<!--.*?-->|<[?!][^<>]*>|</?[a-z][\w:-]*(?:\s[^<>]*)?>)*", re.I | re.S)
PREAMBLE_WINDOW = 65536
# Head and body tags: a page whose head is a long run of scripts and metas still shows them.
MARKUP_TAGS = re.compile(r"</?(?:p|div|br|span|a|table|td|li|h[1-6]|meta|link|script|style|title|img)\b[^>]*>", re.I)
WRAPPER_ATTRIBUTE = re.compile(r"""\b(id|url|uri|href|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def markup_start(text: str) -> int | None:
    """Where the HTML document or feed begins, if only a preamble of tags and comments comes before.

    >>> markup_start('<text id=http://e.cn/1 title=标题 encoding=gbk>\\n<!DOCTYPE html><html></html>')
    46
    >>> markup_start("说明：<html> 标签是根元素。") is None
    True
    """
    head = text[:PREAMBLE_WINDOW]
    for match in DOCUMENT_TAG.finditer(head):
        if PREAMBLE.fullmatch(head, 0, match.start()):
            return match.start()
        return None
    return None


def preamble_metadata(text: str) -> dict:
    """The URL and title a crawl-archive wrapper line gives (``<text id=URL title=…>``)."""
    start = markup_start(text) or 0
    found: dict = {}
    for name, *values in WRAPPER_ATTRIBUTE.findall(text[:start]):
        value = next((v for v in values if v), "").strip()
        if name.lower() == "title" and value:
            found.setdefault("title", value)
        elif value.startswith(("http://", "https://")):
            found.setdefault("url", value)
    return found


def looks_like_html(text: str) -> bool:
    """An HTML document or feed (wherever it starts), or text dense in tags.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>同志们</p></body></html>")
    True
    >>> looks_like_html("同志们：今天我们在这里隆重集会。")
    False
    """
    head = text[:4096]
    if HTML_START.search(head) or len(HTML_TAGS.findall(head)) >= 5 or markup_start(text) is not None:
        return True
    return head.lstrip("\ufeff \t\r\n").startswith("<") and len(MARKUP_TAGS.findall(text[:PREAMBLE_WINDOW])) >= 5


XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>", re.I)
Element = etree._Element
# Plain lxml elements (no lxml.html element classes: their per-node lookup costs a third of the time).
PARSER = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, default_doctype=False)


def parse_html(text: str) -> Element:
    """The document's tree, comments and processing instructions dropped (their tails kept)."""
    source = DOCTYPE_SUBSET.sub("<!DOCTYPE html>", text, count=1)
    if "<?" in source:  # every XML declaration starts so (a page without one is not searched)
        source = XML_DECLARATION.sub("", source, count=1)  # lxml refuses a str that declares an encoding
    try:
        root = etree.fromstring(source, PARSER) if source and not source.isspace() else None
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", PARSER)
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(node)
    return root


def _drop(node) -> None:
    """Remove an element with its subtree, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _clean_title(text: str) -> str | None:
    title = " ".join(text.split())
    return title or None


def _spaced_text(node: Element) -> str:
    return " ".join(node.itertext())


def _first(root: Element, tag: str) -> Element | None:
    return next(root.iter(tag), None)


def html_title(root: Element) -> str | None:
    """The ``<h1>``, else a heading over a meta line, else the first segment of ``<title>`` (``标题_栏目_网站``),
    else ``og:title``. An ``<h1>`` that ``<title>`` names after the title (a blog's name) is no title."""
    title = _first(root, "title")
    whole_title = _clean_title(_spaced_text(title)) if title is not None else None
    headings = [text for text in (_clean_title(_spaced_text(h1)) for h1 in root.iter("h1"))
                if text and not names_a_later_segment(text, whole_title)]
    shown = heading_in_title(headings, whole_title)
    if shown:
        return shown
    for text in headings:  # the first that names no site or channel (a logo's 新闻中心 is no title)
        if not is_site_like(text):
            return text
    heading = heading_over_meta_line(root)
    if heading is not None:
        return heading
    if whole_title:
        whole = whole_title
        shown = title_shown_in_body(root, whole)
        if shown:
            return shown
        first = TITLE_SEPARATORS.split(whole)[0]
        return first if len(first) >= 4 else whole
    return _meta(root, ("og:title",))


def heading_in_title(headings: list[str], whole: str | None) -> str | None:
    """The ``<h1>`` that ``<title>`` agrees with, where the page has several or one with more than the title.

    ``<title>`` starts with the article's heading (``标题 - 博主 - 博客园``); the blog's or
    site's name in another ``<h1>``, a navigation label (``全部导航``) does not start it. An
    ``<h1>`` that holds the title's leading segment with a badge or counter around it
    (``Ruby Ruby：极致的脚本语言``, ``第二章 失乡号的船长 241``, ``雄安新区 [编辑]``) gives that segment.

    >>> heading_in_title(["好看的hk", "对于Docker和Podman的一点使用经验"], "对于Docker和Podman的一点使用经验 - 好看的hk - 博客园")
    '对于Docker和Podman的一点使用经验'
    >>> heading_in_title(["第二章 失乡号的船长 241"], "第二章 失乡号的船长 _《深海余烬》小说在线阅读 - 起点中文网")
    '第二章 失乡号的船长'
    """
    if not whole or not headings:
        return None
    for text in headings:
        if len(text) >= HEADING_CHARS[0] and whole.startswith(text):
            return text
    first = TITLE_SEPARATORS.split(whole)[0].strip()
    if len(first) < HEADING_CHARS[0]:
        return None
    for text in headings:
        if first in text and len(text) - len(first) <= BADGE_CHARS:
            return first
    return None


def names_a_later_segment(heading: str, whole: str | None) -> bool:
    """An ``<h1>`` that ``<title>`` gives after the article's title (``标题_博客名_新浪博客``): the blog's or
    site's name in the banner, not the title.

    >>> names_a_later_segment("企鹅日记", "unstable 是不是最新的？_企鹅日记_新浪博客")
    True
    >>> names_a_later_segment("企鹅日记", "企鹅日记_新浪博客"), names_a_later_segment("企鹅日记", None)
    (False, False)
    """
    if not whole:
        return False
    first, *later = (segment.strip() for segment in TITLE_SEPARATORS.split(whole))
    return heading != first and heading in later


BADGE_CHARS = 8  # what an <h1> may hold beside the title: a node badge, a counter, an edit link
MINOR_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADING_CHARS = (4, 100)


def heading_over_meta_line(root: Element) -> str | None:
    """A lower heading (``<h2>``–``<h6>``) that a meta line follows (``发布时间：…``, ``来源：…``): the
    article's title on pages that give no ``<h1>`` and whose ``<title>`` names only the channel."""
    for heading in root.iter(*MINOR_HEADINGS):
        text = _clean_title(_spaced_text(heading))
        if text is None or not HEADING_CHARS[0] <= len(text) <= HEADING_CHARS[1]:
            continue
        following = heading.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None and is_meta_line(_spaced_text(following)):
            return text
    return None


TITLE_CUTS = re.compile(r"\s+|\s*[-_|｜–—]+\s*")


def title_shown_in_body(root: Element, whole: str) -> str | None:
    """The longest leading part of ``<title>`` that the body shows as a text of its own (the article's heading).

    ``标题-频道``, ``标题 站点``: the heading on the page tells where the title ends.
    """
    cuts = [m.start() for m in TITLE_CUTS.finditer(whole)]
    if not cuts:
        return None
    body = root.find("body")
    if body is None:
        return None
    shown = {" ".join(t.split()) for t in body.itertext() if 4 <= len(t) <= 200}
    for end in reversed(cuts):
        head = whole[:end].strip()
        if len(head) >= 4 and head in shown:
            return head
    return None


def meta_fields(root: Element) -> list[tuple[str, str]]:
    """Each ``<meta>``'s name (``name``, else ``property``, else ``itemprop``; lower case) and content, in order."""
    return [((tag.get("name") or tag.get("property") or tag.get("itemprop") or "").lower(), tag.get("content") or "")
            for tag in root.iter("meta")]


def _meta(root: Element, names: tuple[str, ...], fields: list[tuple[str, str]] | None = None) -> str | None:
    """The first ``<meta>`` content of one of ``names`` that is not blank (from ``fields`` when they were read)."""
    wanted = {n.lower() for n in names}
    for key, content in meta_fields(root) if fields is None else fields:
        if key in wanted and content.strip():
            return " ".join(content.split())
    return None


def html_metadata(root: Element) -> dict:
    """Title, time, author, site and URL from the head's meta tags (and ``<time datetime>``)."""
    fields = meta_fields(root)  # read once for the four questions below
    stamp = _meta(root, DATE_META, fields)
    if stamp is None:
        time_tag = next((t for t in root.iter("time") if t.get("datetime") is not None), None)
        stamp = time_tag.get("datetime") if time_tag is not None else None
    canonical = next((t for t in root.iter("link") if "canonical" in (t.get("rel") or "").split()), None)
    url = canonical.get("href") if canonical is not None else None
    return {
        "title": html_title(root),
        "published_at": parse_published(stamp) if stamp else None,
        "author": _meta(root, AUTHOR_META, fields),
        "site": _meta(root, SITE_META, fields),
        "url": (url or _meta(root, ("og:url",), fields) or None),
    }


def visible_text(root: Element) -> str:
    """The body's text with blanks between nodes (scripts and styles already stripped), before any pruning."""
    body = root.find("body")
    return " ".join((body if body is not None else root).itertext())


def with_meta_line(meta: dict, root: Element, visible: str | None = None) -> dict:
    """Time and author from the line under the title where the ``<meta>`` tags give none (or no name).

    A date-only ``<meta>`` time (midnight) takes the time of day the line shows for the same day.
    ``visible`` is the page's :func:`visible_text` when it was read already.
    """
    stamp, author = meta["published_at"], meta["author"]
    if stamp is not None and (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0) and \
            author_name(author, meta["site"]):
        return {}
    line = read_meta_line(visible_text(root) if visible is None else visible, meta["title"])
    found: dict = {}
    if line.published_at is not None and (
            stamp is None or (line.published_at.date() == stamp.date() and stamp.time() == time(0))):
        found["published_at"] = line.published_at
    if line.author and (not author_name(author, meta["site"]) or names_the_editor(author, line)):
        found["author"] = line.author
    return found


def names_the_editor(author: str | None, line: MetaLine) -> bool:
    """The ``<meta>`` author is the editor the page shows (``青网新闻杨逸凡`` over ``责任编辑：杨逸凡``),
    and a byline names someone else: the byline's is the author."""
    return bool(author and line.editor and line.author != line.editor
                and "".join(author.split()).endswith(line.editor))


# Furniture names that mean a list of links (menus, contents, pagers, tag lists): such a block never holds
# running text, so one named so that holds a paragraph of prose (``markdown-toc``: markdown with contents)
# is judged by its parts instead of dropped whole.
LINK_LIST_NAMES = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|sidenav|menu|breadcrumbs?|crumbs?|toc|pager|pagination|tags?|topbar|"
    r"toolbar)(?:$|[-_])|^(?:nav|menu|breadcrumb|crumb|toc|pager|pagination)|"
    # A control's name too: a block named so that holds a paragraph of prose (a pop-up holding the article,
    # a ``follow-content`` wrapper) is judged by its parts as well.
    + WIDGET_NAMES, re.I)


# The same names over all of an element's class and id tokens at once, one a line: most elements name none.
ANY_CHROME_NAME = re.compile(CHROME_NAMES.pattern, re.I | re.M)


def is_chrome_element(tag: Element, stats: TextStats) -> bool:
    """Named as page furniture; when only as a list of links or a control, holding no paragraph of prose
    and not standing inside a sentence (``需要<a class="btn">登录</a>后方可回复``)."""
    named, soft = furniture_naming(tag.get("class"), tag.get("id"))
    return named and (not soft or not (holds_prose(tag, stats) or inside_running_text(tag)))


def inside_running_text(tag: Element) -> bool:
    """An inline element with text right before or after it in its line: a word of a sentence."""
    if tag.tag in BLOCKS:
        return False
    if (tag.tail or "").strip():
        return True
    before, parent = tag.getprevious(), tag.getparent()
    text_before = before.tail if before is not None else parent.text if parent is not None else None
    return bool((text_before or "").strip())


@lru_cache(maxsize=4096)
def furniture_naming(class_: str | None, id_: str | None) -> tuple[bool, bool]:
    """Whether a class and id name furniture, and whether every furniture name they give means a list of links
    or a control (judged by the parts of a block that holds prose).

    Judged once per pair (a page repeats its few class names on thousands of elements).

    >>> furniture_naming("col-md-8 related-list", None), furniture_naming("nav", "main"), furniture_naming("content", "")
    ((True, False), (True, True), (False, False))
    """
    names = [name for name in (*(class_ or "").split(), id_ or "") if name]
    if not ANY_CHROME_NAME.search("\n".join(names)):
        return False, False
    furniture = [name for name in names if CHROME_NAMES.search(name)]
    if not furniture:
        return False, False
    return True, all(LINK_LIST_NAMES.search(name) for name in furniture)


def is_page_header(tag: Element) -> bool:
    return tag.tag == "header" and not any(a.tag in ("article", "main") for a in tag.iterancestors())


def _squashed_len(text: str) -> int:
    return len("".join(text.split()))


CHARS, LINKED, LINKS, LONGEST_LINK, PROSE_PARAGRAPHS, ORDER, LAST = range(7)


@dataclass(frozen=True)
class TextStats:
    """What the furniture rules read of each element, counted in one pass from the leaves up.

    Per element: visible characters (blanks not counted), those inside links,
    the number of links, the longest link's characters, and how many ``<p>`` of
    running text lie inside. Counting each subtree again for every candidate
    made the rules quadratic in the page's depth. An element dropped is taken
    off its ancestors' counts (:meth:`forget`); the longest link stays as it was
    (a dropped block rarely held an item's headline).
    """

    counts: dict  # element -> [chars, linked, links, longest link, prose paragraphs, order, last descendant's order]
    visible: str = ""  # the body's text as :func:`visible_text` gives it, counted before any drop

    def within(self, tag: Element, ancestor: Element) -> bool:
        """Whether ``tag`` lies in ``ancestor``'s subtree (document order, counted before any drop)."""
        outer, inner = self.counts[ancestor], self.counts[tag]
        return outer[ORDER] <= inner[ORDER] <= outer[LAST]

    def chars(self, tag: Element) -> int:
        return self.counts[tag][CHARS]

    def linked(self, tag: Element) -> int:
        return self.counts[tag][LINKED]

    def links(self, tag: Element) -> int:
        return self.counts[tag][LINKS]

    def longest_link(self, tag: Element) -> int:
        return self.counts[tag][LONGEST_LINK]

    def prose(self, tag: Element) -> int:
        """Visible characters of an element that are not link text."""
        counted = self.counts[tag]
        return counted[CHARS] - counted[LINKED]

    def holds_prose_paragraph(self, tag: Element) -> bool:
        return self.counts[tag][PROSE_PARAGRAPHS] > 0

    def forget(self, tag: Element) -> None:
        """Take an element about to be dropped off its ancestors' counts (its tail stays with them)."""
        gone = self.counts[tag]
        for ancestor in tag.iterancestors():
            counted = self.counts.get(ancestor)
            if counted is None:
                break
            for i in (CHARS, LINKED, LINKS, PROSE_PARAGRAPHS):
                counted[i] -= gone[i]


def text_stats(root: Element, body: Element | None = None) -> TextStats:
    """Counts of every element under ``root``, each element visited once, its children closed before it.

    One walk in document order reads each text and tail once (lxml makes a new string at every read):
    an element's counts are final when the walk leaves it, and go to its parent then. The texts of
    ``body`` (``root`` when none is given), in the order ``itertext`` gives them, become
    :attr:`TextStats.visible` (:func:`visible_text` is the reference form; ``text_stats_by_parents`` in
    ``tests/test_html_speed.py`` the counts' one).
    """
    top = root if body is None else body
    counts: dict = {}
    pieces: list[str] = []
    start = end = 0  # where the texts of ``top`` start and end among ``pieces``
    stack: list = []  # the open elements, each with its counts
    open_tag = None  # the innermost open element (the top of ``stack``)
    for i, tag in enumerate(chain(root.iter(etree.Element), (None,))):  # elements only (lxml filters in C)
        if open_tag is not None:
            parent = tag.getparent() if tag is not None else None  # after the last element, close them all
            while open_tag is not parent:  # close the elements the walk leaves, innermost first
                closed, own = stack.pop()
                name = closed.tag
                if name == "a":
                    own[LINKED] = own[CHARS]
                    own[LINKS] += 1
                    if own[CHARS] > own[LONGEST_LINK]:
                        own[LONGEST_LINK] = own[CHARS]
                elif name == "p" and own[CHARS] - own[LINKED] >= PROSE_PARAGRAPH_CHARS:
                    own[PROSE_PARAGRAPHS] += 1
                if closed is top:
                    end = len(pieces)
                if not stack:  # the root: its tail is no text of its own
                    break
                open_tag, outer = stack[-1]
                tail = closed.tail
                if tail:
                    pieces.append(tail)
                    outer[CHARS] += own[CHARS] + len("".join(tail.split()))
                else:
                    outer[CHARS] += own[CHARS]
                outer[LINKED] += own[LINKED]
                outer[LINKS] += own[LINKS]
                outer[PROSE_PARAGRAPHS] += own[PROSE_PARAGRAPHS]
                if own[LONGEST_LINK] > outer[LONGEST_LINK]:
                    outer[LONGEST_LINK] = own[LONGEST_LINK]
                outer[LAST] = own[LAST]  # children close in document order: the last holds the last descendant
        if tag is None:
            break
        own = [0, 0, 0, 0, 0, i, i]
        counts[tag] = own
        if tag is top:
            start = len(pieces)
        text = tag.text
        if text:
            pieces.append(text)
            own[CHARS] = len("".join(text.split()))
        stack.append((tag, own))
        open_tag = tag
    return TextStats(counts, " ".join(pieces[start:end]))


def is_link_dense(tag: Element, stats: TextStats) -> bool:
    if stats.links(tag) < MIN_LINKS:
        return False
    text = stats.chars(tag)
    return not text or stats.linked(tag) / text >= LINK_SHARE


def _prune(node: Element, rule) -> int:
    """Drop, top-down, every element under ``node`` that ``rule`` picks; return how many went."""
    removed = 0
    for child in list(node):
        if not isinstance(child.tag, str):
            continue
        if rule(child):
            _drop(child)
            removed += 1
        else:
            removed += _prune(child, rule)
    return removed


def holds_the_body(tag: Element, body_prose: int, stats: TextStats) -> bool:
    """An element named as furniture that holds most of the page's prose is the article's wrapper."""
    return body_prose > 0 and stats.prose(tag) > MAX_FURNITURE_SHARE * body_prose


def holds_prose(tag: Element, stats: TextStats) -> bool:
    """A paragraph of running text inside: the block holds the article, whatever else it holds.

    Pages wrap their whole layout in a ``<form>`` (ASP.NET, VSB) or put the
    article beside long link lists in one box; such a block is not dropped
    whole, its parts are judged one by one instead.
    """
    return stats.holds_prose_paragraph(tag)


# A date or time shown on its own (a teaser's or a post's stamp): ``2024-04-20 17:03``, ``2024年5月9日``, ``05-13``.
DATE_STAMP = re.compile(
    r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}")
STAMPED_LINK_CHARS = 4  # a short headline, when a date stamp stands beside it
STAMPED_ITEM_CHARS = 200  # a teaser: headline, a line of summary, a stamp


DATE_STAMP_CHARS = (3, 19)  # the fewest and most characters but blanks a whole DATE_STAMP match holds


def has_date_stamp(item: Element, stats: TextStats | None = None) -> bool:
    """An element of ``item`` (or itself) whose whole text is a date or time.

    With the page's counts, only elements holding as many characters as a stamp are read
    (:data:`DATE_STAMP_CHARS`): most are far longer or empty.
    """
    if stats is None:
        return any(DATE_STAMP.fullmatch(" ".join("".join(e.itertext()).split())) for e in item.iter()
                   if isinstance(e.tag, str))
    least, most = DATE_STAMP_CHARS
    return any(least <= stats.chars(e) <= most and DATE_STAMP.fullmatch(" ".join("".join(e.itertext()).split()))
               for e in item.iter(etree.Element))


def is_headed_item(item: Element, stats: TextStats) -> bool:
    """An item led by a headline link, or by a short one with a date stamp (a feed entry) in a short item."""
    longest = stats.longest_link(item)
    if longest >= HEADLINE_CHARS:
        return True
    return longest >= STAMPED_LINK_CHARS and stats.chars(item) <= STAMPED_ITEM_CHARS and has_date_stamp(item, stats)


def is_teaser_list(tag: Element, stats: TextStats) -> bool:
    """Repeated items that each lead with a headline link (recommended or related articles, with summaries).

    Their summaries and dates keep the link share low, so link density misses them.
    """
    # Screens that each headed item needs: a headline link (never counted down when a descendant is dropped),
    # and as many children as items.
    if stats.longest_link(tag) < STAMPED_LINK_CHARS or len(tag) < MIN_LINKS:
        return False
    items = [c for c in tag if isinstance(c.tag, str)]
    if len(items) < MIN_LINKS:
        return False
    headed = sum(1 for item in items if is_headed_item(item, stats))
    return headed >= TEASER_SHARE * len(items)


def _prune_each(candidates, rule, stats: TextStats) -> int:
    """Drop, in document order, each candidate that ``rule`` picks and that no dropped element holds."""
    dropped = 0
    counts = stats.counts
    first = last = -1  # the document order of the last element dropped and of its last descendant
    for tag in list(candidates):
        if first <= counts[tag][ORDER] <= last:  # it went with that element (:meth:`TextStats.within`)
            continue
        if rule(tag):
            stats.forget(tag)
            _drop(tag)
            first, last = counts[tag][ORDER], counts[tag][LAST]
            dropped += 1
    return dropped


HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)


def is_hidden(tag: Element) -> bool:
    """Not shown until a script shows it: dialogs, pop-up forms, calendars (``hidden``, ``display:none``)."""
    if tag.get("hidden") is not None:
        return True
    style = tag.get("style")
    return bool(style) and HIDDEN_STYLE.search(style) is not None  # no style: nothing to search


# Candidates of the named-furniture pass: named, hidden, or a page header. The XPath is the reference
# form (tests/test_html_speed.py); :func:`named_or_hidden` walks the tree once instead, 2.5x cheaper.
NAMED_OR_HIDDEN = (".//*[@class or @id or @hidden or contains(@style, 'none') or contains(@style, 'hidden')"
                   " or contains(@style, 'NONE') or contains(@style, 'HIDDEN')]"
                   " | .//header")
HIDING_WORDS = ("none", "hidden", "NONE", "HIDDEN")  # what a style that may hide an element holds


def named_or_hidden(top: Element) -> list[Element]:
    """The elements under ``top`` that :data:`NAMED_OR_HIDDEN` selects, in document order.

    A class, id or ``hidden`` attribute, a style holding one of :data:`HIDING_WORDS`, or a ``<header>``.
    """
    found = []
    for tag in top.iterdescendants(etree.Element):
        keys = tag.keys()
        if not keys:
            if tag.tag == "header":
                found.append(tag)
        elif "class" in keys or "id" in keys or "hidden" in keys or tag.tag == "header":
            found.append(tag)
        elif "style" in keys and any(word in tag.get("style") for word in HIDING_WORDS):
            found.append(tag)
    return found


def remove_furniture(root: Element, stats: TextStats | None = None) -> int:
    """Drop what is not the article; return how many elements went.

    A generic rule never removes most of a page's prose: an element whose
    class names furniture (``related``, ``tags`` …) but holds more than
    :data:`MAX_FURNITURE_SHARE` of the body's non-link text stays, and a form
    or link-dense block holding a paragraph of running text is judged by its
    parts (:func:`holds_prose`). ``stats`` are the page's counts when they were made already.
    """
    stats = text_stats(root) if stats is None else stats
    removed = _prune_each(root.iter(*NON_CONTENT), lambda t: not (t.tag == "form" and holds_prose(t, stats)), stats)
    body = root.find("body")
    top = body if body is not None else root
    body_prose = stats.prose(top)
    removed += _prune_each(named_or_hidden(top), lambda t: (
        is_page_header(t) or (is_chrome_element(t, stats) or is_hidden(t) and not holds_prose(t, stats))
        and not holds_the_body(t, body_prose, stats)), stats)
    body_prose = stats.prose(top)  # what the named furniture left
    removed += _prune_each(top.iter(*LINK_DENSE_TAGS), lambda t: (
        is_link_dense(t, stats) or is_teaser_list(t, stats)) and not (
            holds_prose(t, stats) or holds_the_body(t, body_prose, stats)), stats)
    return removed


def html_text(root: Element) -> str:
    """The visible text of the body, one paragraph a line; inline elements stay inline."""
    body = root.find("body")
    parts: list[str] = []
    _collect_text(body if body is not None else root, parts, preformatted=False)
    text = WRAP_BETWEEN_CJK.sub("", "".join(parts)).replace(WRAP, " ")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def extract_page(text: str) -> HtmlPage:
    """The article text of an HTML page and the metadata its markup gives.

    A page that gives no time in its markup or meta line takes the date its
    text is signed with (:func:`~cleaners.structure.metaline.signoff_date`).
    The document is read from where it starts (after wrapper lines); when the
    rules leave no text, a more inclusive extraction is tried before giving up:
    trafilatura with ``favor_recall``, then every text block of the body.
    """
    start = markup_start(text) or 0
    wrapper = preamble_metadata(text) if start else {}
    root = parse_html(text[start:])
    scripts = sum(1 for _ in root.iter("script", "style"))
    etree.strip_elements(root, "script", "style", with_tail=False)  # never text; their tails stay
    meta = html_metadata(root)
    meta["title"] = meta["title"] or wrapper.get("title")
    meta["url"] = meta["url"] or wrapper.get("url")
    stats = text_stats(root, root.find("body"))  # the visible text is read in the same walk
    meta.update(with_meta_line(meta, root, stats.visible))
    removed = scripts + remove_furniture(root, stats)
    body = html_text(root)
    if meta["published_at"] is None and body:
        meta["published_at"] = signoff_date(body.split("\n"))
    release_last_first(stats)
    if not body:  # rare: parse again rather than copy every tree
        whole = visible_blocks(text[start:])
        body = (recall_text(text[start:]) or whole) if whole else ""
    return HtmlPage(body, removed_blocks=removed, **meta)


def release_last_first(stats: TextStats) -> None:
    """Let go of the counts' elements in reverse document order, which frees the tree in a fraction of the time.

    Each element the counts hold keeps an lxml proxy alive. When a proxy goes, lxml asks whether the
    subtree it belongs to may be freed, walking that subtree in document order from its top until it meets
    a proxy still alive. In a block the furniture rules dropped (a subtree of its own since), proxies going
    in document order leave that walk to pass every element freed before: quadratic in the block's size.
    Going last first, the walk meets a live proxy at once. (A dict lets go of its keys in the order they
    came, a list of its items last first; the pops say so explicitly.)
    """
    elements = list(stats.counts)
    stats.counts.clear()
    while elements:
        elements.pop()


def visible_blocks(html: str) -> str:
    """Every text block of the body but scripts, styles, forms and the like: the last fallback."""
    root = parse_html(html)
    _prune(root, lambda t: t.tag in NON_CONTENT)
    return html_text(root)


def recall_text(html: str) -> str:
    """trafilatura's most inclusive extraction of the main text ('' when it finds none)."""
    import trafilatura

    try:
        found = trafilatura.extract(html, favor_recall=True, include_comments=False, include_tables=True,
                                    deduplicate=False, with_metadata=False)
    except Exception:  # noqa: BLE001 - a fallback must not fail the page
        return ""
    return "\n".join(" ".join(line.split()) for line in (found or "").split("\n") if line.strip())


def _collect_text(node: Element, parts: list[str], preformatted: bool) -> None:
    """The texts of ``node``'s subtree in document order, a line end around each block element; outside
    ``<pre>`` a source line break becomes :data:`WRAP` (done in place: no call per text; the reference form is in ``tests/test_html_speed.py``)."""
    text = node.text
    if text:
        parts.append(text if preformatted else text.replace("\r", "").replace("\n", WRAP))
    for child in node:
        tag = child.tag
        if isinstance(tag, str):
            if tag in BLOCKS:
                parts.append("\n")
                _collect_text(child, parts, preformatted or tag == "pre")
                parts.append("\n")
            else:
                _collect_text(child, parts, preformatted or tag == "pre")
        tail = child.tail
        if tail:
            parts.append(tail if preformatted else tail.replace("\r", "").replace("\n", WRAP))
