"""HTML pages to text: the main content as paragraphs; title, time, author, site as metadata.

Parsed with BeautifulSoup over lxml's HTML parser, which fetches nothing (no
DTD, no external entity, no network) and expands no entity beyond HTML's own
named ones (``&amp;``, ``&nbsp;`` …); an internal DTD subset (``<!DOCTYPE html
[<!ENTITY …>]>``) is dropped before parsing, so a page cannot define entities at
all. The bytes were decoded before (``cleaners.decode.encoding``: a BOM, then strict
UTF-8, then the charset the page declares if the bytes bear it out, then the
Chinese legacy codecs).

The main content is the body without:

* elements that never hold an article: script, style, nav, aside, footer,
  forms and their controls, iframes, a page ``<header>`` (one inside an
  ``<article>`` or ``<main>`` holds the title and byline and stays);
* elements whose class or id names page furniture (``nav…``, ``menu``,
  ``breadcrumb``, ``footer``, ``sidebar``, ``toc``, ``share``, ``related``,
  ``copyright``, ``pager`` …);
* link-dense blocks: lists, tables and divisions of at least three links whose
  text is mostly link text (menus, tag clouds, related-article lists).

Paragraph elements end lines; inline elements stay inline; a line break in
the source between two hanzi is no space (Chinese is wrapped without spaces);
``<pre>`` keeps its lines. Visible time/author lines are left to the chrome
stage, which captures and removes them like on any page.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from cleaners.structure.dates import parse_published

try:  # bs4 warns when an XHTML page (an <?xml?> declaration) is parsed as HTML, as intended here
    from bs4 import XMLParsedAsHTMLWarning
except ImportError:  # pragma: no cover - older bs4
    XMLParsedAsHTMLWarning = UserWarning

HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
HTML_TAGS = re.compile(r"</?(?:p|div|br|span|a|table|td|li|h[1-6])\b[^>]*>", re.I)
DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.I | re.S)

# Elements that never hold the article.
NON_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
               "nav", "footer", "aside", "form", "button", "select", "input", "textarea", "menu")
# Elements that end a paragraph.
BLOCKS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main "
    "ol p pre section table tbody thead tfoot tr td th ul caption center header".split()
)
# Class or id tokens that name page furniture.
CHROME_NAMES = re.compile(
    r"^(?:nav|menu|breadcrumb|crumb|sidebar|sidenav|topbar|toolbar|pager|pagination)|"
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|sidebar|toc|share|sharing|social|"
    r"comments?|related|recommend|copyright|pagination|pager|banner|toolbar|topbar|ads?|advert\w*|"
    r"guestbook|hotnews|tags?)(?:$|[-_])|(?:nav|footer|sidebar|menu|breadcrumb)$",
    re.I,
)
LINK_DENSE_TAGS = ("ul", "ol", "dl", "table", "div", "section", "p", "td")
MIN_LINKS = 3
LINK_SHARE = 0.6
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
WRAP = "\x00"  # a line break of the source, until we know what is on either side
WRAP_BETWEEN_CJK = re.compile(f"(?<=[{CJK}])[ \t]*{WRAP}[ \t{WRAP}]*(?=[{CJK}])")

DATE_META = ("article:published_time", "og:article:published_time", "og:published_time", "pubdate", "publishdate",
             "publish_date", "publishtime", "published_time", "date", "dc.date", "dc.date.issued",
             "dcterms.created", "weibo:article:create_at", "og:release_date", "sailthru.date")
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "byline")
SITE_META = ("og:site_name", "application-name", "site_name", "sitename")
TITLE_SEPARATORS = re.compile(r"\s*[_|｜–—]\s*|\s+-\s+")


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: str | None = None
    published_at: object = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    removed_blocks: int = 0


def looks_like_html(text: str) -> bool:
    """An HTML document, or a fragment dense in tags.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>同志们</p></body></html>")
    True
    >>> looks_like_html("同志们：今天我们在这里隆重集会。")
    False
    """
    head = text[:4096]
    return bool(HTML_START.search(head)) or len(HTML_TAGS.findall(head)) >= 5


def parse_html(text: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(DOCTYPE_SUBSET.sub("<!DOCTYPE html>", text, count=1), "lxml")


def _clean_title(text: str) -> str | None:
    title = " ".join(text.split())
    return title or None


def html_title(soup: BeautifulSoup) -> str | None:
    """The ``<h1>``, else the first segment of ``<title>`` (``标题_栏目_网站``), else ``og:title``."""
    h1 = soup.find("h1")
    if h1 is not None and _clean_title(h1.get_text(" ")):
        return _clean_title(h1.get_text(" "))
    if soup.title is not None and _clean_title(soup.title.get_text(" ")):
        whole = _clean_title(soup.title.get_text(" "))
        first = TITLE_SEPARATORS.split(whole)[0]
        return first if len(first) >= 4 else whole
    return _meta(soup, ("og:title",))


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> str | None:
    wanted = {n.lower() for n in names}
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").lower()
        if key in wanted and (tag.get("content") or "").strip():
            return " ".join(tag["content"].split())
    return None


def html_metadata(soup: BeautifulSoup) -> dict:
    """Title, time, author, site and URL from the head's meta tags (and ``<time datetime>``)."""
    stamp = _meta(soup, DATE_META)
    if stamp is None:
        time_tag = soup.find("time", attrs={"datetime": True})
        stamp = time_tag["datetime"] if time_tag is not None else None
    canonical = soup.find("link", rel="canonical")
    url = canonical.get("href") if canonical is not None else None
    return {
        "title": html_title(soup),
        "published_at": parse_published(stamp) if stamp else None,
        "author": _meta(soup, AUTHOR_META),
        "site": _meta(soup, SITE_META),
        "url": (url or _meta(soup, ("og:url",)) or None),
    }


def is_chrome_element(tag: Tag) -> bool:
    names = [*(tag.get("class") or []), tag.get("id") or ""]
    return any(name and CHROME_NAMES.search(name) for name in names)


def is_page_header(tag: Tag) -> bool:
    return tag.name == "header" and tag.find_parent(("article", "main")) is None


def is_link_dense(tag: Tag) -> bool:
    links = tag.find_all("a")
    if len(links) < MIN_LINKS:
        return False
    text = "".join(tag.get_text().split())
    if not text:
        return True
    linked = sum(len("".join(a.get_text().split())) for a in links)
    return linked / len(text) >= LINK_SHARE


def remove_furniture(soup: BeautifulSoup) -> int:
    """Drop what is not the article; return how many elements went."""
    removed = 0
    for tag in soup.find_all(NON_CONTENT):
        if not tag.decomposed:
            tag.decompose()
            removed += 1
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        if is_page_header(tag) or is_chrome_element(tag):
            tag.decompose()
            removed += 1
    for tag in soup.find_all(LINK_DENSE_TAGS):
        if not tag.decomposed and is_link_dense(tag):
            tag.decompose()
            removed += 1
    return removed


def html_text(soup: BeautifulSoup) -> str:
    """The visible text of the body, one paragraph a line; inline elements stay inline."""
    root = soup.body or soup
    parts: list[str] = []
    _collect_text(root, parts, preformatted=False)
    text = WRAP_BETWEEN_CJK.sub("", "".join(parts)).replace(WRAP, " ")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def extract_page(text: str) -> HtmlPage:
    """The article text of an HTML page and the metadata its markup gives."""
    soup = parse_html(text)
    meta = html_metadata(soup)
    removed = remove_furniture(soup)
    return HtmlPage(html_text(soup), removed_blocks=removed, **meta)


def _collect_text(node: Tag, parts: list[str], preformatted: bool) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child) if preformatted else str(child).replace("\r", "").replace("\n", WRAP))
        elif isinstance(child, Tag):
            block = child.name in BLOCKS
            if block:
                parts.append("\n")
            _collect_text(child, parts, preformatted or child.name == "pre")
            if block:
                parts.append("\n")
