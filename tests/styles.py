"""Pages of sites that no profile knows, built around real clean prose.

Each style wraps real paragraphs (the Debian FAQ in Chinese, kept under
``tests/data/html/``, and the prose of the sample speeches) in the chrome and
notices that such a site prints: breadcrumbs, field lines, share buttons,
previous/next links, related lists, footers, promotions, paywall notices.
The generic rules must remove every chrome line and keep every paragraph.

``python -m tests.styles`` prints, per style, what went in and what came out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from cleaners.chinese import CJK_SYMBOLS, HAN_UNIFIED, WIDTH_FORMS_BLOCK
from cleaners.structure.shapes import ends_complete
from tests.pages import finished, page_text

HTML_DIR = Path(__file__).parent / "data" / "html"
SHANGHAI = ZoneInfo("Asia/Shanghai")
CJK = HAN_UNIFIED + CJK_SYMBOLS + WIDTH_FORMS_BLOCK


def faq_paragraphs(name: str) -> list[str]:
    """The complete ``<p>`` paragraphs of the body of a Debian FAQ page, whitespace as a browser shows it.

    A paragraph that stops mid-sentence (``…请使用`` before a ``<pre>`` command
    block, which this reading leaves out) is not clean prose and is skipped.
    """
    doc = lxml_html.parse(str(HTML_DIR / f"{name}.zh-cn.html"))
    paragraphs = []
    for p in doc.xpath('//div[@class="section"]//p[not(ancestor::div[@class="toc"])]'):
        text = re.sub(f"(?<=[{CJK}])\\s*\\n\\s*(?=[{CJK}])", "", p.text_content())
        text = " ".join(text.split())
        if text and ends_complete(text):
            paragraphs.append(text)
    return paragraphs


def faq_title(name: str) -> str:
    doc = lxml_html.parse(str(HTML_DIR / f"{name}.zh-cn.html"))
    return " ".join(doc.xpath("//h1")[0].text_content().split())


def sample_paragraphs(prefix: str, first: int, last: int) -> list[str]:
    """Lines ``first``..``last`` (1-based) of a sample page that hold text, stripped."""
    lines = page_text(prefix).split("\n")[first - 1:last]
    return [line.strip() for line in lines if line.strip()]


@dataclass(frozen=True)
class Style:
    """A made-up site: its page, the prose it holds and what the page says about itself."""

    name: str
    title: str
    head: list[str]
    prose: list[str]
    tail: list[str]
    middle: dict[int, list[str]] = field(default_factory=dict)  # chrome/notice lines before prose[i]
    spacing: str = "\n"
    expected: dict = field(default_factory=dict)

    @property
    def chrome(self) -> list[str]:
        """Every line the page adds to its prose and title."""
        return [line for line in [*self.head, *self.tail, *(x for v in self.middle.values() for x in v)]
                if line.strip() and line.strip() != self.title]

    @property
    def text(self) -> str:
        lines = list(self.head)
        for i, paragraph in enumerate(self.prose):
            lines += self.middle.get(i, [])
            lines.append(paragraph)
        lines += self.tail
        return self.spacing.join(lines) + "\n"


def news_portal() -> Style:
    """A news portal: breadcrumb, source/author/time line, font and print buttons, editor, share, prev/next."""
    title = faq_title("basic-defs")
    return Style(
        "news portal (Simplified, full-width)",
        title,
        head=["首页 > 新闻中心 > 科技 > 正文", title,
              "来源：人民网　作者：张伟　发布时间：2024年5月1日 10:20　浏览次数：1234",
              "【字体：大 中 小】【打印】【关闭】"],
        prose=faq_paragraphs("basic-defs"),
        tail=["（责任编辑：李娜）", "分享到：微信 微博 QQ空间",
              f"上一篇：{faq_title('software')}", f"下一篇：{faq_title('support')}",
              "相关阅读", f"· {faq_title('getting-debian')}", f"· {faq_title('faqinfo')}",
              "版权所有 © 2024 人民网 京ICP备12345678号-1 京公网安备 11000002000001号"],
        expected={"title": title, "author": "张伟",
                  "published_at": datetime(2024, 5, 1, 10, 20, tzinfo=SHANGHAI), "truncated": False},
    )


def document_library() -> Style:
    """A document library: a location line, a preview with an omission and a login wall, a download offer."""
    title = faq_title("software")
    prose = faq_paragraphs("software")
    return Style(
        "document library with a paywall (Simplified, half-width)",
        title,
        head=["当前位置:范文大全 » 工作总结 » 年终总结", title, "发布日期:2023/05/12 | 阅读:532 | 字数:3200"],
        prose=prose,
        middle={len(prose) // 2: ["……(此处省略1200字)……"]},
        tail=["内容过长,仅显示部分内容,登录后查看全文。", "下载完整版 | 加入收藏", "猜你喜欢",
              f"1. {faq_title('faqinfo')}", f"2. {faq_title('basic-defs')}"],
        expected={"title": title, "published_at": datetime(2023, 5, 12, tzinfo=SHANGHAI), "truncated": True,
                  "omitted_chars": 1200},
    )


def traditional_portal() -> Style:
    """A Traditional-script site with half-width punctuation: home breadcrumb, field line, footer, back-to-top."""
    title = "哈爾濱市工會第十七次代表大會講話"
    return Style(
        "Traditional portal (half-width punctuation)",
        title,
        head=["網站首頁 > 公文範文 > 講話稿", title, "發佈時間:2022-03-05 09:00 作者:王小明 點擊:326"],
        prose=sample_paragraphs("003", 139, 163),
        tail=["版權所有 © 2022 範文網 粵ICP備19012345號", "如有侵權請聯繫刪除", "返回頂部"],
        spacing="\n\n",
        expected={"title": title, "author": "王小明",
                  "published_at": datetime(2022, 3, 5, 9, 0, tzinfo=SHANGHAI), "truncated": False},
    )


def wechat_mirror() -> Style:
    """A mirror of a WeChat article: dateline with account, follow-us promotion, reads and likes."""
    title = "在工会专题学习研讨交流会上的讲话"
    return Style(
        "WeChat article mirror",
        title,
        head=[title, "原创 张三 工会之声 2024-01-08 09:30"],
        prose=sample_paragraphs("004", 7, 13) + sample_paragraphs("004", 17, 27),  # not line 15: its ……略……
        tail=["扫码关注我们,获取更多精彩内容", "微信号:ghzs_2024", "阅读 2345 在看 12 分享"],
        expected={"title": title, "published_at": datetime(2024, 1, 8, 9, 30, tzinfo=SHANGHAI), "truncated": False},
    )


def essay_site() -> Style:
    """A model-essay site: time/editor line, an editor's intro, a declared/shown notice, a reprint notice."""
    title = "在全县工会工作先进单位表彰大会上的讲话"
    prose = sample_paragraphs("000", 28, 29) + sample_paragraphs("000", 39, 40) + sample_paragraphs("000", 45, 46)
    return Style(
        "model-essay site with editor blurbs",
        title,
        head=[title, "时间:2021-11-02 14:05:33 编辑:小芳 手机版",
              f"下面是小编为大家整理的{title},供大家参考借鉴,希望可以帮助到有需要的朋友。"],
        prose=prose,
        tail=["【全文共3862字,当前仅显示2100字】 登录后查看全文", "本站部分文章来源于网络,如有侵权请联系删除。",
              "关于我们 | 联系我们 | 网站地图"],
        expected={"title": title, "author": "小芳", "published_at": datetime(2021, 11, 2, 14, 5, 33, tzinfo=SHANGHAI),
                  "truncated": True, "declared_chars": 3862, "shown_chars": 2100},
    )


def tech_blog() -> Style:
    """A blog: » breadcrumb, author/time/category line, tags, prev/next, comment widgets; double-spaced."""
    title = faq_title("faqinfo")
    return Style(
        "technical blog (double-spaced)",
        title,
        head=["首页 » 技术博客 » Debian", title, "作者:debian_fan | 发表时间:2024-3-2 20:15 | 分类:Linux | 评论:3"],
        prose=faq_paragraphs("faqinfo"),
        tail=["标签:Debian 软件包", f"上一篇:{faq_title('support')} 下一篇:{faq_title('software')}",
              "评论(3)", "发表评论", "返回顶部"],
        spacing="\n\n",
        expected={"title": title, "author": "debian_fan",
                  "published_at": datetime(2024, 3, 2, 20, 15, tzinfo=SHANGHAI), "truncated": False},
    )


STYLES = (news_portal, document_library, traditional_portal, wechat_mirror, essay_site, tech_blog)


def figures() -> list[str]:
    """Per style: chrome lines in/left, paragraphs in/kept, prose characters in/kept."""
    from cleaners.pipeline import clean_text
    from tests.test_generic_chrome import norm

    rows = []
    for make in STYLES:
        style = make()
        page, _ = clean_text(style.text, "text")
        out = [norm(p) for a in page.articles for p in a.text.split("\n")]
        joined = "\n".join(out)
        kept = sum(1 for p in style.prose if norm(finished(p)) in out)
        chars_in = sum(len(norm(p)) for p in style.prose)
        chars_kept = sum(len(norm(p)) for p in style.prose if norm(finished(p)) in out)
        left = sum(1 for c in style.chrome if norm(c.strip()) in joined)
        rows.append(f"{style.name}: chrome lines {len(style.chrome)} in, {left} left; paragraphs "
                    f"{len(style.prose)} in, {kept} kept; prose chars {chars_in} in, {chars_kept} kept; "
                    f"extra paragraphs {len(out) - kept}")
    return rows


if __name__ == "__main__":
    print("\n".join(figures()))
