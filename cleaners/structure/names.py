"""Titles and authors that are right or null: no site suffixes, no site names, no markup.

Pure functions on strings, shared by the HTML, feed and text-page stages. The
rules read the *shape* of a value, not one site's wording:

* a page title is ``标题<sep>栏目<sep>网站`` (``_``, ``|``, ``｜``, `` - ``, ``—``,
  or a bare ``-`` before a site-like tail); the article title is the longest
  leading segment, the trailing segments being channel and site;
* a title that is only the site's name (or a site-like name) is no title;
* an author is a person's or desk's name: short, no URL, no markup or
  attribute (``size=``), no e-mail, not a site (``…网``, ``….com``) nor
  software credits (``Powered by …``);
* every value ends in Simplified (OpenCC t2s, as the text).
"""

from __future__ import annotations

import re

from cleaners.chinese import HAN_UNIFIED_SPAN

SEPARATORS = re.compile(r"\s*(?:[_|｜]|——?|–|-{2,})\s*|\s+[-－]\s+")
BARE_HYPHEN_TAIL = re.compile(r"^(?P<head>.{4,}?)\s*[-－](?P<tail>[^-－]{2,20})$")
# A segment that names a site or channel: ends in a site word, or is a domain.
SITE_LIKE = re.compile(
    r"(?:网|网站|在线|官网|频道|新闻|(?<![举汇通预申上回呈谎警播捷喜])报|日报|晚报|时报|周刊|杂志|消息|文摘|快讯|通讯社|出版社|杂志社|论坛|社区|博客|中心|平台|门户|首页|电视台|"
    r"广播|客户端|网易|新浪|搜狐|腾讯|凤凰网?|头条|资讯|政府|门户网站|BBS|bbs|網|網站|頻道|新聞|報|論壇|社區|門戶|資訊)$"
    r"|\.(?:com|cn|net|org|gov|edu)(?:\.cn)?$|^www\.",
    re.I,
)
URL = re.compile(r"https?://|www\.|\.(?:com|cn|net|org|html?|php|asp)\b", re.I)
MARKUP = re.compile(r"[<>=\"{}\[\]]|&\w+;")
EMAIL = re.compile(r"\S+@\S+\.\w+")
SOFTWARE = re.compile(
    r"powered\s+by|\b(?:discuz|phpwind|wordpress|dedecms|dede|empirecms|帝国cms|joomla|drupal|typecho|"
    r"z-?blog|emlog|phpcms|ecshop|vbulletin|phpbb|mediawiki|blogger|hexo|jekyll)\b",
    re.I,
)
BYLINE_LABEL = re.compile(r"^\s*(?:作者|作\s*者|文|记者|撰文|编辑|责任编辑|责编|by)\s*[:：|/]?\s*", re.I)
MAX_AUTHOR_CHARS = 40
MIN_SITE_PREFIX = 3  # a value this long that starts the site's name is the site
# Words a byline holds when the page names nobody: anonymous, unknown, the site itself, an admin account.
NO_AUTHOR = re.compile(r"^(?:佚名|匿名|匿名用户|未知|不详|无|暂无|网络|网友|互联网|本站|本网|原创|转载|admin|administrator|"
                       r"管理员|system|unknown|anonymous|"
                       # a role on a forum or in a newsroom, not a name (楼主 is the thread's first poster)
                       r"楼主|层主|版主|坛主|吧主|群主|游客|会员|用户|小编|编辑|记者|作者|本文作者|通讯员)$", re.I)
# A run of hanzi longer than this, without a separator, is a phrase or a sentence, not one or two names.
MAX_NAME_RUN = 12
HANZI_RUN = re.compile(rf"[{HAN_UNIFIED_SPAN}]{{{MAX_NAME_RUN + 1},}}")
SENTENCE_MARK = re.compile(r"[。！？!?；;，]")
LETTER = re.compile(r"[^\W\d_]")
MIN_TITLE_CHARS = 2


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def title_segments(title: str) -> list[str]:
    """The parts of ``标题_频道_网站`` (and of ``标题-网站`` when the tail looks like a site)."""
    parts = [p for p in SEPARATORS.split(squash(title)) if p]
    if len(parts) == 1:
        tails: list[str] = []
        while (bare := BARE_HYPHEN_TAIL.match(parts[0])) and SITE_LIKE.search(bare["tail"].strip()):
            parts, tails = [bare["head"].strip()], [bare["tail"].strip(), *tails]
        parts += tails
    return parts


def is_site_like(text: str, site: str | None = None) -> bool:
    """A site or channel name, by its shape (or equal to the page's site name)."""
    value = squash(text)
    if not value:
        return False
    if site:
        name, compact = squash(site).lower(), value.lower().replace(" ", "")
        if name in (value.lower(), compact) or (len(compact) >= MIN_SITE_PREFIX and name.startswith(compact)):
            return True  # the site's name or its leading part (恒信科技 of 恒信科技有限公司)
    return bool(SITE_LIKE.search(value)) and len(value) <= 16


def article_title(title: str | None, site: str | None = None) -> str | None:
    """The article's title without channel and site suffixes; ``None`` when it is only a site name.

    >>> article_title("国务院召开常务会议_滚动新闻_中国政府网")
    '国务院召开常务会议'
    >>> article_title("习近平会见外宾-新华网")
    '习近平会见外宾'
    >>> article_title("打造京津冀区域综合立体交通网络-股票频道-和讯网"), article_title("新闻动态--中国地理学会官网")
    ('打造京津冀区域综合立体交通网络', '新闻动态')
    >>> article_title("新华网")
    >>> article_title("疫情一刀切政策怎么投诉举报-铜雀历史网")  # 举报 is a verb, not a newspaper
    '疫情一刀切政策怎么投诉举报'
    """
    parts = [p for p in title_segments(title or "") if not is_site_like(p, site)]
    if not parts:
        return None
    first = parts[0]
    chosen = first if len(first) >= 4 else max(parts, key=len)
    return chosen if len(chosen) >= MIN_TITLE_CHARS else None


def author_name(value: str | None, site: str | None = None) -> str | None:
    """A person's or desk's name, or ``None`` for URLs, markup, e-mail, sites and software credits.

    >>> author_name("作者：张三")
    '张三'
    >>> author_name("Powered by Discuz!") is None
    True
    >>> author_name('size="2"') is None
    True
    >>> author_name("佚名"), author_name("admin"), author_name("恒信科技", site="恒信科技有限公司")
    (None, None, None)
    >>> author_name("2023-12-01"), author_name("楼主"), author_name("有关疫情一刀切的防疫政策也是疫情期间民众")
    (None, None, None)
    >>> author_name("汤诗瑶、丁涛"), author_name("医技药剂党支部")
    ('汤诗瑶、丁涛', '医技药剂党支部')
    """
    name = BYLINE_LABEL.sub("", squash(value)).strip(" ,，;；:：|/")
    if not name or len(name) > MAX_AUTHOR_CHARS:
        return None
    if URL.search(name) or MARKUP.search(name) or EMAIL.search(name) or SOFTWARE.search(name):
        return None
    if is_site_like(name, site) or not LETTER.search(name) or NO_AUTHOR.match(name):
        return None  # a site, a date or number, a role
    if HANZI_RUN.search(name) or SENTENCE_MARK.search(name):
        return None  # a line of the text taken for a byline
    return name


def simplified(value: str | None) -> str | None:
    """The value in Simplified (t2s and the 著 fix), ``None`` stays ``None``."""
    if not value:
        return value
    from cleaners.model import CleanConfig
    from cleaners.text.simplify import simplified_text

    return simplified_text(value, CleanConfig())


# Words around a site's name that are not part of it: a greeting before, a kind of site after.
SITE_GREETING = re.compile(r"^(?:欢迎(?:您)?(?:访问|来到|光临|登录|进入)|welcome\s+to)\s*", re.I)
SITE_KIND = re.compile(r"(?:门户网站|官方网站|官网|网站|首页|主页)$")
SITE_WELCOME = re.compile(r"(?:欢迎您|欢迎你|欢迎您的?访问|欢迎光临)[!！。.~～]*$")
SITE_DECORATION = re.compile(r"^[\s©®™!！。.,，:：~～]+|[\s©®™!！。.,，:：~～]+$")
# Names that say where a text came from without naming a site.
NO_SITE = re.compile(r"^(?:版权所有|版權所有|本文|原作者|作者|网络|互联网|网上|网友|网友投稿|用户投稿|投稿|本站|本网|原创|转载|佚名|未知|不详|其他|综合|"
                     r"整理|网络整理|本站整理|admin|administrator)$|^(?:all|rights|reserved|copyright|powered)\b", re.I)
SITE_MAX_CHARS = 30
# What follows 版权所有 when no owner is named: 侵权必究, 翻印必究, 禁止转载, 保留所有权利.
RIGHTS_PHRASE = re.compile(r"必究|转载|授权|许可|保留|声明|所有权|权利")


def site_name(value: str | None) -> str | None:
    """The name a banner, a footer or a field gives for the site, or ``None`` when it names none.

    The name loses greetings (``欢迎访问…！``), slogans after a separator
    (``南方视点网 - 有温度的新闻``) and the kind of page (``…门户网站``, ``…官网``,
    ``… 首页``); a ``…网`` stays, it is the name.

    >>> site_name("欢迎访问恒信科技有限公司官网！"), site_name("南方视点网 - 有温度的新闻")
    ('恒信科技有限公司', '南方视点网')
    >>> site_name("江宁市人民政府门户网站"), site_name("妙笔智库 首页"), site_name("新文秘网")
    ('江宁市人民政府', '妙笔智库', '新文秘网')
    >>> site_name("柳林区人民政府网站欢迎您！")
    '柳林区人民政府'

    >>> site_name("侵权必究"), site_name("网络"), site_name("Powered by 博客园"), site_name("2024-01-01"), site_name("")
    (None, None, None, None, None)
    """
    parts = [p for p in SEPARATORS.split(squash(value)) if p and not SOFTWARE.search(p)]
    if not parts:
        return None
    name = SITE_DECORATION.sub("", SITE_WELCOME.sub("", SITE_GREETING.sub("", parts[0])))
    stripped = SITE_DECORATION.sub("", SITE_KIND.sub("", name))
    name = stripped if len(stripped) >= 2 else name
    if not name or len(name) > SITE_MAX_CHARS or NO_SITE.match(name) or RIGHTS_PHRASE.search(name):
        return None
    if URL.search(name) or MARKUP.search(name) or EMAIL.search(name) or "ICP" in name.upper():
        return None
    if not re.search(r"[^\W\d_]", name) or re.search(r"[。!?？！，,；;：:]", name):
        return None
    return name
