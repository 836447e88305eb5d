"""Old-style pages (tests/data/oldpages, written for these tests): marquees, forum profiles, blog times."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from cleaners.pipeline import clean_bytes
from tests.pages import finished

OLD_PAGES = Path(__file__).parent / "data" / "oldpages"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def cleaned(name: str):
    return clean_bytes((OLD_PAGES / name).read_bytes())


def paragraphs(name: str, xpath: str) -> list[str]:
    """The prose the page holds, as the page's own markup places it (``xpath`` picks the elements)."""
    raw = (OLD_PAGES / name).read_bytes()
    root = etree.fromstring(raw, etree.HTMLParser())
    texts = ["".join(node.itertext()) if isinstance(node, etree._Element) else str(node)
             for node in root.xpath(xpath)]
    return [finished(" ".join(text.split())) for text in texts if text.strip()]


def test_marquee_notice_is_no_body_and_title_and_meta_line_go():
    page = cleaned("marquee-news.html")
    (article,) = page.page.articles
    marquee = paragraphs("marquee-news.html", "//marquee")
    assert marquee and all(line not in article.text for line in marquee)
    # With the notice gone, nothing stands above the title: its line and the meta line go too.
    assert article.text.split("\n") == paragraphs("marquee-news.html", "//td[@class='content']/p")
    meta = page.page.meta
    assert (meta.title, meta.author) == ("Debian GNU/Linux 是什么？", "王晓明")
    assert meta.published_at == datetime(2006, 5, 18, 9, 30, 12, tzinfo=SHANGHAI)


@pytest.mark.parametrize("tag", ["marquee", "MARQUEE"])
def test_marquee_is_dropped_wherever_it_stands(tag):
    from cleaners.structure.html import extract_page

    notice = "热烈祝贺本站全面改版成功！欢迎广大网友踊跃投稿。"
    prose = paragraphs("marquee-news.html", "//td[@class='content']/p")[0]
    html = f"<html><body><div><{tag}>{notice}</{tag}><p>{prose}</p></div><{tag}>{notice}</{tag}></body></html>"
    text = extract_page(html).text
    assert notice not in text and prose[:30] in text


def test_forum_post_time_is_the_post_headers_not_the_posters_registration():
    page = cleaned("discuz-thread.html")
    assert page.page.meta.title == "如何选择 Debian 的发布版本"
    # The poster's sidebar (注册时间 2006-3-1, 最后登录 2008-7-10) comes first; 发表于 gives the post's time.
    assert page.page.meta.published_at == datetime(2008, 7, 9, 21, 5, tzinfo=SHANGHAI)
    text = page.page.articles[0].text
    assert all(line in text for line in paragraphs("discuz-thread.html", "//div[@id='postmessage_30101']/text()"))


@pytest.mark.parametrize("label", ["注册时间", "注册日期：", "加入时间:", "最后登录", "上次登录", "在线时间"])
def test_a_profile_fields_date_is_never_the_publication_date(label):
    from cleaners.structure.metaline import read_meta_line

    visible = f"如何选择 Debian 的发布版本 penguin_lee 中级会员 帖子 356 {label} 2006-3-1 正文"
    assert read_meta_line(visible, "如何选择 Debian 的发布版本").published_at is None
    posted = visible.replace("正文", "发布于 2008-7-9 21:05 正文")
    assert read_meta_line(posted, "如何选择 Debian 的发布版本").published_at == datetime(2008, 7, 9, 21, 5,
                                                                                   tzinfo=SHANGHAI)


def test_blog_time_in_parentheses_beside_the_title_is_the_posts():
    page = cleaned("sina-blog.html")
    meta = page.page.meta
    # The blog's name is the <h1>; <title> (标题_博客名_新浪博客) names it after the post's title, in the <h2>.
    assert meta.title == "unstable 是不是最新的？"
    assert meta.published_at == datetime(2010, 8, 16, 21, 34, 12, tzinfo=SHANGHAI)
    assert page.page.articles[0].text.split("\n")[:3] == paragraphs(
        "sina-blog.html", "//div[contains(@class, 'articalContent')]/p")


@pytest.mark.parametrize(("shown", "expected"), [
    ("(2010-08-16 21:34:12)", datetime(2010, 8, 16, 21, 34, 12, tzinfo=SHANGHAI)),
    ("（2010-08-16 21:34）", datetime(2010, 8, 16, 21, 34, tzinfo=SHANGHAI)),
    ("(2010-08-16)", None),  # no time of day: a parenthesised date may be anything (a version, an event)
    ("(2010-08-16 21:34:12", None),  # not closed
])
def test_only_a_full_timestamp_alone_in_parentheses_is_a_bare_time(shown, expected):
    from cleaners.structure.metaline import read_meta_line

    visible = f"企鹅日记 首页 博文目录 unstable 是不是最新的？ {shown} 标签： debian 是的。unstable 中的版本最新。"
    assert read_meta_line(visible, "unstable 是不是最新的？").published_at == expected


def test_a_letters_signoff_date_is_its_time_when_it_shows_no_other():
    page = cleaned("signoff-letter.html")
    assert page.page.meta.title == "致全体志愿者的一封信"
    assert page.page.meta.published_at == datetime(2005, 3, 8, tzinfo=SHANGHAI)
    lines = page.page.articles[0].text.split("\n")
    assert lines[-2:] == ["开源软件志愿者协会", "2005年3月8日"]  # the signature and date stay: they are the letter's


@pytest.mark.parametrize(("tail", "expected"), [
    (["开源软件志愿者协会", "2005年3月8日"], datetime(2005, 3, 8, tzinfo=SHANGHAI)),
    (["开源软件志愿者协会", "二〇〇五年三月八日"], datetime(2005, 3, 8, tzinfo=SHANGHAI)),
    (["开源软件志愿者协会", "2005年3月8日", "（本文可自由转载）"], datetime(2005, 3, 8, tzinfo=SHANGHAI)),
    (["2005年3月8日"], None),  # no signature above it
    (["开源软件志愿者协会", "2005年3月8日", "附件一", "附件二", "附件三"], None),  # not at the end
])
def test_signoff_date_is_a_full_date_alone_under_a_signature_at_the_end(tail, expected):
    from cleaners.structure.metaline import signoff_date

    body = paragraphs("signoff-letter.html", "//td/p")[1:4]
    assert signoff_date(body + tail) == expected
    # A text that shows another date has no sign-off date we could trust.
    assert signoff_date(["本会成立于2004年5月。", *body, *tail]) is None
