"""Notices known by what they talk about and how they are framed; outline blocks of several shapes (issue 12, item 4).

The prose is real (page 004 of the samples, the Debian FAQ); the notices are
worded as many sites word them, no two alike, so that a rule tuned to one
sentence fails here.
"""

import pytest

from cleaners.pipeline import clean_text
from cleaners.structure.notices import length_in_chars
from tests.pages import finished
from tests.styles import faq_paragraphs
from tests.test_page_stages import prose

FRAMED = [
    "……登录后可继续阅读……",
    "★★★ 开通VIP会员，畅读剩余内容 ★★★",
    "—— 以上为预览内容，下载后查看完整文档 ——",
    "【付费内容，支付后解锁全文】",
    "〖注册会员即可浏览余下部分〗",
    "*** 试读结束 ***",
    "--- 扫码关注公众号，回复关键词获取全文 ---",
    "（登入會員後繼續閱讀）",
    "[ 下载文档查看全部内容 ]",
    "……购买后可看完整版……",
    "〔以下内容仅限会员查看〕",
    "**剩余内容请下载附件**",
    "▼ 下载完整文档 ▼",
    "『登录后继续阅读』",
    "（因篇幅所限，完整内容请下载后查看）",
    "……此处隐藏的内容，回复后可见……",
]


@pytest.mark.parametrize("notice", FRAMED)
def test_a_framed_notice_at_the_end_is_removed_and_truncates(notice):
    first, second = prose()
    for text in (f"{first}\n{second}\n{notice}", f"{first}\n{second}{notice}"):
        page, reports = clean_text(text, "text")
        article = page.articles[0]
        assert article.text.split("\n") == [finished(first), finished(second)]
        assert page.meta.truncated
        assert sum(r.counts.get("notices_removed", 0) for r in reports) == 1


@pytest.mark.parametrize("notice", FRAMED[:6])
def test_a_framed_notice_between_paragraphs_is_a_gap(notice):
    first, second = prose()
    page, _ = clean_text(f"{first}\n{notice}\n{second}", "text")
    article = page.articles[0]
    assert article.text.split("\n") == [finished(first), finished(second)]
    assert article.gaps == (len(finished(first)) + 1,)
    assert page.meta.truncated


@pytest.mark.parametrize("line", [
    "【注册与登录】",  # a heading: what to do, not what one gets
    "……",  # an ellipsis inside the prose is no notice
    "（详见下载页面）",  # a bracket that names a download, nothing withheld
    "用户需要先注册账号，然后才能查看自己的订单。",  # prose with the vocabulary, no frame
    "（一）下载并阅读安装指南",  # a numbered heading
    "* 下载并阅读发行说明",  # a list item
    "【阅读提示】本文篇幅较长，建议收藏后慢慢阅读。",  # reading, but nothing to do for it
])
def test_the_vocabulary_without_a_notice_shape_stays(line):
    first, second = prose()
    page, _ = clean_text(f"{first}\n{line}\n{second}", "text")
    assert finished(line) in page.articles[0].text.split("\n")
    assert not page.meta.truncated


def test_debian_faq_prose_with_download_and_login_words_is_kept():
    paragraphs = [p for name in ("getting-debian", "support", "software") for p in faq_paragraphs(name)
                  if any(w in p for w in ("下载", "登录", "注册", "订阅"))]
    assert len(paragraphs) >= 5
    page, _ = clean_text("\n".join(paragraphs), "text")
    assert page.articles[0].text.split("\n") == [finished(p) for p in paragraphs]
    assert not page.meta.truncated


@pytest.mark.parametrize("notice, lengths", [
    ("……（本文约3.5千字，试读1200字，余下内容需付费解锁）……", (3500, 1200, 2300)),
    ("【全文共1,800字，当前显示600字，登录后查看剩余部分】", (1800, 600, 1200)),
    ("（剩余2400字符，开通会员后阅读）", (None, None, 2400)),
    ("—— 全文1.2万字，已显示3000字，下载后阅读 ——", (12000, 3000, 9000)),
])
def test_lengths_in_any_unit_and_order(notice, lengths):
    first, second = prose()
    page, _ = clean_text(f"{first}\n{second}\n{notice}", "text")
    assert (page.meta.declared_chars, page.meta.shown_chars, page.meta.remaining_chars) == lengths
    assert page.meta.truncated


def test_a_length_beyond_int32_or_in_pages_is_ignored_and_counted():
    first, second = prose()
    notice = "【全文共99999999999字，当前显示1500字，共12页，注册后阅读全部】"
    page, reports = clean_text(f"{first}\n{second}\n{notice}", "text")
    assert page.articles[0].text.split("\n") == [finished(first), finished(second)]
    assert (page.meta.declared_chars, page.meta.shown_chars) == (None, 1500)
    assert sum(r.counts.get("lengths_ignored", 0) for r in reports) >= 1
    assert length_in_chars("12页") is None and length_in_chars(str(2**31)) is None
    assert length_in_chars(str(2**31 - 1)) == 2**31 - 1


OUTLINE = ["（一）软件包从哪里来", "（二）版本如何选择", "（三）遇到问题找谁"]


@pytest.mark.parametrize("head, close", [
    ("〖内容导航〗", "〖正文开始〗"),
    ("【本文目录】", "【正文】"),
    ("本文大纲：", "————————"),
    ("提纲：", "------"),
    ("目录/提纲：……", "……"),
    ("[导读]", None),  # no closing marker: the enumerated items that follow
])
def test_outline_blocks_of_several_shapes_go_to_outline(head, close):
    first, second = prose()
    lines = ["学习资料站", head, *OUTLINE, *([close] if close else []), first, second]
    page, _ = clean_text("\n".join(lines), "text")
    assert list(page.meta.outline) == OUTLINE
    text = page.articles[0].text
    assert all(item not in text for item in OUTLINE) and finished(second) in text
