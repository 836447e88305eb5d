"""HTML pages to text: the main content as paragraphs, the title as metadata.

Parsed with BeautifulSoup over lxml's HTML parser, which neither fetches
anything nor expands external entities.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
HTML_TAGS = re.compile(r"</?(?:p|div|br|span|a|table|td|li|h[1-6])\b[^>]*>", re.I)

# Elements that never hold the article.
NON_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
               "nav", "header", "footer", "aside", "form", "button", "select", "input", "textarea")
# Elements that end a paragraph.
BLOCKS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main "
    "ol p pre section table tbody thead tfoot tr td th ul caption center".split()
)


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
    return BeautifulSoup(text, "lxml")


def html_title(soup: BeautifulSoup) -> str | None:
    for tag in (soup.find("h1"), soup.title):
        if tag is not None:
            title = " ".join(tag.get_text(" ").split())
            if title:
                return title
    return None


def html_text(soup: BeautifulSoup) -> str:
    """The visible text of the body, one paragraph a line; inline elements stay inline."""
    for tag in soup.find_all(NON_CONTENT):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = soup.body or soup
    parts: list[str] = []
    _collect_text(root, parts)
    lines = "".join(parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _collect_text(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            parts.append(str(child).replace("\n", " "))
        elif isinstance(child, Tag):
            block = child.name in BLOCKS
            if block:
                parts.append("\n")
            _collect_text(child, parts)
            if block:
                parts.append("\n")
