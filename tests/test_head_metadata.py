"""Title, site and author read from the head and tail of pages no profile knows; truncation on the last prose line.

The pages are real prose (the Debian FAQ, the sample speeches) inside furniture
of many wordings (tests/unseen_styles.py); each field is checked per style,
and pages that state no author or no site must give null, not a guess.
"""

import pytest

from cleaners.pipeline import clean_text
from cleaners.structure.bylines import byline_author
from cleaners.structure.names import simplified, site_name
from cleaners.structure.site_vote import vote
from cleaners.structure.title import find_title
from tests.pages import finished
from tests.test_generic_chrome import norm
from tests.unseen_styles import PAGES_PER_STYLE, STYLES, prose, speech

FIELDS = ("title", "site", "author", "truncated")
CASES = [(make, i, name) for make in STYLES for i in range(PAGES_PER_STYLE) for name in FIELDS if name in make(0).expected]


def found_field(page, name):
    return (page.articles[0].title or page.meta.title) if name == "title" else getattr(page.meta, name)


@pytest.mark.parametrize(("make", "i", "name"), CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_each_stated_field_is_read_as_a_person_reads_it(make, i, name):
    style = make(i)
    page, _ = clean_text(style.text, "text")
    found, wanted = found_field(page, name), style.expected[name]
    if isinstance(wanted, bool):
        assert found is wanted
    elif wanted is None:
        assert found is None
    else:
        assert found is not None and norm(found) == norm(wanted)
        assert found == simplified(found)  # every metadata string is Simplified


def page(head: list[str], body: list[str], tail: list[str]) -> str:
    return "\n".join([*head, *body, *tail]) + "\n"


def test_the_title_line_leaves_the_text_and_the_banner_stays_no_title():
    body = prose(3)
    text = page(["晨光教育资讯网", "如何选择适合自己的发行版", "2024-05-06 来源：晨光教育资讯网"], body, [])
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.title == "如何选择适合自己的发行版"
    assert "如何选择适合自己的发行版" not in cleaned.articles[0].text.split("\n")


def test_a_bookmark_mention_names_the_title_among_several_title_shaped_lines():
    head = ["精品范文库", "讲话稿频道", "在职工代表大会上的讲话", "热门标签 工会 讲话"]
    lines = [*head, *speech(1)]
    assert find_title(lines, len(head), "\n".join(lines) + "\n收藏《在职工代表大会上的讲话》", None) \
        == "在职工代表大会上的讲话"


def test_a_breadcrumb_tail_names_the_title():
    head = ["首页 › 公告 › 关于调整办公时间的通知", "关于调整办公时间的通知", "附件下载"]
    lines = [*head, *prose(2)]
    assert find_title(lines, len(head), "\n".join(lines), None) == "关于调整办公时间的通知"


def test_no_evidence_no_title():
    """Two short lines over prose, no furniture, no field line: nothing says which is the title."""
    head = ["学习心得", "一点体会"]
    lines = [*head, *prose(1)]
    assert find_title(lines, len(head), "\n".join(lines), None) is None


@pytest.mark.parametrize(("line", "name"), [
    ("版权所有：青禾市文化馆 2008-2024", "青禾市文化馆"),
    ("Copyright (c) 2015-2024 远山科技 All Rights Reserved", "远山科技"),
    ("© 2021 北岭日报社", "北岭日报社"),
    ("北岭日报社版权所有，未经书面授权不得转载", "北岭日报社"),
])
def test_one_owner_line_of_any_wording_names_the_site(line, name):
    text = page(["首页 > 文化 > 正文", "安装前需要准备什么"], prose(4), [line])
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.site == name


@pytest.mark.parametrize("tail", [
    ["来源：新华社"],                       # a reprint names where the text came from, not whose page it is
    ["技术交流论坛 › 版块 › 讨论区"],        # a breadcrumb root alone
    ["版权归原作者所有，如有侵权请联系删除"],  # no owner named
    ["版权所有 侵权必究"],                     # nor here
    ["（来源：新华社）", "来源：新华社"],        # one kind of position twice is no agreement: a reprint
    [],
])
def test_a_single_weak_position_names_no_site(tail):
    text = page(["获取技术支持的几种途径"], prose(2), tail)
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.site is None


def test_a_candidate_starting_a_longer_one_shares_its_vote():
    assert vote([("北岭日报", 1), ("北岭日报社", 2)]) == "北岭日报"
    assert vote([("北岭日报", 1), ("南山晚报", 1)]) is None  # they do not agree


@pytest.mark.parametrize(("line", "name"), [
    ("作者:王小明 发布时间:2024-01-01", "王小明"),
    ("文/赵一鸣", "赵一鸣"),
    ("新华社记者 李想 摄影 张帆", "李想"),
    ("记者孙晓报道", "孙晓"),
    ("楼主 blue_sky 发表于 2020-1-2 10:00", "blue_sky"),
    ("老猫 发表于 2019-12-31 23:59:01", "老猫"),
    ("作者：林间 | 2021-04-10 | 阅读(100)", "林间"),
])
def test_bylines_of_many_wordings_name_the_author(line, name):
    from cleaners.matching.fold import fold

    assert byline_author(fold(line)) == name


@pytest.mark.parametrize("line", ["责任编辑:刘洋", "审核:王老师", "上传者:doc_user", "提问者:小白", "发表于 2021-9-1 10:05",
                                  "作者:http://example.com/u/1", "来源:人民网"])
def test_editors_uploaders_and_bare_headers_are_no_author_bylines(line):
    assert byline_author(line) is None


def test_a_page_that_states_no_author_gives_null():
    text = page(["安装前需要准备什么", "2024-03-01 来源：晨光教育资讯网"], prose(5), ["返回顶部"])
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.author is None


def test_the_author_wins_over_the_editor_and_the_editor_stands_in_when_there_is_no_author():
    with_both = page(["安装前需要准备什么", "2024-03-01 记者 陈晓东"], prose(5), ["责任编辑：刘洋"])
    only_editor = page(["安装前需要准备什么", "2024-03-01"], prose(5), ["责任编辑：刘洋"])
    assert clean_text(with_both, "text")[0].meta.author == "陈晓东"
    assert clean_text(only_editor, "text")[0].meta.author == "刘洋"


def test_traditional_bylines_and_sites_come_out_simplified():
    text = page(["關於本文檔的說明", "作者：陳國華　發佈時間：2023-05-06"], prose(4), ["版權所有 © 2023 東海電視臺"])
    cleaned, _ = clean_text(text, "text")
    assert (cleaned.meta.author, cleaned.meta.site) == ("陈国华", "东海电视台")


def test_site_name_keeps_the_name_and_drops_greetings_slogans_and_kinds():
    assert site_name("欢迎光临北岭日报社官方网站！") == "北岭日报社"
    assert site_name("远山科技 | 让连接更简单") == "远山科技"
    assert site_name("本站") is None


def test_leftover_chrome_after_complete_prose_does_not_make_the_page_truncated():
    body = prose(6)
    text = page(["安装前需要准备什么"], body, ["建议使用1366×768分辨率浏览本站", "技术支持 某某网络"])
    assert clean_text(text, "text")[0].meta.truncated is False


def test_prose_cut_mid_sentence_makes_the_page_truncated_even_with_chrome_after_it():
    body = [finished(p) for p in prose(6)]
    last = body[-1]
    cut = last[:last.rindex("，")]  # cut at a clause: the sentence stops with no end mark
    text = page(["安装前需要准备什么"], [*body[:-1], cut], ["返回顶部", "技术支持 某某网络"])
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.truncated is True


def test_an_html_page_names_its_site_in_the_title_element_suffix():
    body = "".join(f"<p>{p}</p>" for p in prose(2))
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>获取技术支持的几种途径--科技--北岭日报网</title>"
            f"</head><body><h1>获取技术支持的几种途径</h1><div class='content'>{body}</div></body></html>")
    cleaned, _ = clean_text(html, "html")
    assert (cleaned.meta.title, cleaned.meta.site) == ("获取技术支持的几种途径", "北岭日报网")


def test_a_channel_suffix_alone_names_no_site():
    body = "".join(f"<p>{p}</p>" for p in prose(2))
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>获取技术支持的几种途径_技术问答</title>"
            f"</head><body><h1>获取技术支持的几种途径</h1><div class='content'>{body}</div></body></html>")
    assert clean_text(html, "html")[0].meta.site is None


def test_a_subtitle_over_the_field_line_leaves_the_title_above_it():
    head = ["安装前需要准备什么", "——写给第一次安装 Debian 的读者", "2024-03-01 09:00 来源：晨光教育资讯网"]
    lines = [*head, *prose(5)]
    assert find_title(lines, len(head), "\n".join(lines), None) == "安装前需要准备什么"


@pytest.mark.parametrize(("lead", "name"), [
    ("本报讯（记者 周明远 通讯员 李华）", "周明远"),
    ("新华社北京3月1日电（记者王芳）", "王芳"),
])
def test_a_news_story_opening_with_its_byline_names_the_author(lead, name):
    body = prose(4)
    text = page(["安装前需要准备什么", "2024-03-01 09:00"], [lead + body[0], *body[1:]], [])
    cleaned, _ = clean_text(text, "text")
    assert cleaned.meta.author == name
    # The byline stays: it is the story's first words (the spaces between its hanzi go, as in all prose).
    assert cleaned.articles[0].text.replace(" ", "").startswith(lead.replace(" ", ""))


@pytest.mark.parametrize("byline", ["作者：佚名", "作者：admin", "作者：匿名"])
def test_an_anonymous_byline_names_no_author(byline):
    text = page(["安装前需要准备什么", f"时间：2024-03-01　{byline}　来源：网络"], prose(5), [])
    assert clean_text(text, "text")[0].meta.author is None


# Heads and tails of other kinds of site, each worded its own way: (head, tail, title, site, author).
OTHER_WORDINGS = [
    (["当前位置：优学范文网 > 工作总结 > 个人工作总结", "2024年个人工作总结范文", "时间：2024-01-02 13:21:00 小编：彭倩"],
     ["Copyright © 2012-2024 优学范文网 All rights reserved", "京ICP备12034567号"],
     "2024年个人工作总结范文", "优学范文网", "彭倩"),
    (["锦城市人民政府 > 政务公开 > 政策文件", "索 引 号：11510100MB1234567/2023-00012", "发布机构：锦城市人民政府办公厅",
      "标　　题：锦城市人民政府关于加强安全生产工作的通知", "发文字号：锦府发〔2023〕12号", "发布日期：2023-05-06",
      "锦城市人民政府关于加强安全生产工作的通知"],
     ["主办：锦城市人民政府办公厅　承办：锦城市大数据中心", "网站标识码：5101000001　蜀ICP备05001234号"],
     "锦城市人民政府关于加强安全生产工作的通知", "锦城市人民政府", None),
    (["山海社区 > 杂谈", "谈谈读书这件事", "楼主：书山有路　时间：2019-01-01 10:00:00　点击：1234　回复：56"],
     ["山海社区 版权所有"], "谈谈读书这件事", "山海社区", "书山有路"),
    (["开源技术社区 › 技术问答 › Linux", "Debian 软件包如何降级", "查看: 321|回复: 5", "tux_lover", "发表于 2021-5-6 08:12:33"],
     ["Powered by Discuz! X3.4 © 2001-2021 开源技术社区"], "Debian 软件包如何降级", "开源技术社区", "tux_lover"),
    (["某某吧", "请教安装问题", "只看楼主 收藏 回复", "小白兔兔", "1楼 2020-03-04 12:00"], [],
     "请教安装问题", None, "小白兔兔"),
    (["小林的技术笔记 — 记录点滴", "Debian 打包入门笔记", "发布于 2022-01-05 · 作者 小林 · 阅读 1.2k"],
     ["© 2022 小林的技术笔记 · 由 Hexo 驱动"], "Debian 打包入门笔记", "小林的技术笔记", "小林"),
    (["柳林区人民政府网站欢迎您！", "网站首页 > 信息公开 > 政策文件", "关于开展安全生产大检查的通知",
      "【发布单位：区应急管理局】【发布时间：2023-06-12】【浏览次数：88】"],
     ["版权所有：柳林区人民政府办公室　技术支持：某某信息", "备案号：晋ICP备11002233号-1"],
     "关于开展安全生产大检查的通知", "柳林区人民政府", None),
]


@pytest.mark.parametrize(("head", "tail", "title", "site", "author"), OTHER_WORDINGS, ids=lambda v: str(v)[:12])
def test_heads_of_other_kinds_and_wordings(head, tail, title, site, author):
    cleaned, _ = clean_text(page(head, prose(len(head)), tail), "text")
    assert (cleaned.meta.title, cleaned.meta.site, cleaned.meta.author) == (title, site, author)
    assert title not in cleaned.articles[0].text.split("\n")


@pytest.mark.parametrize("make", STYLES, ids=lambda m: getattr(m, "__name__", str(m)))
def test_a_cleaned_record_read_again_gives_no_title_from_its_leftovers(make):
    """Idempotence of the head reading: once the title left, no banner or line left behind becomes one."""
    cleaned, _ = clean_text(make(0).text, "text")
    for article in cleaned.articles:
        again, reports = clean_text(article.text, "text")
        assert again.meta.title is None
        assert not [e for r in reports if r.stage == "read_head" for e in r.examples if e.startswith("title")]


def test_a_fold_of_the_page_is_no_truncation_and_an_offer_of_the_full_text_elsewhere_is():
    body = [finished(p) for p in prose(4)]
    folded, _ = clean_text(page(["安装前需要准备什么"], body, ["点击展开全文"]), "text")
    offered, _ = clean_text(page(["安装前需要准备什么"], body, ["点击阅读全文"]), "text")
    assert (folded.meta.truncated, offered.meta.truncated) == (False, True)
    assert "展开全文" not in folded.articles[0].text


@pytest.mark.parametrize("head", [
    ["文章分类：linux 运维"],                 # a field whose key a qualifier opens (文章标签：… is chrome now: tag_line)
    ["来源于：东区办事处"],                    # …or a suffix
    ["点击进入“文艺星青年”>>"],                # a link pointing elsewhere
    ["16.1. 作者"],                           # a numbered section of the article
    ["新闻动态", "位置：首页 > 新闻动态"],       # the channel over a two-segment breadcrumb
    ["新闻", "行情", "净值"],                   # menu words
], ids=lambda v: v[0])
def test_leftovers_over_prose_give_no_title(head):
    """What a cleaned record may still hold over its prose is no title when the record is read again."""
    cleaned, _ = clean_text(page(head, [finished(p) for p in prose(3)], []), "text")
    assert cleaned.meta.title is None and cleaned.articles[0].title is None
    body = "\n".join(finished(p) for p in prose(3))
    assert cleaned.articles[0].text.endswith(body)  # the prose under it kept whole (the leftovers may go as chrome)


def test_a_column_name_before_the_title_does_not_keep_the_title_line_in_the_text():
    body = "".join(f"<p>{p}</p>" for p in prose(2))
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>获取技术支持的几种途径_北岭日报网</title></head>"
            f"<body><div class='content'><p>棱镜|获取技术支持的几种途径</p><p>2024-03-01 09:00</p>{body}</div></body></html>")
    cleaned, _ = clean_text(html, "html")
    assert cleaned.meta.title == "获取技术支持的几种途径"
    assert "获取技术支持的几种途径" not in cleaned.articles[0].text


@pytest.mark.parametrize("make", [m for m in STYLES if m.__name__.startswith(("trad_", "traditional_"))],
                         ids=lambda m: m.__name__)
def test_every_metadata_string_of_a_traditional_page_is_simplified_stated_or_not(make):
    for i in range(PAGES_PER_STYLE):
        cleaned, _ = clean_text(make(i).text, "text")
        values = [cleaned.meta.title, cleaned.meta.site, cleaned.meta.author, *(a.title for a in cleaned.articles)]
        assert any(values)
        assert all(v == simplified(v) for v in values if v)


@pytest.mark.parametrize(("head", "author"), [
    (["如何选择适合自己的发行版", "举报", "林间小舟", "2024-03-05 10:21 · 关注"], "林间小舟"),
    (["获取技术支持的几种途径", "关注", "山水老张", "02-17 08:40"], "山水老张"),
    (["自由软件的定义与由来", "penguin_fan", "2023年7月9日 · 来自北京"], "penguin_fan"),
])
def test_a_short_name_over_a_date_line_is_the_byline_and_the_title_line_above_it_the_title(head, author):
    cleaned, _ = clean_text(page(head, prose(len(author)), []), "text")
    assert (cleaned.meta.title, cleaned.meta.author) == (head[0], author)
    assert not {head[0], author} & set(cleaned.articles[0].text.split("\n"))


def test_a_short_title_over_a_date_with_nothing_above_stays_the_title():
    cleaned, _ = clean_text(page(["年度工作总结", "2024-01-02"], speech(0), []), "text")
    assert cleaned.meta.author is None


@pytest.mark.parametrize(("fields", "label"), [
    ("下载积分：5 | 页数：12页", "文档简介"),
    ("资料大小：32KB | 格式：DOC", "【内容摘要】"),
    ("上传时间：2023-04-02 | 浏览：315", "正文"),
])
def test_a_title_over_a_label_that_introduces_the_body_is_taken_and_the_label_leaves(fields, label):
    t = "关于本文档的说明" if "文档" in label else "安装前需要准备什么"
    body = prose(4)
    cleaned, _ = clean_text(page([fields, t, label], body, []), "text")
    assert cleaned.meta.title == t
    lines = [line for line in cleaned.articles[0].text.split("\n") if line.strip()]
    assert t not in lines and label not in lines
    assert [norm(line) for line in lines] == [norm(finished(p)) for p in body]


@pytest.mark.parametrize("field", ["文章关键字：工会 讲话", "本文关键字: 发行版 软件包"])
def test_a_field_whose_key_a_qualifier_opens_is_no_title(field):
    cleaned, _ = clean_text(page([field], speech(0), []), "text")
    assert cleaned.meta.title is None and cleaned.articles[0].title is None
