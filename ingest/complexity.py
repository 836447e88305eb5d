"""Pages whose structure is beyond what the parser walks: markup nested deeper than libxml2's limit.

libxml2 stops building the tree at a depth of 256 elements (without its
``XML_PARSE_HUGE`` option) and drops what lies deeper, so a page of
1,000 nested ``<div>`` comes out with no text. That is a property of the page
(``too_complex``), not a page without text (``no_text``): the parser's own
error log says which.
"""

from __future__ import annotations

from lxml import etree

DEPTH_LIMIT = "ERR_RESOURCE_LIMIT"


def markup_too_deep(data: bytes) -> bool:
    """Whether lxml's HTML parser gave up on ``data`` for nesting too deep.

    >>> markup_too_deep(b"<html><body>" + b"<div>" * 300 + b"text" + b"</div>" * 300 + b"</body></html>")
    True
    >>> markup_too_deep(b"<html><body><div><p>text</p></div></body></html>")
    False
    """
    parser = etree.HTMLParser(no_network=True, recover=True)
    try:
        etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return False
    return any(error.type_name == DEPTH_LIMIT for error in parser.error_log)
