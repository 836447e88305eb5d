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

from cleaners.structure.html import _prune, html_text, parse_html

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
}



def node_text(html: str, xpath: str) -> str:
    root = parse_html(html)
    _prune(root, lambda t: t.tag in ("script", "style", "noscript", "template"))
    (node,) = root.xpath(xpath)
    links = {" ".join("".join(a.itertext()).split()) for a in node.iter("a")}
    wrapper = etree.fromstring("<html><body></body></html>", etree.HTMLParser())
    wrapper.find("body").append(node)
    lines = html_text(wrapper).split("\n")
    return "\n".join(line for line in lines if line not in links)


def main() -> None:
    for name, xpath in NODES.items():
        path = PAGES / f"{name}.html"
        target = PAGES / f"{name}.json"
        expected = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        expected["body_xpath"] = xpath
        expected["body"] = node_text(path.read_text(encoding="utf-8", errors="replace"), xpath)
        target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(name, len(expected["body"]))


if __name__ == "__main__":
    main()
