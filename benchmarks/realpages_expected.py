"""Write the expected body of each development page from the content node chosen by hand.

The node (an XPath per page, in ``NODES``) was chosen by reading each page; the
expected body is that node's visible text, one block a line, without lines that
are only link text (promotion links inside the article box). Run once when a
page is added: ``python -m benchmarks.realpages_expected``; the JSON files are
then reviewed and kept in ``tests/data/realpages``.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from cleaners.decode.encoding import decode_bytes
from cleaners.structure.html import _drop, _prune, html_text, parse_html

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "realpages"
NODES = {
    "baijiahao-2": "//div[@class='article-content']",
    "cjddsb-1": "//div[@class='single-content']",
    "gsc-1": "//div[@class='detailCon']",
    "hexun-1": "//div[@class='art_contextBox']",
    "people-1": "//div[@id='rwb_zw']",
    "qq-2": "//div[@id='Cnt-Main-Article-QQ']",
    "stcn-1": "//div[@id='ctrlfscont']",
    "sxmu-1": "//div[@id='vsb_content']",
    "thepaper-2": "//div[@class='news_txt']",
    "xinhuanet-1": "//div[@id='p-detail']",
    "zsnews-1": "/html/body/center/table/tbody/tr[1]/td/table[2]/tbody/tr[2]/td[2]/table/tbody/tr/td/table[2]/tbody/tr[3]/td",
    "zyyfy-1": "//div[@id='z']",
    # Added by issue 15's second session: 8 more pages of the same folder.
    "163-1": "//div[@id='endText']",
    "163-2": "//div[@id='endText']",
    "cjn-1": "//div[@class='TRS_Editor']",
    "csdn-1": "//div[@class='con news_content']",
    "guancha-2": "//div[@class='content all-txt']",
    "gzggw-1": "//div[@id='zoom']",
    "ifeng-1": "//div[@class='text-3zQ3cZD4']",
    "sina-1": "//div[@id='article']",
    # Added by issue 11's widening (pages of magic-html's benchmark folder, see LICENSE-NOTES.md): other kinds.
    # A forum thread's or Q&A page's body is every post or answer (a union of nodes, in document order); a
    # second XPath names what inside those nodes is no text of the page's author (widget labels, ad cards).
    "39net-1": "//div[@class='art_content']",
    "baike-1": ("//div[contains(@class,'lemmaSummary')] | //div[contains(@class,'J-lemma-content')]",
                "//span[.='播报' or .='编辑']"),
    "cnblogs-1": "//div[@id='cnblogs_post_body']",
    "csdnblog-1": "//div[@id='content_views']",
    "discuz-1": "//td[starts-with(@id,'postmessage_')]",
    "doubannote-1": "//div[@class='note']",
    "dugushici-1": ("/html/body/div[4]/div[1]/div[position() >= 2 and position() <= 5]", "//a[.='更多']"),
    "flarum-1": "//div[@class='Post-body'][not(ancestor::noscript)]",
    "gmw-1": "//div[@class='u-mainText']",
    "kepuchina-1": "/html/body/div[2]/div/div/div[3]/div[1]/div/div",
    "kepugov-1": "//div[@id='content']",
    "peoplefinance-1": "//div[@class='rm_txt_con cf']",
    "pinshiwen-1": "//div[@class='article-content']",
    "qidian-1": "//main//span[@class='content-text']",
    "rubychina-1": "//div[contains(concat(' ', @class, ' '), ' markdown ')]",
    "sohu-1": "//article[@id='mp-editor']",
    "theorychina-1": "//div[@class='detail_left']",
    "theorychina-2": "//div[@id='font_area']",
    "tieba-1": "//div[starts-with(@id,'post_content_')]",
    "tqxz-1": "//div[@class='lct_cont']",
    "weixin-1": "//div[@id='js_content']",
    "youth-1": "//div[@class='TRS_Editor']",
    "zhidao-1": "//div[contains(@class,'rich-content-container')]",
    "zhihu-1": ("//div[contains(@class,'QuestionRichText')] | //span[contains(@class,'CopyrightRichText-richText')]",
                "//*[contains(@class,'LinkCard')] | //button"),
    "zhwiki-1": ("//div[contains(@class,'mw-parser-output')]/*[self::p or self::ul or self::ol or self::dl "
                 "or self::h2 or self::h3 or self::h4 or self::blockquote or contains(@class,'mw-heading')]",
                 "//*[contains(@class,'mw-editsection') or contains(@class,'reference') or self::sup]"),
}



def node_text(html: str, xpath: str, exclude: str | None = None) -> str:
    """The visible text of the nodes ``xpath`` picks (document order), without what ``exclude`` picks."""
    root = parse_html(html)
    if exclude:
        for dropped in root.xpath(exclude):
            _drop(dropped)
    nodes = root.xpath(xpath)
    if not nodes:
        raise ValueError(f"no node at {xpath}")
    wrapper = etree.fromstring("<html><body></body></html>", etree.HTMLParser())
    links: set[str] = set()
    for node in nodes:
        links.update(" ".join("".join(a.itertext()).split()) for a in node.iter("a"))
        wrapper.find("body").append(node)
    _prune(wrapper, lambda t: t.tag in ("script", "style", "noscript", "template"))
    lines = html_text(wrapper).split("\n")
    return "\n".join(line for line in lines if line not in links)


def main() -> None:
    for name, picked in NODES.items():
        xpath, exclude = picked if isinstance(picked, tuple) else (picked, None)
        path = PAGES / f"{name}.html"
        target = PAGES / f"{name}.json"
        expected = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        expected["body_xpath"] = xpath
        if exclude:
            expected["body_exclude"] = exclude
        expected["body"] = node_text(decode_bytes(path.read_bytes()).text, xpath, exclude)
        target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(name, len(expected["body"]))


if __name__ == "__main__":
    main()
