# ruff: noqa: UP031  (page furniture is written as printf-style templates, like the sites print it)
"""Thirty-eight site styles no profile lists, as page generators around real clean prose (issue 12).

Each style is a made-up site of a common kind (news portal, government page,
forum thread, blog, document library, school, company, Q&A …) with furniture
written the way such sites word it, varied from style to style so that no rule
can be tuned to one sentence. ``make(i)`` gives page ``i`` of the style (other
prose, other title), so a batch of several pages per style is at hand; the
truth (prose, title, site, author, lengths, truncation) is written down with it.

``python -m tests.unseen_styles`` prints the per-style figures of :func:`figures`.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

from tests.pages import finished
from tests.styles import Style, faq_paragraphs, sample_paragraphs

FAQ = ("basic-defs", "software", "support", "getting-debian", "faqinfo")
TITLES = ("Debian 软件包管理入门", "如何选择适合自己的发行版", "获取技术支持的几种途径", "安装前需要准备什么",
          "关于本文档的说明", "自由软件的定义与由来")


def prose(i: int, n: int = 4) -> list[str]:
    """Page ``i``'s prose: ``n`` paragraphs of the Debian FAQ, different for every ``i``."""
    paragraphs = faq_paragraphs(FAQ[i % len(FAQ)])
    start = (i // len(FAQ)) * n % max(1, len(paragraphs) - n)
    return paragraphs[start:start + n]


def speech(i: int) -> list[str]:
    """Page ``i``'s prose taken from the sample speeches (Simplified)."""
    parts = (sample_paragraphs("004", 7, 13), sample_paragraphs("004", 17, 27), sample_paragraphs("000", 28, 29))
    return parts[i % len(parts)]


def title(i: int) -> str:
    return TITLES[i % len(TITLES)]


def gov_portal(i: int) -> Style:
    t = title(i)
    return Style("government portal", t,
                 head=["江宁市人民政府门户网站", "首页 > 政务公开 > 通知公告", t,
                       "发布时间：2024-06-0%d 09:30　来源：市政府办公室　【字体：大 中 小】" % (i % 9 + 1)],
                 prose=prose(i),
                 tail=["【打印本页】【关闭窗口】", "主办单位：江宁市人民政府办公室　承办单位：江宁市大数据中心",
                       "网站标识码：3201150001　苏ICP备05012345号", "建议使用1366×768分辨率，IE9以上浏览器浏览本站"],
                 expected={"title": t, "site": "江宁市人民政府", "truncated": False})


def news_channel(i: int) -> Style:
    t = title(i + 1)
    return Style("news channel", t,
                 head=["南方视点网 - 有温度的新闻", "您的位置：首页 / 科技 / 正文", t,
                       "2023年11月%d日 14:02　来源：南方视点网　记者 陈晓东" % (i % 20 + 1)],
                 prose=prose(i + 1),
                 tail=["责任编辑：刘洋", "手机看新闻 扫一扫", "分享到：", "版权所有 南方视点网 未经授权禁止转载"],
                 expected={"title": t, "site": "南方视点网", "author": "陈晓东", "truncated": False})


def forum_thread(i: int) -> Style:
    t = title(i + 2)
    return Style("forum thread", t,
                 head=["技术交流论坛 › 版块 › Linux 讨论区", t, "楼主 penguin_%d 发表于 2022-8-%d 21:15" % (i, i % 28 + 1),
                       "只看该作者 | 倒序浏览 | 阅读模式"],
                 prose=prose(i + 2),
                 tail=["回复 引用 举报", "本帖最后由 penguin_%d 于 2022-8-%d 22:01 编辑" % (i, i % 28 + 1),
                       "使用道具 举报", "您需要登录后才可以回帖 登录 | 立即注册"],
                 expected={"title": t, "author": "penguin_%d" % i, "truncated": False})


def personal_blog(i: int) -> Style:
    t = title(i + 3)
    return Style("personal blog", t,
                 head=["山间小径的博客", t, "作者：林间 | 2021-04-1%d | 阅读(%d) | 评论(2)" % (i % 10, 100 + i)],
                 prose=prose(i + 3),
                 tail=["本文标签：Debian 入门", "赞(3) 收藏 转发", "« 上一篇  下一篇 »", "Powered by 博客园 | 山间小径的博客"],
                 spacing="\n\n",
                 expected={"title": t, "author": "林间", "site": "山间小径的博客", "truncated": False})


def wenku_preview(i: int) -> Style:
    t = title(i + 4)
    p = prose(i + 4, 6)
    return Style("document download site", t,
                 head=["文档分享平台", t, "上传者：doc_user%d　页数：5页　下载积分：3" % i],
                 prose=p,
                 middle={3: ["……（中间省略%d字）……" % (900 + i)]},
                 tail=["【试读结束，全文共%d字，剩余%d字需下载后阅读】" % (5000 + i, 3000 + i), "立即下载 | 加入收藏 | 举报",
                       "相关文档推荐"],
                 expected={"title": t, "truncated": True, "declared_chars": 5000 + i, "shown_chars": 2000,
                           "omitted_chars": 900 + i})


def school_news(i: int) -> Style:
    t = title(i + 5)
    return Style("school news", t,
                 head=["青山大学新闻网", "当前位置：首页 >> 校园动态", t,
                       "作者：宣传部　审核：王老师　发布日期：2024-03-1%d　点击数：%d" % (i % 10, 300 + i)],
                 prose=prose(i + 5),
                 tail=["上一条：学校召开年度工作会议", "下一条：图书馆开展读书月活动", "【关闭】",
                       "Copyright © 2024 青山大学 版权所有 地址：青山市大学路1号"],
                 expected={"title": t, "site": "青山大学", "truncated": False})


def company_site(i: int) -> Style:
    t = title(i)
    return Style("company site", t,
                 head=["欢迎访问恒信科技有限公司官网！", "网站首页 | 关于我们 | 新闻中心 | 联系我们", t,
                       "发布者：恒信科技　时间：2020-07-%02d" % (i % 28 + 1)],
                 prose=prose(i + 6),
                 tail=["咨询热线：400-800-1234", "Copyright © 恒信科技有限公司 All Rights Reserved",
                       "技术支持：某某网络"],
                 expected={"title": t, "site": "恒信科技有限公司", "truncated": False})


def qa_site(i: int) -> Style:
    t = title(i + 1)
    return Style("Q&A site", t,
                 head=["问答社区", t, "提问者：小白%d　2023-02-%02d" % (i, i % 28 + 1), "最佳答案"],
                 prose=prose(i + 7),
                 tail=["已赞过 已踩过 你对这个回答的评价是？", "评论 收起", "其他类似问题", "为你推荐："],
                 expected={"title": t, "truncated": False})


def essay_library(i: int) -> Style:
    t = "在工会工作会议上的讲话（%d）" % (i + 1)
    return Style("model-essay library", t,
                 head=[t, "时间：2022-10-%02d 作者：佚名 来源：网络" % (i % 28 + 1),
                       f"以下是小编精心整理的{t}，欢迎阅读与收藏。"],
                 prose=speech(i),
                 tail=["（未完，全文共%d字，当前仅显示%d字，请阅读下面提示信息）" % (4200 + i, 1800 + i),
                       f"收藏《{t}》，随时浏览", "本文由用户投稿，如有侵权请联系删除"],
                 expected={"title": t, "truncated": True, "declared_chars": 4200 + i, "shown_chars": 1800 + i})


def county_bulletin(i: int) -> Style:
    t = "关于做好%d月份工会工作的通知" % (i % 12 + 1)
    return Style("county bulletin", t,
                 head=["字号：[大][中][小]", t, "信息来源：县总工会　发布时间：2023-0%d-15" % (i % 9 + 1)],
                 prose=speech(i + 1),
                 tail=["扫一扫在手机打开当前页", "【我要纠错】 【打印】 【关闭】", "主办：清河县人民政府　版权所有"],
                 expected={"title": t, "site": "清河县人民政府", "truncated": False})


def mobile_news(i: int) -> Style:
    t = title(i + 2)
    return Style("mobile news page", t,
                 head=[t, "星海日报 2024-05-%02d 08:00" % (i % 28 + 1)],
                 prose=prose(i + 8),
                 tail=["打开APP阅读更多精彩内容", "点击展开全文", "举报/反馈", "下载星海日报客户端"],
                 expected={"title": t, "truncated": False})


def reprint_blog(i: int) -> Style:
    t = title(i + 3)
    return Style("reprint aggregator", t,
                 head=[t, "转载自：某技术社区　原文链接：https://example.com/p/%d" % (1000 + i)],
                 prose=prose(i + 9),
                 tail=["本文转载自网络，版权归原作者所有，如有侵权请联系我们删除。",
                       "本文链接：https://example.org/a/%d.html" % (2000 + i), "转载请注明出处"],
                 expected={"title": t, "truncated": False})


def member_wall(i: int) -> Style:
    t = "在职工代表大会上的讲话稿%d" % (i + 1)
    return Style("membership wall", t,
                 head=["范文先生网", t],
                 prose=speech(i + 2),
                 tail=["……", "（剩余%d字，开通VIP会员后可查看全文）" % (2500 + i), "会员登录 | 免费注册"],
                 expected={"title": t, "truncated": True})


def login_to_continue(i: int) -> Style:
    t = title(i + 4)
    return Style("login to continue", t,
                 head=[t, "发布时间：2022-12-%02d" % (i % 28 + 1)],
                 prose=prose(i + 10),
                 tail=["……登录后可继续阅读……", "还没有账号？立即注册"],
                 expected={"title": t, "truncated": True})


def trad_forum(i: int) -> Style:
    t = "工會代表大會發言稿%d" % (i + 1)
    return Style("Traditional forum", t,
                 head=["首頁 » 討論區 » 範文分享", t, "發表於 2021-9-%d 10:05" % (i % 28 + 1)],
                 prose=sample_paragraphs("003", 139, 150) if i % 2 == 0 else sample_paragraphs("003", 151, 163),
                 tail=["回覆 引用", "分享到：Facebook Twitter", "返回列表"],
                 expected={"title": t, "truncated": False})


def download_station(i: int) -> Style:
    t = title(i + 5)
    return Style("download station", t,
                 head=[t, "资料大小：32KB　资料格式：DOC　更新时间：2019-05-%02d" % (i % 28 + 1)],
                 prose=prose(i + 11),
                 tail=["温馨提示：本资料仅供参考，请下载后阅读完整内容。", "点此下载完整文档", "本站不保证资料的准确性"],
                 expected={"title": t, "truncated": True})


def portal_with_ad(i: int) -> Style:
    t = title(i)
    return Style("portal with inline ads", t,
                 head=["首页 > 资讯 > 正文", t, "2024-01-%02d 来源：网络" % (i % 28 + 1)],
                 prose=prose(i + 12),
                 middle={2: ["广告", "点击查看更多精彩内容"]},
                 tail=["相关推荐", "热门阅读", "网站地图 | 隐私政策 | 联系我们"],
                 expected={"title": t, "truncated": False})


def elided_speech(i: int) -> Style:
    t = "在工会学习研讨会上的发言（%d）" % (i + 1)
    p = speech(i)
    return Style("elided speech page", t,
                 head=[t, "2025-02-%02d 21:52:21" % (i % 28 + 1)],
                 prose=p,
                 middle={len(p) // 2: ["……（此处略）……"]},
                 tail=[],
                 expected={"title": t, "truncated": True})


def wiki_page(i: int) -> Style:
    t = title(i + 1)
    return Style("wiki page", t,
                 head=[t, "编辑 | 讨论 | 历史", "本词条由知识百科编辑团队审核"],
                 prose=prose(i + 13),
                 tail=["参考资料", "词条统计：浏览次数 %d 次 编辑次数 3 次" % (1000 + i), "最近更新：2023-06-01"],
                 expected={"title": t, "truncated": False})


def newsletter(i: int) -> Style:
    t = title(i + 2)
    return Style("newsletter archive", t,
                 head=["第%d期 | 开源简报" % (i + 10), t],
                 prose=prose(i + 14),
                 tail=["—— 完 ——", "如果您不想再收到本简报，请点击退订", "欢迎转发给需要的朋友"],
                 expected={"title": t, "truncated": False})


# Five more styles (issue 12 item 5): head regions worded and ordered otherwise, for title, site and author.
def provincial_department(i: int) -> Style:
    t = title(i + 3)
    return Style("provincial department", t,
                 head=["当前位置：首页 → 工作动态", t,
                       "时间：2024年3月%d日　信息来源：厅办公室　浏览次数：%d" % (i % 28 + 1, 321 + i)],
                 prose=prose(i + 15),
                 tail=["主办单位：安澜省教育厅　地址：安澜市文教路8号", "安澜省教育厅 版权所有　皖ICP备12345678号"],
                 expected={"title": t, "site": "安澜省教育厅", "author": None, "truncated": False})


def city_evening_paper(i: int) -> Style:
    t = title(i + 4)
    return Style("city evening paper", t,
                 head=["滨江晚报数字版", "滨江晚报 > 社会新闻", t, "本报记者　周明远　通讯员　李华",
                       "2024-04-%02d 07:30" % (i % 28 + 1)],
                 prose=prose(i + 16),
                 tail=["编辑：孙丽　校对：王强", "© 2024 滨江晚报社"],
                 expected={"title": t, "site": "滨江晚报", "author": "周明远", "truncated": False})


def outdoor_forum(i: int) -> Style:
    t = title(i + 5)
    user = "snowfox%d" % (i + 7)
    return Style("outdoor forum", t,
                 head=["绿野户外社区 - 驴友之家", "绿野户外社区 » 户外论坛 » 装备讨论", t, "查看: %d|回复: 12" % (1523 + i),
                       "%s 发表于 2023-3-%d 19:42:11 | 只看该作者" % (user, i % 28 + 1)],
                 prose=prose(i + 17),
                 tail=["回复 支持 反对", "绿野户外社区 Powered by Discuz! X3.4"],
                 expected={"title": t, "site": "绿野户外社区", "author": user, "truncated": False})


def column_blog(i: int) -> Style:
    t = title(i)
    return Style("columnist blog", t,
                 head=[t, "文/林小雨　　2022-09-%02d 20:11　　阅读 %d" % (i % 28 + 1, 356 + i), "分类：随笔 | 标签：读书"],
                 prose=prose(i + 18),
                 tail=["本文为作者原创，转载请联系作者", "上一篇：%s" % title(i + 1), "下一篇：%s" % title(i + 2)],
                 expected={"title": t, "site": None, "author": "林小雨", "truncated": False})


def traditional_company(i: int) -> Style:
    t_hant, t_hans = ("工會代表大會發言稿（%d）" % (i + 1), "工会代表大会发言稿（%d）" % (i + 1))
    return Style("Traditional company news", t_hant,
                 head=["首頁 | 關於我們 | 新聞中心 | 聯絡我們", "新聞中心", t_hant,
                       "發佈日期：2023/11/%02d　作者：陳志明" % (i % 28 + 1)],
                 prose=sample_paragraphs("003", 139, 150) if i % 2 == 0 else sample_paragraphs("003", 151, 163),
                 tail=["Copyright © 2023 宏達精密股份有限公司 版權所有"],
                 expected={"title": t_hans, "site": "宏达精密股份有限公司", "author": "陈志明", "truncated": False})


# Styles added for issue 12 items 4 and 6: notices and outlines in other frames and wordings.


def bracketed_outline(i: int) -> Style:
    t = title(i + 3)
    items = ("（一）软件包从哪里来", "（二）版本如何选择", "（三）遇到问题找谁")
    return Style("bracketed outline", t,
                 head=["学习资料站", t, "〖内容导航〗", *items, "〖正文开始〗"],
                 prose=prose(i + 15),
                 tail=["〖本文完〗"],
                 expected={"title": t, "outline": items, "truncated": False})


def outline_with_dash_close(i: int) -> Style:
    t = title(i + 4)
    items = ("1. 为什么要读这份文档", "2. 文档的组织方式", "3. 如何反馈意见")
    return Style("outline closed by a rule", t,
                 head=[t, "本文大纲：", *items, "————————"],
                 prose=prose(i + 16),
                 tail=["——— 下载全文请登录会员账号 ———"],
                 expected={"title": t, "outline": items, "truncated": True})


def vip_stars(i: int) -> Style:
    t = "在工会干部培训班上的讲话稿（%d）" % (i + 1)
    return Style("VIP wall in stars", t,
                 head=[t, "范文集萃 | 2023-08-%02d" % (i % 28 + 1)],
                 prose=speech(i + 1),
                 tail=["★★★ 开通VIP会员，畅读剩余内容 ★★★", "已有%d人开通" % (3000 + i)],
                 expected={"title": t, "truncated": True})


def thousand_char_trial(i: int) -> Style:
    t = title(i + 5)
    return Style("trial in thousands of characters", t,
                 head=[t, "资料编号：%d" % (880000 + i)],
                 prose=prose(i + 17),
                 tail=["……（本文约%d.5千字，试读%d字，余下内容需付费解锁）……" % (3 + i % 3, 1200 + i)],
                 expected={"title": t, "truncated": True, "declared_chars": (3 + i % 3) * 1000 + 500,
                           "shown_chars": 1200 + i})


def trad_member_gap(i: int) -> Style:
    t = "職工代表大會工作報告%d" % (i + 1)
    p = sample_paragraphs("003", 139, 150) if i % 2 == 0 else sample_paragraphs("003", 151, 163)
    return Style("Traditional member gap", t,
                 head=["首頁 > 報告範文", t],
                 prose=p,
                 middle={len(p) // 2: ["……（中間部分登入會員後可見）……"]},
                 tail=["-- 付費下載完整版 --"],
                 expected={"title": t, "truncated": True})


def pages_preview(i: int) -> Style:
    t = title(i)
    return Style("page-count preview", t,
                 head=[t, "文档页数：%d页" % (10 + i)],
                 prose=prose(i + 18),
                 tail=["—— 以上为预览内容，全文共%d页，下载后查看 ——" % (10 + i), "举报 | 收藏"],
                 expected={"title": t, "truncated": True})


def oversized_length(i: int) -> Style:
    t = title(i + 1)
    return Style("length beyond range", t,
                 head=[t],
                 prose=prose(i + 19),
                 tail=["【全文共%d字，当前显示%d字，注册后阅读全部】" % (99999999999 + i, 1500 + i)],
                 expected={"title": t, "truncated": True, "shown_chars": 1500 + i})


# Six more styles (issue 12, items 2 and 3): furniture worded unlike the twenty above, much of it
# without the usual chrome vocabulary, so that only its repetition across pages gives it away.

def service_hall(i: int) -> Style:
    t = title(i + 3)
    return Style("government service hall", t,
                 head=["无障碍浏览 | 长者模式 | 简体 | 繁體", "云山市政务服务网", t,
                       "索引号：11330100-%04d-02　主题分类：综合政务　成文日期：2023年%d月8日" % (i + 7, i % 12 + 1)],
                 prose=prose(i + 15),
                 tail=["网站纠错　政府网站找错", "您是本站第%d位访客" % (123456 + 17 * i), "云山市人民政府办公厅 主办"],
                 expected={"title": t, "truncated": False})


def coder_blog(i: int) -> Style:
    t = title(i + 4)
    return Style("programmer blog", t,
                 head=[t, "原创　码农小张　最新推荐文章于 2023-0%d-12 发布" % (i % 9 + 1), "文章标签：linux 运维"],
                 prose=prose(i + 16),
                 tail=["版权声明：本文为博主原创文章，遵循 CC 4.0 BY-SA 版权协议，转载请附上原文出处链接和本声明。",
                       "一键三连　打赏作者", "码农小张", "关注 TA"],
                 expected={"title": t, "truncated": False})


def self_media(i: int) -> Style:
    t = title(i + 5)
    return Style("self-media mirror", t,
                 head=[t, "原创 晨曦杂谈 晨曦杂谈 %d年%d月%d日 07:3%d" % (2020 + i % 4, i % 12 + 1, i % 28 + 1, i % 10)],
                 prose=prose(i + 17),
                 tail=["特别声明：以上内容为自媒体平台“晨曦杂谈”用户上传并发布，本平台仅提供信息存储服务。",
                       "查看原图 %d K" % (80 + i), "晨曦杂谈 · 每天一点新知"],
                 expected={"title": t, "truncated": False})


def teaching_resources(i: int) -> Style:
    t = "在新学期教职工大会上的讲话（%d）" % (i + 1)
    return Style("teaching resources", t,
                 head=["教学资源网 » 教案 » 讲话稿", t, "资源属性：年级 通用｜学科 综合｜类型 讲话稿",
                       "本资料由会员 jiaoshi%02d 上传" % i],
                 prose=speech(i + 1),
                 tail=["进入下载页", "资源难免有错漏，发现请留言更正", "教学资源网 - 为老师减负"],
                 expected={"title": t, "truncated": False})


def hospital_column(i: int) -> Style:
    t = title(i)
    return Style("hospital health column", t,
                 head=["健康科普 | 仁和医院", t, "审核专家：主任医师 李卫东　%d-11-0%d" % (2019 + i % 5, i % 9 + 1)],
                 prose=prose(i + 18),
                 tail=["本文仅作健康科普，不能替代医生面诊", "预约挂号　在线问诊　报告查询", "仁和医院微信服务号"],
                 expected={"title": t, "truncated": False})


def group_press(i: int) -> Style:
    t = title(i + 1)
    return Style("group press release", t,
                 head=["鑫源集团", "集团新闻 — 企业动态", t, "发稿：品牌中心　%d/06/1%d" % (2021 + i % 3, i % 10)],
                 prose=prose(i + 19),
                 middle={2: ["▲ 图片由品牌中心提供"]},
                 tail=["上一则　下一则", "鑫源集团 © 保留所有权利", "浙ICP备2021%05d号" % (1234 + i)],
                 expected={"title": t, "truncated": False})


STYLES: tuple[Callable[[int], Style], ...] = (
    gov_portal, news_channel, forum_thread, personal_blog, wenku_preview, school_news, company_site, qa_site,
    essay_library, county_bulletin, mobile_news, reprint_blog, member_wall, login_to_continue, trad_forum,
    download_station, portal_with_ad, elided_speech, wiki_page, newsletter,
    provincial_department, city_evening_paper, outdoor_forum, column_blog, traditional_company,
    bracketed_outline, outline_with_dash_close, vip_stars, thousand_char_trial, trad_member_gap, pages_preview,
    oversized_length,
    service_hall, coder_blog, self_media, teaching_resources, hospital_column, group_press,
)
PAGES_PER_STYLE = 3
BATCH_PAGES = 5  # pages of a style ingested together: enough for its furniture to recur


def truth(style: Style) -> str:
    return "\n".join(finished(p) for p in style.prose)


def error_rate(expected: str, found: str) -> float:
    """Characters inserted or deleted to turn ``found`` into ``expected``, over the length of ``expected``."""
    from tests.test_generic_chrome import norm

    a, b = norm(expected), norm(found)
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return (len(a) + len(b) - 2 * matched) / max(1, len(a))


def score(style: Style, text: str, found_meta: dict) -> dict:
    """Error rate of the text, chrome lines left, metadata fields right of those stated."""
    from cleaners.structure.names import simplified
    from tests.test_generic_chrome import norm

    folded = norm(text)
    left = [line for line in style.chrome if norm(line) and norm(line) in folded]
    right, stated = 0, 0
    for name, value in style.expected.items():
        found = found_meta.get(name)
        found = tuple(found) if isinstance(found, list) else found  # a Parquet list column reads back as a list
        ok = (found is not None and norm(found) == norm(value)) if isinstance(value, str) else found == value
        ok = ok and (not isinstance(found, str) or found == simplified(found))  # every string Simplified
        right += ok
        stated += 1
    return {"cer": error_rate(truth(style), text), "left": left, "right": right, "stated": stated}


def measure(style: Style) -> dict:
    """One page cleaned on its own."""
    from cleaners.pipeline import clean_text

    page, _ = clean_text(style.text, "text")
    text = "\n".join(a.text for a in page.articles)
    found = {name: getattr(page.meta, name, None) for name in style.expected}
    found["title"] = page.articles[0].title or page.meta.title
    return score(style, text, found)


def clean_as_batch(pages: list[str], out_dir=None, batch_id: str = "styles") -> list[list[dict]]:
    """The records of each page, the pages ingested together as one batch by the pipeline's batch function.

    With ``out_dir``, the batch is added to that output directory (and its furniture counts).
    """
    import tempfile
    from pathlib import Path

    import pyarrow.dataset as ds

    from ingest.run import run_batch, serial_chunks

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for i, text in enumerate(pages):
            (raw / f"page-{i:03d}.txt").write_text(text, "utf-8")
        out = Path(out_dir) if out_dir is not None else Path(tmp) / "out"
        run_batch(raw, out, batch_id, False, serial_chunks, replace=True)  # a rerun of the id replaces it
        rows = ds.dataset(out / "documents" / f"batch_id={batch_id}").to_table().to_pylist()
    by_page: list[list[dict]] = [[] for _ in pages]
    for row in sorted(rows, key=lambda r: (r["source_path"], r["part_index"])):
        by_page[int(row["source_path"].split("-")[1].split(".")[0])].append(row)
    return by_page


def measure_batch(styles: list[Style]) -> list[dict]:
    """Each page's figures when the pages are cleaned as one batch."""
    results = []
    for style, records in zip(styles, clean_as_batch([s.text for s in styles]), strict=True):
        text = "\n".join(r["text"] for r in records)
        found = {name: records[0][name] if records else None for name in style.expected}
        results.append(score(style, text, found))
    return results


def summary(results: list[dict]) -> str:
    cer = max(r["cer"] for r in results)
    left = sum(len(r["left"]) for r in results)
    right = sum(r["right"] for r in results)
    stated = sum(r["stated"] for r in results)
    return f"max CER {cer:.2%}, chrome lines left {left}, metadata {right}/{stated}"


def figures(batch_pages: int = BATCH_PAGES) -> list[str]:
    """Per style: its pages cleaned one by one, then ``batch_pages`` of them cleaned as one batch."""
    rows = []
    for make in STYLES:
        single = [measure(make(i)) for i in range(PAGES_PER_STYLE)]
        batch = measure_batch([make(i) for i in range(batch_pages)])
        rows.append(f"{make.__name__}: single page: {summary(single)} | batch of {batch_pages}: {summary(batch)}")
    return rows


if __name__ == "__main__":
    print("\n".join(figures()))
