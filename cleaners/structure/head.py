"""Stage ``read_head``: title, site and author of a page that no rule named, read like a person reads them.

It runs after the notices are gone and before the chrome is: the banners,
footers and bylines it reads are still on the page. It decides, and leaves
the removing to ``strip_chrome`` (which drops the head lines that repeat the
title):

* the title (:mod:`cleaners.structure.title`), when the markup, a rule or a
  collection header gave none;
* the site (:mod:`cleaners.structure.site_vote`), when no profile knows the page;
* the author (:mod:`cleaners.structure.bylines`), from bylines and post headers
  of the head and tail of the page.

Nothing is counted: it removes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from cleaners.model import CleanConfig, Page, StageReport
from cleaners.structure.bylines import author_of_page
from cleaners.structure.names import simplified
from cleaners.structure.shapes import head_and_tail
from cleaners.structure.site_vote import site_of_page
from cleaners.structure.title import find_title


def read_head(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """Fill the page's title, site and author from its head and tail where nothing filled them."""
    meta = page.meta
    lines = page.text.split("\n")
    head, tail = head_and_tail(lines)
    found = {}
    if meta.site is None:
        found["site"] = simplified(site_of_page(lines, head, tail, meta.site_hints))
    site = meta.site or found.get("site")
    if meta.title is None and page.articles[0].title is None:
        # One article: its lines are the page's, and so is where its prose starts.
        first = lines if len(page.articles) == 1 else page.articles[0].text.split("\n")
        found["title"] = find_title(first, head if first is lines else head_and_tail(first)[0], page.text, site)
    if meta.author is None:
        lead = lines[head] if head < len(lines) else ""
        found["author"] = author_of_page(lines[:head] + lines[tail:], site, lead)
    found = {k: v for k, v in found.items() if v}
    examples = tuple(f"{k}: {v}" for k, v in found.items())
    return replace(page, meta=replace(meta, **found)), StageReport("read_head", examples=examples)  # type: ignore[arg-type]
