"""Titles and authors right or null (issue 11, item 6)."""

import pytest

from cleaners.structure.names import article_title, author_name, simplified


@pytest.mark.parametrize(("raw", "expected"), [
    ("国务院召开常务会议_滚动新闻_中国政府网", "国务院召开常务会议"),
    ("习近平会见外宾-新华网", "习近平会见外宾"),
    ("关于 Debian 的常见问题 | Debian 中文站", "关于 Debian 的常见问题"),
    ("人民网 | 两会专题报道", "两会专题报道"),
    ("東京奧運開幕_體育頻道_新浪網", "東京奧運開幕"),
    ("  多余   空白 的标题  ", "多余 空白 的标题"),
])
def test_titles_lose_channel_and_site_suffixes(raw, expected):
    assert article_title(raw) == expected


@pytest.mark.parametrize("raw", ["新华网", "人民网_人民网", "www.example.com", "", None])
def test_a_site_name_is_no_title(raw):
    assert article_title(raw) is None


def test_the_page_site_name_is_dropped_even_when_it_does_not_look_like_a_site():
    assert article_title("长江三峡的春天 | 山水之间", site="山水之间") == "长江三峡的春天"


@pytest.mark.parametrize(("raw", "expected"), [
    ("作者：张三", "张三"), ("责任编辑：李四", "李四"), ("王小明 ", "王小明"), ("John Smith", "John Smith"),
])
def test_authors_are_names(raw, expected):
    assert author_name(raw) == expected


@pytest.mark.parametrize("raw", [
    "http://blog.example.com/u/1", "www.example.cn", 'size="2"', "<font>张三</font>", "admin@example.com",
    "Powered by Discuz! X3.4", "新浪网", "中国新闻网", "12345", "x" * 60,
])
def test_non_names_are_no_author(raw):
    assert author_name(raw) is None


def test_metadata_ends_in_simplified():
    assert simplified(article_title("東京奧運開幕_體育頻道_新浪網")) == "东京奥运开幕"
    assert simplified(author_name("作者：陳國華")) == "陈国华"
    assert simplified(None) is None
