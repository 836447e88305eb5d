"""HTML pages: the article without its furniture, metadata from the markup, safe parsing."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from cleaners.pipeline import clean_bytes
from tests.conftest import seed_text
from tests.pages import finished
from tests.styles import HTML_DIR

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The FAQ is XHTML; reading it with an HTML parser, as the pipeline does, is what we mean.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
# Only the pages kept under tests/data/html: a test reads nothing outside the repository.
FAQ_PAGES = sorted(HTML_DIR.glob("*.html"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", FAQ_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_debian_faq_page_loses_its_navigation_and_keeps_every_paragraph(path):
    raw = path.read_bytes()
    cleaned = clean_bytes(raw)
    assert cleaned.page.source_format == "html"
    (article,) = cleaned.page.articles
    lines = [squash(line) for line in article.text.split("\n")]
    text = "\n".join(lines)
    soup = BeautifulSoup(raw, "lxml")
    furniture = "navheader|navfooter|toc"
    body = [p for p in soup.find_all("p") if not p.find_parent(class_=re.compile(f"^({furniture})$"))]
    assert len(body) > 5
    assert [p.get_text()[:40] for p in body if squash(finished(p.get_text())) not in text] == []
    # The navigation cells (chapter links) are gone, and the table of contents: each section
    # heading is there once, as its own line, not a second time as a link of the contents.
    nav = [squash(td.get_text()) for td in soup.select("div.navheader td, div.navfooter td")]
    assert [n for n in nav if n and n in lines] == []
    for heading in soup.select("div.section h2"):
        assert lines.count(squash(heading.get_text())) == 1
    assert cleaned.page.meta.title == " ".join(soup.h1.get_text().split())
    assert squash(cleaned.page.meta.title) not in lines
    assert not cleaned.page.meta.truncated


def speech_paragraphs() -> list[str]:
    lines = seed_text("000").split("\n")
    return [lines[i] for i in (28, 29, 38, 39)]


def news_page(paragraphs: list[str], head_meta: str = "", byline: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/a/{i}">相关文章标题第{i}篇</a></li>' for i in range(6))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>表彰大会上的讲话_要闻_工人日报网</title>{head_meta}
<style>p {{ color: red }}</style><script>var tracker = "首页";</script></head>
<body>
<header class="site-header"><a href="/">首页</a><a href="/news">要闻</a><a href="/local">地方</a></header>
<nav><a href="/">首页</a> &gt; <a href="/news">要闻</a></nav>
<div class="breadcrumb">当前位置：首页 &gt; 要闻 &gt; 正文</div>
<main><article>
<header><h1>在全县工会工作先进单位表彰大会上的讲话</h1>{byline}</header>
<div class="share-bar">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="content">{body}</div>
</article></main>
<aside><h3>热门文章</h3><ul>{related}</ul></aside>
<div class="list"><ul>{related}</ul></div>
<form action="/search"><input name="q"><button>搜索</button></form>
<footer>版权所有 &copy; 2024 工人日报社 京ICP备12345678号</footer>
</body></html>"""


def test_news_page_gives_its_article_and_the_metadata_of_its_head():
    paragraphs = speech_paragraphs()
    head_meta = ('<meta property="article:published_time" content="2024-05-01T02:20:00Z">'
                 '<meta name="author" content="张伟"><meta property="og:site_name" content="工人日报">'
                 '<link rel="canonical" href="https://www.workercn.cn/a/123.html">')
    cleaned = clean_bytes(news_page(paragraphs, head_meta).encode("utf-8"))
    (article,) = cleaned.page.articles
    assert article.text.split("\n") == [finished(p.strip()) for p in paragraphs]
    meta = cleaned.page.meta
    assert meta.title == "在全县工会工作先进单位表彰大会上的讲话"
    assert meta.published_at == datetime(2024, 5, 1, 10, 20, tzinfo=SHANGHAI)
    assert (meta.author, meta.site, meta.source_url) == ("张伟", "工人日报", "https://www.workercn.cn/a/123.html")


def test_visible_byline_gives_time_and_author_when_the_head_has_none():
    paragraphs = speech_paragraphs()
    byline = "<p class='info'>发布时间：2024年5月1日 10:20　作者：李明　来源：县总工会</p>"
    cleaned = clean_bytes(news_page(paragraphs, byline=byline).encode("utf-8"))
    (article,) = cleaned.page.articles
    assert article.text.split("\n") == [finished(p.strip()) for p in paragraphs]
    assert cleaned.page.meta.published_at == datetime(2024, 5, 1, 10, 20, tzinfo=SHANGHAI)
    assert cleaned.page.meta.author == "李明"


@pytest.mark.parametrize("codec, declaration, expected", [
    ("gbk", '<meta charset="gbk">', "gb18030"),
    ("gb2312", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
    ("big5", '<meta http-equiv="Content-Type" content="text/html; charset=big5">', "big5"),
])
def test_declared_charset_is_used_when_the_bytes_bear_it_out(codec, declaration, expected):
    import opencc

    paragraphs = speech_paragraphs()
    page = news_page(paragraphs).replace('<meta charset="utf-8">', declaration)
    if codec == "big5":
        page = opencc.OpenCC("s2twp.json").convert(page)
    cleaned = clean_bytes(page.encode(codec))
    assert cleaned.decoded.encoding == expected
    simplified = opencc.OpenCC("t2s.json")
    assert cleaned.page.articles[0].text.split("\n") == [finished(simplified.convert(p.strip())) for p in paragraphs]


def test_entities_are_not_expanded_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER", encoding="utf-8")
    paragraph = speech_paragraphs()[1]
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY big "BIGBIGBIG">]>'
            f'<html><head><title>讲话</title></head><body><p>{paragraph}&xxe;&big;</p>'
            f'<p><img src="http://127.0.0.1:9/x.png">{paragraph}</p></body></html>')
    cleaned = clean_bytes(page.encode("utf-8"))
    text = cleaned.page.articles[0].text
    assert "SECRET-MARKER" not in text and "BIGBIGBIG" not in text and "]>" not in text
    assert text.split("\n")[0].startswith(finished(paragraph.strip()))


def test_wrapped_chinese_joins_without_spaces_and_pre_keeps_its_lines():
    page = ("<html><body><p>在“五一”国际劳动节来临之际，今天我们\n在这里隆重集会，共同庆祝 Debian\n节日。</p>"
            "<pre>apt-get update\napt-get upgrade</pre></body></html>")
    text = clean_bytes(page.encode("utf-8")).page.articles[0].text
    assert text.split("\n") == ["在“五一”国际劳动节来临之际，今天我们在这里隆重集会，共同庆祝 Debian 节日。",
                                "apt-get update", "apt-get upgrade"]


def qa_page(paragraphs: list[str], reply_prompt: str) -> str:
    """A question-and-answer page around the speech: its controls are named as such (``btn``, ``modal``,
    ``qrcode``, ``user-card``, ``tooltip``, ``dropdown``, ``follow``, ``search``, ``avatar``), the way the
    Q&A and forum pages of tests/data/realpages name them."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>在全县工会工作先进单位表彰大会上的讲话</title></head>
<body>
<div class="search-box"><span>搜索你感兴趣的内容</span></div>
<div class="question"><h1>在全县工会工作先进单位表彰大会上的讲话</h1>
<div class="follow-status"><span>关注者</span><strong>46</strong><span>被浏览</span><strong>99,411</strong></div>
<button class="Button">关注问题</button><button class="Button">写回答</button></div>
<div class="answer">
<div class="user-card"><div class="avatar"></div><span>回答量：4932</span><span>采纳率：95%</span>
<a class="btn-ask" href="/ask">向TA提问</a><a class="btn-chat" href="/chat">私信TA</a></div>
<div class="answer-text">{body}</div>
<div class="answer-actions"><span class="btn">抢首赞</span><span class="btn">已赞过</span>
<div class="tooltip">你对这个回答的评价是？</div></div>
<div class="dropdown"><a href="#">举报</a><a href="#">收藏</a></div>
</div>
<div class="reply-box">{reply_prompt}</div>
<div class="Modal-content"><div>登录后你可以</div><div>不限量看优质回答私信答主深度交流精彩内容一键收藏</div>
<div class="qrcode-container">在「我的页」右上角打开扫一扫</div><div>其他方式登录</div></div>
</body></html>"""


def test_the_controls_of_a_question_and_answer_page_go_and_a_word_named_as_one_stays_in_its_sentence():
    paragraphs = speech_paragraphs()
    prompt = '需要<a class="btn btn-primary" href="/login">登录</a>后方可回复，如果你还没有账号请注册新账号。'
    cleaned = clean_bytes(qa_page(paragraphs, prompt).encode("utf-8"))
    (article,) = cleaned.page.articles
    text = article.text
    for control in ("关注者", "99,411", "关注问题", "回答量", "采纳率", "向TA提问", "抢首赞", "评价是", "举报",
                    "登录后你可以", "一键收藏", "扫一扫", "其他方式登录", "搜索你感兴趣的内容"):
        assert control not in text, control
    assert [squash(finished(p)) for p in paragraphs] == [squash(line) for line in text.split("\n")[:len(paragraphs)]]
    assert "需要登录后方可回复" in squash(text)  # the link inside the sentence is a word of it


def test_a_block_named_as_a_control_that_holds_the_article_is_judged_by_its_parts():
    paragraphs = speech_paragraphs()
    page = qa_page(paragraphs, "").replace('<div class="answer-text">', '<div class="answer-text popup-content">')
    (article,) = clean_bytes(page.encode("utf-8")).page.articles
    assert [squash(finished(p)) for p in paragraphs] == [squash(line) for line in article.text.split("\n")[:len(paragraphs)]]
