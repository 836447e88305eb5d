"""HTML and feeds are recognised wherever they start, and give records without markup (issue 11 item 1)."""

import re
from xml.sax.saxutils import escape

from cleaners.pipeline import clean_bytes
from tests.test_feed import paragraphs

MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def page(paras: list[str]) -> str:
    scripts = "".join(f"<script>var a{i} = '<div>{i}</div>';</script>" for i in range(200))  # a long head
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!-- saved from a crawler --><html><head><title>测试文章_频道_某某网</title>{scripts}</head>"
            f"<body><div class='article'>{body}</div></body></html>")


def test_a_crawl_archive_wrapper_line_does_not_hide_the_document():
    paras = paragraphs(3)
    raw = ('<text id=https://example.cn/a/1.html title=测试文章 encoding=utf-8>\n' + page(paras) + "\n</text>")
    cleaned = clean_bytes(raw.encode("utf-8"))
    assert cleaned.page.source_format == "html"
    (article,) = cleaned.page.articles
    assert not MARKUP.search(article.text) and "var a1" not in article.text
    assert len(article.text) >= 0.9 * sum(len(p) for p in paras)
    assert cleaned.page.meta.title == "测试文章"
    assert cleaned.page.meta.source_url == "https://example.cn/a/1.html"


def test_a_feed_after_a_bom_becomes_one_article_per_item_with_its_own_metadata():
    paras = paragraphs(3)
    items = "".join(
        f"<item><title>第{i}条_某某网</title><link>https://example.cn/{i}</link>"
        f"<pubDate>Mon, 01 May 2023 0{i}:00:00 +0800</pubDate><author>http://spam.example.com</author>"
        f"<description>{escape('<div><p>' + p + '</p></div>')}</description></item>"
        for i, p in enumerate(paras))
    raw = f'\ufeff<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>某某网</title>{items}</channel></rss>'
    cleaned = clean_bytes(raw.encode("utf-8"))
    articles = cleaned.page.articles
    assert len(articles) == 3
    assert [a.title for a in articles] == ["第0条", "第1条", "第2条"]
    assert [a.source_url for a in articles] == [f"https://example.cn/{i}" for i in range(3)]
    assert [a.published_at.hour for a in articles] == [0, 1, 2]
    assert all(a.author is None for a in articles)  # a URL is no author
    assert all(not MARKUP.search(a.text) and a.text for a in articles)
