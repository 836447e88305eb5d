"""Time and byline read from the meta line under an HTML page's title (issue 11 items 2 and 6).

Pages are real prose (tests/data/prose) in the layouts Chinese sites use: a
heading, then a line with the time in one of its Chinese forms and a byline
(来源/作者/记者/责任编辑), furniture around. ``<meta>`` tags win where they name
a time of day or a person; the line fills in the rest.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from cleaners.chinese import SHANGHAI
from cleaners.pipeline import clean_bytes
from cleaners.structure.metaline import read_meta_line
from tests.test_readers import PROSE

TITLE = "软件包管理系统的常见问题解答"


def page(meta_line: str, head: str = "", tail: str = "", title_tag: str = f"{TITLE}_科技频道_某某网") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PROSE[40:44])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title_tag}</title>{head}</head><body>"
            "<div class='nav'><a href='/'>首页</a> <a href='/tech'>科技</a> <a href='/news'>新闻</a></div>"
            "<ul class='hot'>" + "".join(f"<li><a href='/{i}'>另一篇文章的标题在这里{i}</a> 2018-03-02 08:58:39</li>"
                                         for i in range(4)) + "</ul>"
            f"<div class='article'><h1>{TITLE}</h1><div class='info'>{meta_line}</div>{body}{tail}</div>"
            "<div class='footer'>版权所有 某某网</div></body></html>").encode()


def meta_of(raw: bytes):
    return clean_bytes(raw).page.meta


@pytest.mark.parametrize(("line", "moment"), [
    ("2023年11月5日 14:02 来源：新华社", datetime(2023, 11, 5, 14, 2)),
    ("发布时间：2023-11-05 14:02:09 | 来源：本站", datetime(2023, 11, 5, 14, 2, 9)),
    ("发布时间：２０２３年１１月５日　１４：０２", datetime(2023, 11, 5, 14, 2)),
    ("张三 发布于 2023/11/5 下午2:02", datetime(2023, 11, 5, 14, 2)),
    ("<span>2023-11-05</span> <span>来源：人民网</span>", datetime(2023, 11, 5)),
    ("日期：二〇二三年十一月五日", datetime(2023, 11, 5)),
])
def test_chinese_time_forms_under_the_title(line, moment):
    assert meta_of(page(line)).published_at == moment.replace(tzinfo=SHANGHAI)


def test_a_date_without_a_year_or_inside_running_text_is_no_time():
    assert meta_of(page("阅读 539 11-05 14:02")).published_at is None
    prose = page("来源：本站", tail=f"<p>2023年11月5日下午，{PROSE[50]}</p>")
    assert meta_of(prose).published_at is None


def test_a_meta_tags_date_gets_the_time_of_day_the_line_shows():
    tagged = page("2023年11月05日08:18 来源：人民网", head="<meta name='publishdate' content='2023-11-05'>")
    assert meta_of(tagged).published_at == datetime(2023, 11, 5, 8, 18, tzinfo=SHANGHAI)
    other_day = page("2023年11月06日08:18", head="<meta name='publishdate' content='2023-11-05'>")
    assert meta_of(other_day).published_at == datetime(2023, 11, 5, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("line", "tail", "author"), [
    ("来源：证券时报网 作者：李在山", "", "李在山"),  # 来源 is where the text came from, not its author
    ("来源：新华网", "<p>（责任编辑：尹世杰）</p>", "尹世杰"),  # the editor stands in for a missing author
    ("作者：王五 责任编辑：赵六", "", "王五"),  # an author beats an editor
    ("来源：人民网 作者： 转载请注明：本站", "<p>(责编：汤诗瑶、丁涛)</p>", "汤诗瑶、丁涛"),  # an empty field
    ("来源：本站", "<p>编辑|禤志杰 责编|陈梦莹 来源|广州参考</p>", "禤志杰"),
    ("来源：澎湃新闻网 <p>澎湃新闻记者 段彦超 廖艳</p>", "", "段彦超、廖艳"),  # reporters set apart by blanks
    ("来源：网易 本文来源：新京报", "<p>责任编辑：杜硕_NB12556</p>", "杜硕"),  # an editor's staff code dropped
    ("来源：新华网", "", None),
])
def test_bylines_author_editor_and_source(line, tail, author):
    assert meta_of(page(line, tail=tail)).author == author


def test_a_news_datelines_reporter_is_the_author():
    first = f"<p>新华社北京11月5日电（记者张三、李四）{PROSE[45]}</p>"
    raw = page("2023-11-05 07:57:40 来源：新华网", tail="<p>【纠错】 责任编辑： 尹世杰</p>").replace(
        b"<p>", first.encode(), 1)
    assert meta_of(raw).author == "张三、李四"


def test_tags_that_name_a_person_win_and_tags_that_name_none_do_not():
    named = page("作者：李四", head="<meta name='author' content='王五'>")
    assert meta_of(named).author == "王五"
    numbered = page("作者：李四", head="<meta name='author' content='104363'>")
    assert meta_of(numbered).author == "李四"


def test_traditional_bylines_and_titles_come_out_simplified():
    raw = page("發佈時間：2023年11月5日 14:02 作者：張偉", title_tag=f"{TITLE}-新華網").replace(
        TITLE.encode(), "軟體包管理系統的常見問題解答".encode())
    meta = meta_of(raw)
    assert meta.author == "张伟" and meta.title == "软体包管理系统的常见问题解答"
    assert meta.published_at == datetime(2023, 11, 5, 14, 2, tzinfo=SHANGHAI)


def test_the_title_shown_first_in_a_list_of_related_articles_is_passed_over():
    text = f"热帖 {TITLE} 另一篇 2018-03-02 08:58:39 导航 正文 {TITLE} 2023-11-05 07:57:40 来源:新华网"
    assert read_meta_line(text, TITLE).published_at == datetime(2023, 11, 5, 7, 57, 40, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("line", "tail", "author"), [
    ("本报记者 王乐文 方 敏 2023年11月05日14:02 | 来源：人民网", "", "王乐文、方敏"),
    ("2023年11月05日 14:02 来源：某某网", "<p>中青报·中青网记者 周晓岚 来源：中国青年报</p><div>责任编辑：陈一鸣</div>", "周晓岚"),
    ("2023年11月05日 14:02", "<p>（本文来源：某日报 作者：某研究院世界经济研究部副部长、研究员林海生）</p>", "林海生"),
    ("2023年11月05日 14:02 参考消息", "<div>责任编辑：陈一鸣</div>", "陈一鸣"),
])
def test_bylines_at_the_head_and_foot_name_every_reporter_and_only_people(line, tail, author):
    assert meta_of(page(line, tail=tail)).author == author


def test_a_meta_tag_that_names_the_editor_gives_way_to_the_reporters_byline():
    raw = page("2023年11月05日 14:02", head="<meta name='author' content='新闻中心陈一鸣'>",
               tail="<p>本报记者 周晓岚</p><div>责任编辑：陈一鸣</div>")
    assert meta_of(raw).author == "周晓岚"


def test_a_blogs_own_posting_time_wins_over_the_latest_recommended_articles():
    line = "最新推荐文章于 2024-05-07 22:12:13 发布 林间小舟 于 2024-05-06 15:47:53 发布 阅读量1.3w"
    meta = meta_of(page(line))
    assert (meta.author, meta.published_at) == ("林间小舟", datetime(2024, 5, 6, 15, 47, 53, tzinfo=SHANGHAI))


def test_a_posted_at_foot_line_gives_time_and_poster():
    tail = "<div class='postDesc'>posted @ 2024-05-09 14:45 tux_lover 阅读(430) 评论(2) 编辑 收藏</div>"
    meta = meta_of(page("", tail=tail))
    assert (meta.author, meta.published_at) == ("tux_lover", datetime(2024, 5, 9, 14, 45, tzinfo=SHANGHAI))
