# ruff: noqa: UP031  (page furniture is written as printf-style templates, like the sites print it)
"""Nine more site styles for the edge of a single page (issue 12), worded unlike the 38 of ``tests.unseen_styles``.

Other banners, other button words, other footers, written before the edge
classifier (:mod:`cleaners.structure.edges`) was run on them: its figures on
the first run are kept in the test module (``tests/test_edges.py``) beside the
final ones. The prose, the truth and the scoring are those of
``tests.unseen_styles``.

``python -m tests.unseen_styles_edges`` prints the single-page figures per style.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.styles import Style, sample_paragraphs
from tests.unseen_styles import PAGES_PER_STYLE, measure, prose, speech, summary, title


def tourism_bureau(i: int) -> Style:
    t = title(i + 2)
    return Style("county tourism bureau", t,
                 head=["文旅之窗 · 智慧旅游服务平台", "栏目导航：景区动态 ｜ 游客指南 ｜ 文旅资讯 ｜ 互动交流", t,
                       "稿源：县文旅局　发布：2024年7月%d日　字号 大 中 小" % (i % 28 + 1)],
                 prose=prose(i + 20),
                 tail=["文章纠错 ｜ 打印 ｜ 关闭", "扫描二维码分享至朋友圈",
                       "版权所有：松溪县文化和旅游局　技术维护：松溪信息科技"],
                 expected={"title": t, "truncated": False})


def recipe_community(i: int) -> Style:
    t = title(i + 3)
    return Style("recipe community", t,
                 head=["美食天下社区", "登录　注册　发布菜谱", t, "来自 吃货小王　收藏 %d　浏览 3.%d万" % (256 + i, i % 10)],
                 prose=prose(i + 21),
                 tail=["觉得不错就点个赞吧", "赞 %d　评论 16" % (128 + i), "下载美食App，随时随地学做菜"],
                 expected={"title": t, "truncated": False})


def law_consult(i: int) -> Style:
    t = title(i + 4)
    return Style("legal consultation site", t,
                 head=["律师在线咨询热线 010-6523%04d" % (1000 + i), t, "【律师解答】 来自：北京某律师事务所"],
                 prose=prose(i + 22),
                 tail=["立即咨询律师", "在线客服 工作时间 9:00-18:00", "以上回答仅代表律师个人观点"],
                 expected={"title": t, "truncated": False})


def post_bar(i: int) -> Style:
    t = title(i + 5)
    return Style("post bar", t,
                 head=["贴吧首页 > 数码吧", t, "1楼 2021-03-%02d 10:22" % (i % 28 + 1), "只看楼主　收藏　回复"],
                 prose=prose(i + 23),
                 tail=["来自Android客户端", "送TA礼物", "回复(%d)" % (3 + i), "登录百度账号"],
                 expected={"title": t, "truncated": False})


def review_portal(i: int) -> Style:
    t = title(i)
    return Style("shopping review portal", t,
                 head=["购物攻略 › 数码 › 评测", t, "小鱼评测 | 2022.10.%02d | %d.2w 阅读" % (i % 28 + 1, i + 1)],
                 prose=prose(i + 24),
                 tail=["值 %d　不值 3　收藏 12" % (56 + i), "全部评论(8)", "好价爆料 · 原创征稿 · 商家入驻"],
                 expected={"title": t, "truncated": False})


def library_news(i: int) -> Style:
    t = title(i + 1)
    return Style("university library news", t,
                 head=["图书馆 | Library", "首页　本馆概况　读者服务　数字资源　新闻公告", t,
                       "来源：读者服务部　时间：2023-11-%02d　浏览：%d" % (i % 28 + 1, 215 + i)],
                 prose=prose(i + 25),
                 tail=["上一篇：没有了", "下一篇：关于延长开馆时间的通知", "馆址：学府路100号　邮编：100084　电话：010-62780000"],
                 expected={"title": t, "truncated": False})


def prose_site(i: int) -> Style:
    t = "在职工文艺汇演上的致辞（%d）" % (i + 1)
    return Style("essay and prose site", t,
                 head=["散文网", "散文网 > 散文 > 抒情散文", t, "作者：秋水　|　时间：2019-07-%02d　|　阅读：%d次" % (i % 28 + 1, 1520 + i)],
                 prose=speech(i + 2),
                 tail=["上一章　目录　下一章", "喜欢这篇文章？分享给朋友吧！", "投稿邮箱：tougao@sanwen.example"],
                 expected={"title": t, "truncated": False})


def app_share_page(i: int) -> Style:
    t = title(i + 2)
    return Style("news app share page", t,
                 head=[t, "看点快报　06-%02d 18:20" % (i % 28 + 1), "打开App，阅读体验更佳"],
                 prose=prose(i + 26),
                 tail=["展开全文", "不感兴趣", "评论 %d　赞 256" % (18 + i), "看点快报 · 精选"],
                 expected={"title": t, "truncated": False})


def campus_account(i: int) -> Style:
    t = "工會代表大會發言稿（%d）" % (i + 1)
    p = sample_paragraphs("003", 139, 150) if i % 2 == 0 else sample_paragraphs("003", 151, 163)
    return Style("campus account mirror", t,
                 head=[t, "某某大學招生辦 2023-06-%02d 18:00 發表於北京" % (i % 28 + 1)],
                 prose=p,
                 tail=["往期推薦", "高考志願填報指南", "新生入學須知", "校園開放日安排", "點個在看你最好看"],
                 expected={"truncated": False})


STYLES: tuple[Callable[[int], Style], ...] = (
    tourism_bureau, recipe_community, law_consult, post_bar, review_portal, library_news, prose_site,
    app_share_page, campus_account,
)


def figures() -> list[str]:
    """Per style: its pages cleaned one by one."""
    return [f"{make.__name__}: single page: {summary([measure(make(i)) for i in range(PAGES_PER_STYLE)])}"
            for make in STYLES]


if __name__ == "__main__":
    print("\n".join(figures()))
