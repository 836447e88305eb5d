"""Realistic raw batches for the benchmark: real prose, the samples' page styles, damage and encodings.

    python -m benchmarks.generate /tmp/bench/raw-100mb --size 100MB [--seed 0]

Writes pages under the directory (1000 per sub-directory) and a description of
the batch next to it (``<dir>.json``: files, bytes, styles, encodings), never
inside it, so that the batch holds nothing but raw pages.

Each page takes clean paragraphs (``benchmarks.corpus``: the Debian FAQ and
the samples' prose) and is dressed as one of the sample sites (ARTIFACTS §4):

| style | like | script | damage |
|---|---|---|---|
| ``wm114`` | 000, 001 | Simplified | outline preamble, title line, omission notice mid-text, ``(未完,全文共…)`` tail and ``收藏《…》)``, ``**``/``_`` masks, half-width punctuation |
| ``zdfb`` | 002 | Traditional | time/editor/format header, blurb, several speeches under ``…篇一``… headers, related-documents list, pinyin annotations (002's dictionary), half-width punctuation |
| ``xuexila`` | 003 | Traditional | breadcrumb, title, ``時間:`` line, ``【精選N篇】``, blurb, ``【篇N】`` speeches, double spacing, trailing id, pinyin (003's dictionary), half-width punctuation |
| ``mbgs`` | 004 | Simplified | site header, date line, ASCII-space indentation, ``……略……`` elision, promotion tail with emoji |
| ``plain`` | – | Simplified or Traditional | none: a title and paragraphs, full-width punctuation |
| ``html`` | news sites | Simplified or Traditional | none: the prose dressed in one of three HTML templates (navigation, article, related links, footer, scripts) |
| ``realpage`` | – | as the page | none: a real page of ``tests/data/realpages/`` unchanged, a comment with its number appended (so that no two files have the same bytes) |

Encodings follow the samples' mix: UTF-8, GB18030, Big5 (Traditional pages
without pinyin: Big5 has no tone letters) and UTF-16 with BOM; some pages have
CRLF line ends. The pinyin pages carry GBK byte-level mojibake from the
simulator in ``tests/damage.py``. HTML pages (``html``, ``realpage``) are 30 %
of the pages unless ``--html-share`` says otherwise (0 gives the batches of
before 2026-12-06, page for page).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from benchmarks.corpus import Prose, pinyin_dictionaries, prose
from cleaners.chinese import HAN_BASIC
from tests.damage import DamageConfig, damage  # the issue-3 simulator: the damage of 002/003, byte for byte

FULL_TO_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "？": "?", "！": "!", "（": "(", "）": ")"})
STYLE_WEIGHTS = {"wm114": 0.30, "zdfb": 0.15, "xuexila": 0.15, "mbgs": 0.15, "plain": 0.25}
HTML_STYLES = {"html": 2 / 3, "realpage": 1 / 3}  # of the HTML share
HTML_SHARE = 0.3
KIND_STYLES = ("plain_hans", "plain_hant")  # plain pages of one script, for the per-kind benchmark
REALPAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "realpages"
CRLF_SHARE = 0.2
FILES_PER_DIR = 1000
NUMERALS = "一二三四五六七八九十"


# --- GBK byte-level mojibake ----------------------------------------------------------------------
# The pinyin pages go through the byte-level simulator of tests/damage.py (issue 3): the annotation
# inserter working on GBK bytes (so it also fires across character boundaries, and both triggers),
# then the lenient GBK decoder, user-defined pairs dropped like 002's site (zdfb) or kept as
# private-use characters like 003's (xuexila), then the half-width step (ARTIFACTS §1.2, §2, §8).
DAMAGE_VARIANTS = 4  # damaged forms per line: pages are drawn from a pool of paragraphs, so lines repeat


def serve_through_site(text: str, site: int, rng: random.Random, keep_user_defined: bool) -> str:
    """A Traditional page as the site served it: byte-level pinyin inserts, lenient GBK decoding.

    ``site`` picks the annotation dictionary (0: 002's, 1: 003's). Each line is
    damaged on its own (the simulator works line by line too), drawing one of
    a few seeded variants, cached: the simulator is pure Python and slow.
    """
    return "\n".join(damaged_line(line, site, keep_user_defined, rng.randrange(DAMAGE_VARIANTS))
                     for line in text.split("\n"))


@lru_cache(maxsize=20_000)
def damaged_line(line: str, site: int, keep_user_defined: bool, variant: int) -> str:
    return damage(line, DamageConfig(pinyin_dictionaries()[site], keep_user_defined=keep_user_defined, seed=variant))
# --- end of GBK byte-level mojibake ---------------------------------------------------------------


@dataclass(frozen=True)
class Pools:
    """The prose, also in Traditional (converted once, not per page)."""

    simplified: Prose
    paragraphs_hant: tuple[str, ...]
    titles_hant: tuple[str, ...]


@lru_cache(maxsize=1)
def pools() -> Pools:
    p = prose()
    s2t = opencc.OpenCC("s2tw.json")  # Taiwan forms (為, 群, 眾): what Big5 can encode
    return Pools(p, tuple(s2t.convert(x) for x in p.paragraphs), tuple(s2t.convert(x) for x in p.titles))


class PageMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools = pools()

    def paragraphs(self, chars: int, traditional: bool = False) -> list[str]:
        source = self.pools.paragraphs_hant if traditional else self.pools.simplified.paragraphs
        out, total = [], 0
        while total < chars:
            para = self.rng.choice(source)
            out.append(para)
            total += len(para)
        return out

    def title(self, traditional: bool = False) -> str:
        return self.rng.choice(self.pools.titles_hant if traditional else self.pools.simplified.titles)

    def mask(self, paragraphs: list[str], masks: tuple[str, ...], count: int) -> list[str]:
        """Replace ``count`` two-hanzi spans by redaction masks (ARTIFACTS §7)."""
        paragraphs = list(paragraphs)
        for _ in range(count):
            i = self.rng.randrange(len(paragraphs))
            para = paragraphs[i]
            spans = [m.start() for m in re.finditer(f"[{HAN_BASIC}]{{2}}", para)]
            if spans:
                at = self.rng.choice(spans)
                paragraphs[i] = para[:at] + self.rng.choice(masks) + para[at + 2:]
        return paragraphs

    # -- the styles -------------------------------------------------------------------------------

    def wm114(self) -> tuple[str, str]:
        rng = self.rng
        title = self.title()
        body = self.mask(self.paragraphs(rng.randint(1800, 3600)), ("**", "_"), rng.randint(2, 12))
        headings = rng.sample(self.pools.simplified.headings, k=min(len(self.pools.simplified.headings),
                                                                   rng.randint(8, 24)))
        cut = max(1, len(body) // 2)
        shown = sum(len(p) for p in body)
        omitted = rng.randint(400, 1200)
        total = shown + omitted + rng.randint(800, 2000)
        last = body[-1][: max(10, len(body[-1]) // 2)]
        lines = ["目录/提纲:……", *headings, "……", title, *body[:cut],
                 f"……(新文秘网http://www.wm114.cn省略{omitted}字,正式会员可完整阅读)……", *body[cut:-1],
                 f"{last} ……(未完,全文共{total}字,当前仅显示{shown}字,请阅读下面提示信息。", f"收藏《{title}》)"]
        return half_width("\n".join(lines)), "hans"

    def zdfb(self) -> tuple[str, str]:
        rng = self.rng
        title = self.title(traditional=True)
        speeches = rng.randint(3, 12)
        lines = ["", f"- 時間:{self.timestamp()}", f"- 小編:{rng.choice(['zdfb', 'lwz', 'xm'])}", "- 文件格式 DOC",
                 "", "", "", self.paragraphs(1, traditional=True)[0]]
        for n in range(speeches):
            if rng.random() < 0.7:  # some speeches have no header (ARTIFACTS §5)
                lines.append(f"{title}篇{NUMERALS[n % 10]}")
            lines.append("同志們:")
            lines += self.mask(self.paragraphs(rng.randint(1500, 4000), traditional=True), ("xx", "×", "“”"),
                               rng.randint(0, 4))
        lines.append("您可能關注的文檔")
        labels = ["模板", "優秀", "優質", "通用", "匯總", "實用", "專業", "熱門", "精選"]
        lines += [f"- {self.title(traditional=True)}({rng.choice(labels)}{rng.randint(5, 25)}篇)"
                  for _ in range(rng.randint(10, 30))]
        text = serve_through_site("\n".join(lines), 0, rng, keep_user_defined=False)
        return half_width(text), "hant+pinyin"

    def xuexila(self) -> tuple[str, str]:
        rng = self.rng
        title = self.title(traditional=True)
        speeches = rng.randint(3, 8)
        blocks = ["學習啦>實用范文>致辭講話>領導講話稿>講話稿大全>", title, f"時間: {rng.choice(['航就', '小龍', '曉麗'])}0 分享",
                  f"{title}【精選{speeches}篇】", self.paragraphs(1, traditional=True)[0]]
        for n in range(1, speeches + 1):
            blocks += [f"{title}【篇{n}】", "各位代表、同志們:"]
            blocks += self.mask(self.paragraphs(rng.randint(2000, 4500), traditional=True), ("_", "__"),
                                rng.randint(0, 3))
        blocks.append(str(rng.randint(1_000_000, 9_999_999)))
        text = serve_through_site("\n\n".join(blocks), 1, rng, keep_user_defined=True)
        return half_width(text), "hant+pinyin"

    def mbgs(self) -> tuple[str, str]:
        rng = self.rng
        title = self.title()
        body = self.mask(self.paragraphs(rng.randint(1500, 3200)), ("_",), rng.randint(0, 3))
        elide = rng.randrange(len(body))
        body[elide] = body[elide][: len(body[elide]) // 2] + " ……略…… " + body[elide][len(body[elide]) // 2:]
        body[-1] = body[-1][: max(10, len(body[-1]) // 2)] + " ……"
        lines = ["妙笔智库 首页", "", title, "", f"{self.timestamp()} 妙笔智库", "", "   同志们:", ""]
        for para in body:
            lines += ["  " + para, ""]
        lines += ["预览结束,免费获取全文定制代笔此类文章!", "请点击👉 mbgs777 👈联系老师", "", "相关阅读", "最近更新"]
        return half_width("\n".join(lines)), "hans"

    def plain(self, traditional: bool | None = None) -> tuple[str, str]:
        if traditional is None:
            traditional = self.rng.random() < 0.5
        lines = [self.title(traditional), *self.paragraphs(self.rng.randint(800, 6000), traditional)]
        return "\n".join(lines), "hant" if traditional else "hans"

    def plain_hans(self) -> tuple[str, str]:
        return self.plain(traditional=False)

    def plain_hant(self) -> tuple[str, str]:
        return self.plain(traditional=True)

    def html(self) -> tuple[str, str]:
        """The prose as a news site serves it: one of three templates around the article."""
        rng = self.rng
        traditional = rng.random() < 0.3
        title = self.title(traditional)
        body = "\n".join(f"<p>{escape(p)}</p>" for p in self.paragraphs(rng.randint(800, 5000), traditional))
        related = "\n".join(f'<li><a href="/news/{rng.randint(10000, 99999)}.html">{escape(self.title(traditional))}</a></li>'
                             for _ in range(rng.randint(5, 15)))
        nav = "\n".join(f'<li><a href="/{name}/">{name}</a></li>'
                        for name in rng.sample(["首页", "新闻", "财经", "科技", "体育", "娱乐", "教育", "健康", "汽车",
                                                "房产", "文化", "旅游"], k=8))
        fields = {"title": escape(title), "body": body, "related": related, "nav": nav,
                  "date": self.timestamp(), "site": rng.choice(["新闻网", "日报网", "在线", "资讯网"]),
                  "id": rng.randint(100000, 999999), "charset": "{charset}"}
        return rng.choice(HTML_TEMPLATES).format(**fields), "hant-html" if traditional else "html"

    def realpage(self) -> tuple[bytes, int]:
        """A real page, unchanged but for a comment with its number (no two files have the same bytes)."""
        pages = real_pages()
        return pages[self.rng.randrange(len(pages))], self.rng.randrange(1_000_000_000)

    def timestamp(self) -> str:
        rng = self.rng
        return (f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")


HTML_TEMPLATES = (
    """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_{site}</title>
<meta name="keywords" content="{title}"><meta name="description" content="{title}">
<link rel="stylesheet" href="/static/css/main.css"><script src="/static/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head><body>
<div class="header"><div class="logo"><a href="/">{site}</a></div><ul class="nav">
{nav}
</ul></div>
<div class="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/news/">新闻</a> &gt; 正文</div>
<div class="article"><h1>{title}</h1><div class="info">发布时间:{date} 来源:{site}</div>
<div class="content" id="content">
{body}
</div></div>
<div class="side"><h3>相关新闻</h3><ul>
{related}
</ul></div></div>
<div class="footer"><p>Copyright © 2006-2025 {site} 版权所有</p><p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a></p></div>
</body></html>
""",
    """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}</title></head>
<body><table width="960" align="center"><tr><td><a href="/"><img src="/images/logo.gif" alt="{site}"></a></td></tr>
<tr><td class="menu">
{nav}
</td></tr>
<tr><td><div id="title">{title}</div><div id="time">{date}</div>
<div id="text">
{body}
</div>
<div id="relate"><b>相关文章</b><ul>
{related}
</ul></div></td></tr>
<tr><td class="copy">{site} 备案号:京ICP备{id}号</td></tr></table></body></html>
""",
    """<!doctype html>
<html><head><meta charset="{charset}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {site}</title><meta property="og:title" content="{title}">
<meta name="publishdate" content="{date}"></head>
<body><header><nav><ul>
{nav}
</ul></nav></header>
<main><article><header><h1 class="title">{title}</h1><time datetime="{date}">{date}</time></header>
<section class="article-body">
{body}
</section></article>
<aside><h2>推荐阅读</h2><ol>
{related}
</ol></aside></main>
<footer><p>本站文章版权归原作者所有 &copy; {site}</p><script>window.dataLayer = window.dataLayer || [];</script></footer>
</body></html>
""",
)


@lru_cache(maxsize=1)
def real_pages() -> tuple[bytes, ...]:
    return tuple(p.read_bytes() for p in sorted(REALPAGES.glob("*.html")))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def half_width(text: str) -> str:
    """The sites' full-width → half-width conversion of ，：；？！（） (ARTIFACTS §8)."""
    return text.translate(FULL_TO_HALF)


def encode(text: str, script: str, rng: random.Random) -> tuple[bytes, str]:
    """Bytes in one of the samples' encodings, picked by script (Big5 only where it can encode the page)."""
    if rng.random() < CRLF_SHARE:
        text = text.replace("\n", "\r\n")
    if script in ("html", "hant-html"):
        codec = rng.choices(["utf-8", "gb18030"], weights=[0.7, 0.3])[0] if script == "html" else "utf-8"
        return text.replace("{charset}", "gbk" if codec == "gb18030" else "utf-8").encode(codec), codec
    if script == "hant":
        choices = (("big5", 0.55), ("utf-8", 0.3), ("gb18030", 0.05), ("utf-16", 0.1))
    elif script == "hant+pinyin":
        choices = (("gb18030", 0.5), ("utf-8", 0.4), ("utf-16", 0.1))
    else:
        choices = (("utf-8", 0.5), ("gb18030", 0.35), ("utf-16", 0.15))
    codec = rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
    try:
        return text.encode(codec), codec
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", text.strip().upper())
    if not match:
        raise argparse.ArgumentTypeError(f"a size such as 10MB or 1GB, not {text!r}")
    return int(float(match.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[match.group(2)])


def style_weights(html_share: float) -> dict[str, float]:
    """The text styles' weights scaled to leave ``html_share`` to the HTML styles (0: exactly the old weights)."""
    if not html_share:
        return dict(STYLE_WEIGHTS)
    return {**{k: w * (1 - html_share) for k, w in STYLE_WEIGHTS.items()},
            **{k: w * html_share for k, w in HTML_STYLES.items()}}


def generate(out: Path, size: int, seed: int = 0, html_share: float = HTML_SHARE,
             only: tuple[str, ...] | None = None) -> dict:
    """Write pages into ``out`` until ``size`` bytes; return the batch's description.

    ``only``: pages of these styles alone (the per-kind benchmark), drawn with the same generator.
    """
    rng = random.Random(seed)
    maker = PageMaker(rng)
    weighted = style_weights(html_share)
    if only:
        weighted = {k: w for k, w in {**STYLE_WEIGHTS, **HTML_STYLES, **dict.fromkeys(KIND_STYLES, 1.0)}.items()
                    if k in only}
    styles, weights = list(weighted), list(weighted.values())
    out.mkdir(parents=True, exist_ok=False)
    written, count = 0, 0
    by_style, by_codec, bytes_by_codec = Counter(), Counter(), Counter()
    started = time.perf_counter()
    while written < size:
        style = rng.choices(styles, weights)[0]
        made = getattr(maker, style)()
        if style == "realpage":
            page, number = made
            data, codec, suffix = page + f"<!-- {number} -->\n".encode(), "as the page", "html"
        else:
            data, codec = encode(*made, rng)
            suffix = "html" if style == "html" else "txt"
        path = out / f"{count // FILES_PER_DIR:03d}" / f"{style}-{count:06d}.{suffix}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        written += len(data)
        count += 1
        by_style[style] += 1
        by_codec[codec] += 1
        bytes_by_codec[codec] += len(data)
    description = {
        "directory": str(out), "files": count, "bytes": written, "seed": seed,
        "styles": dict(by_style), "encodings": dict(by_codec), "bytes_by_encoding": dict(bytes_by_codec),
        "gbk_mojibake": "applied to the zdfb and xuexila pages (tests/damage.py)",
        "html_share": 0 if only else html_share, "only": list(only or ()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    out.with_name(out.name + ".json").write_text(json.dumps(description, indent=2, ensure_ascii=False))
    return description


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to create (outside the repository, e.g. under /tmp)")
    parser.add_argument("--size", type=parse_size, default=parse_size("10MB"), help="10MB, 100MB, 1GB, …")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html-share", type=float, default=HTML_SHARE,
                        help="share of HTML pages (templates and real pages); 0: the text-only batches of before")
    parser.add_argument("--only", nargs="+", choices=[*STYLE_WEIGHTS, *HTML_STYLES, *KIND_STYLES],
                        help="pages of these styles only")
    args = parser.parse_args(argv)
    description = generate(args.out, args.size, args.seed, args.html_share, tuple(args.only or ()))
    print(json.dumps(description, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
