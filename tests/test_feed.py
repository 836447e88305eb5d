"""RSS/Atom feeds become items (issue 11 item 1)."""

from pathlib import Path
from xml.sax.saxutils import escape

from cleaners.structure.feed import feed_items, looks_like_feed

PROSE = sorted((Path(__file__).parent / "data" / "prose").glob("*.txt"))


def paragraphs(n: int) -> list[str]:
    text = PROSE[0].read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n") if len(p.strip()) > 20][:n]


def rss(paras: list[str]) -> str:
    items = "".join(
        f"<item><title>第{i}条</title><link>https://example.cn/a/{i}.html</link>"
        f"<pubDate>Mon, 01 May 2023 0{i}:00:00 +0800</pubDate><dc:creator>作者{i}</dc:creator>"
        f"<description>{escape('<p>' + p + '</p>')}</description></item>"
        for i, p in enumerate(paras)
    )
    return ('\ufeff<?xml version="1.0" encoding="gb2312"?><!-- generator --><?xml-stylesheet href="s.xsl"?>'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>站点</title>'
            f"{items}</channel></rss>")


def test_every_rss_item_is_an_item_with_its_metadata_and_content():
    paras = paragraphs(4)
    items = feed_items(rss(paras))
    assert [i.title for i in items] == [f"第{i}条" for i in range(len(paras))]
    assert [i.link for i in items] == [f"https://example.cn/a/{i}.html" for i in range(len(paras))]
    assert items[1].published == "Mon, 01 May 2023 01:00:00 +0800"
    assert items[2].author == "作者2"
    assert [i.html_or_text for i in items] == [f"<p>{p}</p>" for p in paras]


def test_atom_entries_with_cdata_and_inline_xhtml():
    para = paragraphs(1)[0]
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>博客</title>'
            '<entry><title>一</title><link rel="alternate" href="https://e.cn/1"/><published>2023-05-01T08:00:00+08:00'
            f'</published><author><name>李四</name></author><content type="html"><![CDATA[<p>{para}</p>]]></content></entry>'
            '<entry><title>二</title><link href="https://e.cn/2"/><updated>2023-05-02</updated>'
            f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{para}</p></div></content></entry></feed>')
    first, second = feed_items(atom)
    assert (first.title, first.link, first.published, first.author) == ("一", "https://e.cn/1", "2023-05-01T08:00:00+08:00", "李四")
    assert first.html_or_text == f"<p>{para}</p>"
    assert para in second.html_or_text and second.link == "https://e.cn/2"


def test_broken_feeds_are_recovered_and_non_feeds_give_nothing():
    paras = paragraphs(2)
    broken = rss(paras).replace("</channel></rss>", "")  # truncated download
    assert len(feed_items(broken)) == 2
    assert feed_items("这不是订阅源") == []
    assert looks_like_feed(rss(paras)) and not looks_like_feed("<html><body><p>rss</p></body></html>")


def test_entities_are_not_expanded_from_a_dtd():
    evil = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<rss><channel><item><title>&x;标题</title><description>正文</description></item></channel></rss>")
    (item,) = feed_items(evil)
    assert "root:" not in (item.title or "")
