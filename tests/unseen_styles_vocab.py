# ruff: noqa: UP031  (page furniture is written as printf-style templates, like the sites print it)
"""Ten more site styles for the vocabulary families of ``data/chrome.toml`` (issue 12).

Written before the families were tuned, with furniture of the same kinds as
``tests/unseen_styles.py`` (forum action rows, edit stamps, login bars, app and
QR widgets, site statements, browser advice, counters, permalinks, prev/next,
copyright, service rows, image widgets, banners, follow rows, newsletter lines,
encyclopedia tools) but worded otherwise, so that a rule tuned to the first set's
sentences would miss them. Pages are cleaned one at a time: only the generic rules
can act.

``python -m tests.unseen_styles_vocab`` prints the per-style figures.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.styles import Style
from tests.unseen_styles import measure, measure_batch, prose, speech, summary, title


def community_forum(i: int) -> Style:
    t = title(i + 2)
    user = "老猫%d" % (i + 3)
    return Style("community forum reply page", t,
                 head=[t, "%s 发表于 2023-6-%d 10:12:09 | 显示全部楼层" % (user, i % 28 + 1), "电梯直达"],
                 prose=prose(i + 20),
                 tail=["收藏 分享 评分", "该帖子最后由 %s 于 2023-6-%d 11:30 修改" % (user, i % 28 + 1),
                       "支持(0) 反对(0) 回复 举报", "登录后才能发表回复　立即登录　注册账号"],
                 expected={"title": t, "truncated": False})


def app_news(i: int) -> Style:
    t = title(i + 3)
    return Style("app-first news site", t,
                 head=["用户登录　|　注册新用户", t, "2024-02-%02d 11:05　来源：晨光日报" % (i % 28 + 1)],
                 prose=prose(i + 21),
                 tail=["下载晨光新闻APP，看更多深度报道", "微信扫码 手机上阅读本文",
                       "免责声明：本网转载内容仅代表作者本人观点，与本网立场无关。"],
                 expected={"title": t, "truncated": False})


def encyclopedia(i: int) -> Style:
    t = title(i + 4)
    return Style("online encyclopedia", t,
                 head=[t, "编辑 ｜ 锁定 ｜ 讨论 ｜ 上传视频", "本条目由百科科学委员会专家审定"],
                 prose=prose(i + 22),
                 tail=["参考文献", "词条标签：软件 ｜ 操作系统", "浏览量：%d 次　最近更新：2024-01-0%d" % (5600 + i, i % 9 + 1)],
                 expected={"title": t, "truncated": False})


def clinic_site(i: int) -> Style:
    t = title(i + 5)
    return Style("clinic site", t,
                 head=["康宁医院 — 用心守护您的健康", t],
                 prose=prose(i + 23),
                 tail=["声明：本文内容仅供参考，不作为诊断和治疗的依据，如有不适请及时就医。",
                       "门诊时间 · 专家介绍 · 就医指南 · 网上预约", "服务电话：0571-8888%04d" % (i + 6)],
                 expected={"title": t, "truncated": False})


def school_portal(i: int) -> Style:
    t = title(i)
    return Style("middle school portal", t,
                 head=["欢迎光临星城第一中学网站", "学校首页　学校概况　新闻动态　招生信息", t],
                 prose=prose(i + 24),
                 tail=["推荐使用Chrome或Edge浏览器，最佳分辨率1920*1080", "累计访问：%d 人次" % (765432 + i),
                       "星城第一中学 版权所有 © 2008-2024"],
                 expected={"title": t, "site": "星城第一中学", "truncated": False})


def wechat_reprint(i: int) -> Style:
    t = "在工会年度总结会上的讲话（%d）" % (i + 1)
    return Style("wechat reprint", t,
                 head=[t, "原创　职工之家　2024-0%d-1%d" % (i % 9 + 1, i % 10)],
                 prose=speech(i + 2),
                 tail=["阅读原文", "微信扫一扫　关注该公众号",
                       "声明：文章来源于网络，仅供学习交流，如涉及版权问题请联系后台删除。", "喜欢此内容的人还喜欢"],
                 expected={"title": t, "truncated": False})


def dev_column(i: int) -> Style:
    t = title(i + 1)
    return Style("developer column", t,
                 head=[t, "置顶　小王的技术笔记　已于 2023-0%d-2%d 修改　阅读量%d" % (i % 9 + 1, i % 10, 1200 + i)],
                 prose=prose(i + 25),
                 tail=["本文系作者原创，版权归作者所有，未经许可不得转载。", "点赞　收藏　评论　打赏",
                       "关注博主　私信", "原文地址：https://blog.example.net/p/%d" % (300 + i)],
                 expected={"title": t, "truncated": False})


def mail_digest(i: int) -> Style:
    t = title(i + 2)
    return Style("mailing digest", t,
                 head=["开源周刊 第%d期" % (i + 40), t],
                 prose=prose(i + 26),
                 tail=["您收到此邮件是因为您订阅了开源周刊", "取消订阅 | 在浏览器中查看", "觉得有用？请转发给朋友"],
                 expected={"title": t, "truncated": False})


def photo_news(i: int) -> Style:
    t = title(i + 3)
    p = prose(i + 27)
    return Style("photo news page", t,
                 head=[t, "2023-09-%02d 16:40　来源：滨海新闻网" % (i % 28 + 1)],
                 prose=p,
                 middle={2: ["△ 资料图片（来源：网络）", "点击图片进入下一页"]},
                 tail=["上一张　下一张", "【返回首页】", "滨海新闻网 © 版权所有"],
                 expected={"title": t, "truncated": False})


def resource_depot(i: int) -> Style:
    t = title(i + 4)
    return Style("resource depot", t,
                 head=["会员中心 | 登录 | 注册", t, "所需积分：%d　下载次数：%d" % (i % 5 + 1, 88 + i)],
                 prose=prose(i + 28),
                 tail=["资源举报 | 下载说明", "本站资源均为网友上传，仅供学习研究，请于下载后24小时内删除。",
                       "您是第%d位访问本站的朋友" % (98765 + i)],
                 expected={"title": t, "truncated": False})


STYLES: tuple[Callable[[int], Style], ...] = (
    community_forum, app_news, encyclopedia, clinic_site, school_portal, wechat_reprint, dev_column, mail_digest,
    photo_news, resource_depot,
)
PAGES_PER_STYLE = 3
BATCH_PAGES = 5


def figures(batch_pages: int = BATCH_PAGES) -> list[str]:
    rows = []
    for make in STYLES:
        single = [measure(make(i)) for i in range(PAGES_PER_STYLE)]
        batch = measure_batch([make(i) for i in range(batch_pages)])
        rows.append(f"{make.__name__}: single page: {summary(single)} | batch of {batch_pages}: {summary(batch)}")
    return rows


if __name__ == "__main__":
    print("\n".join(figures()))
