"""The five sample pages give exactly the records of the table at the top of ARTIFACTS.md.

Texts are compared through :func:`cleaners.matching.fold.fold` (Simplified, ASCII
punctuation), so these tests hold before and after issue 3's punctuation
normalisation and OpenCC. Pages 002/003 go through ``tests.pages`` (pinyin stand-in).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cleaners.matching.fold import fold as fold_shadow
from cleaners.model import REPAIR_FIELDS
from cleaners.structure.shapes import is_heading, is_part_header
from tests.conftest import seed_text
from tests.pages import cleaned_sample, page_text, sample_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")


def fold(text: str) -> str:
    """The shadow of ``text``, with 著 read as 着 (the Simplified stage turns most 著 into 着)."""
    return fold_shadow(text).replace("著", "着")
PAGES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def rows():
    return {prefix: sample_rows(prefix) for prefix in PAGES}


def same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and fold(a) == fold(b)


def paragraphs(row) -> list[str]:
    return row["text"].split("\n")


def outline_of(prefix: str) -> list[str]:
    """Lines 2–25 of the page: the 24 items between ``目录/提纲:……`` and ``……``."""
    lines = seed_text(prefix).split("\n")
    assert fold(lines[0]).startswith("目录/提纲") and lines[25] == "……"
    return lines[1:25]


def test_record_counts_per_page(rows):
    assert {p: len(r) for p, r in rows.items()} == {"000": 1, "001": 1, "002": 12, "003": 8, "004": 1}
    for page_rows in rows.values():
        assert [r["part_index"] for r in page_rows] == list(range(len(page_rows)))
        assert {r["part_count"] for r in page_rows} == {len(page_rows)}


@pytest.mark.parametrize(
    "prefix, title, declared, shown, omitted",
    [
        ("000", "在全县工会工作先进单位（个人）表彰大会上的讲话", 4061, 2139, 762),
        ("001", "在2025年区总工会专题会议上的讲话", 5259, 2424, 863),
    ],
)
def test_wm114_pages(rows, prefix, title, declared, shown, omitted):
    (row,) = rows[prefix]
    assert same(row["title"], title)
    assert (row["site"], row["source_url"], row["published_at"], row["author"]) == (
        "新文秘网", "http://www.wm114.cn", None, None)
    assert row["truncated"] is True
    assert (row["declared_chars"], row["shown_chars"], row["omitted_chars"]) == (declared, shown, omitted)
    assert len(row["outline"]) == 24
    assert [fold(item) for item in row["outline"]] == [fold(item) for item in outline_of(prefix)]
    assert row["repairs"]["notices_removed"] == 2
    # The omission notice is a gap: the words on both sides stay, on separate lines, and its place is recorded.
    (gap,) = row["gaps"]
    assert row["text"][gap - 1] == "\n" and 0 < gap < len(row["text"])


def test_002_twelve_speeches_with_their_metadata(rows):
    page = rows["002"]
    headed = {0: "一", 1: "二", 2: "三", 5: "四", 8: "五", 9: "六", 10: "七", 11: "八"}
    for index, row in enumerate(page):
        if index in headed:
            assert same(row["title"], f"市委工会工作会议讲话内容篇{headed[index]}")
        else:
            assert row["title"] and "篇" not in row["title"]
        assert row["site"] is None and row["source_url"] is None
        assert row["published_at"] == datetime(2023, 11, 12, 3, 53, 59, tzinfo=SHANGHAI)
        assert row["author"] == "zdfb"
        assert row["truncated"] is False
        assert (row["declared_chars"], row["shown_chars"], row["omitted_chars"]) == (None, None, None)
        assert row["outline"] == []


# ARTIFACTS §5: the first and the last line of each speech of 002 (1-based, in the raw file).
SPEECHES_002 = [(10, 34), (36, 55), (57, 66), (67, 83), (84, 103), (105, 117), (118, 138), (139, 150),
                (152, 168), (170, 188), (190, 261), (263, 287)]


def test_002_speech_boundaries_are_those_of_artifacts(rows):
    lines = page_text("002").split("\n")
    for row, (first, last) in zip(rows["002"], SPEECHES_002, strict=True):
        text = paragraphs(row)
        opening = fold(lines[first - 1])
        # S3 and S6 open with a content sentence whose editor's blurb was cut (ARTIFACTS §4).
        assert fold(text[0]) == opening or opening.startswith(fold(text[0]))
        assert fold(text[-1]).endswith(fold(lines[last - 1])[-30:])


def test_003_eight_pieces(rows):
    page = rows["003"]
    lines = page_text("003").split("\n")
    headers = [11, 37, 59, 111, 137, 165, 185, 209]
    for n, (row, header) in enumerate(zip(page, headers, strict=True), start=1):
        assert same(row["title"], f"2023工会代表大会领导讲话稿【篇{n}】")
        assert same(paragraphs(row)[0], lines[header + 1])  # the salutation after the header
        assert (row["site"], row["source_url"], row["published_at"], row["author"]) == ("学习啦", None, None, None)
        assert row["truncated"] is False
        assert (row["declared_chars"], row["shown_chars"], row["omitted_chars"]) == (None, None, None)


def test_004_preview_page(rows):
    (row,) = rows["004"]
    assert same(row["title"], "在工会“践行宗旨为民造福”专题学习研讨交流会上的讲话")
    assert (row["site"], row["source_url"], row["author"]) == ("妙笔智库", None, None)
    assert row["published_at"] == datetime(2025, 2, 26, 21, 52, 21, tzinfo=SHANGHAI)
    assert row["truncated"] is True
    assert (row["declared_chars"], row["shown_chars"], row["omitted_chars"]) == (None, None, None)
    # The elision `……略……` leaves two paragraphs; every word on both sides stays, the half-word
    # before it ("坚持") on its own line, and the place is recorded in `gaps`.
    text = paragraphs(row)
    assert fold(text[4]).endswith("坚持") and fold(text[5]).startswith("势的基础上提出的")
    assert list(row["gaps"]) == [len("\n".join(text[:5])) + 1]


def related_documents() -> list[str]:
    lines = page_text("002").split("\n")
    assert fold(lines[287]) == "您可能关注的文档"
    return [line.removeprefix("- ") for line in lines[288:318]]


# ARTIFACTS §4: every chrome line or fragment, and every notice, of the five pages (Simplified).
CHROME = [
    "目录/提纲", "新文秘网", "wm114", "省略762字", "省略863字", "正式会员可完整阅读", "(未完", "全文共",
    "当前仅显示", "请阅读下面提示信息", "收藏《",
    "时间:2023-11-12", "2023-11-12 03:53:59", "小编:zdfb", "文件格式", "总结是一种思考的过程", "通过阅读这些范文",
    "下面是本站小编", "仅供参考", "下面是公文本站小编为您推荐的", "您可能关注的文档", "市委工会工作会议讲话内容篇",
    "学习啦", "实用范文>致辞讲话", "航就0", "【精选8篇】", "重要场合的讲话稿怎么准备", "下面是小编精心整理的",
    "欢迎大家分享", "讲话稿【篇", "1644741",
    "妙笔智库", "首页", "2025-02-26", "……略……", "预览结束", "免费获取全文", "定制代笔", "mbgs777", "👉", "👈",
    "联系老师", "相关阅读", "最近更新",
]


def test_no_chrome_or_notice_left_in_any_record(rows):
    related = [fold(title) for title in related_documents()]
    assert len(related) == 30
    for prefix, page_rows in rows.items():
        for row in page_rows:
            text = fold(row["text"])
            assert [c for c in CHROME if fold(c) in text] == [], (prefix, row["part_index"])
            assert [t for t in related if t in text] == []
            # No record repeats its page's title as a paragraph, nor ends in a dangling notice ellipsis.
            assert not any(same(p, row["title"]) for p in paragraphs(row))
            assert not fold(row["text"]).rstrip().endswith("……")


# ARTIFACTS §6: the text of every link-split passage once joined.
JOINED = {
    "000": ["担当实干,在乡村振兴、疫情防控等中心工作", "广泛开展“中国梦·劳动美”", "先进典型的事迹,",
            "好做法总结提炼出来", "农业农村现代化", "广泛宣传动员建"],
    "001": ["通过走访调研、线上问卷"],
    "002": ["要推动《劳动合同法》的贯彻实施", "健全完善劳动合同集体合同工资集体协商", "积极学习借鉴先进",
            "贯穿工作始终。牢记使命”主题教育推动“以案促改”"],
}
BREAKS = {"000": 7, "001": 1, "002": 9, "003": 0, "004": 0}


def test_link_split_lines_are_joined(rows):
    for prefix, passages in JOINED.items():
        text = fold("\n".join(r["text"] for r in rows[prefix]))
        assert [p for p in passages if fold(p) not in text] == []
    assert {p: sum(r["repairs"]["breaks_joined"] for r in rows[p]) for p in PAGES} == BREAKS


def test_headings_and_salutations_are_never_merged(rows):
    """Every heading or salutation line of the page body is a paragraph of its own in the records."""
    for prefix in PAGES:
        found = {fold(p.strip()) for row in rows[prefix] for p in paragraphs(row)}
        lines = page_text(prefix).split("\n")
        body = lines[27:] if prefix in ("000", "001") else lines  # 000/001: after the outline and title
        headings = [fold(line.strip()) for line in body if is_heading(line) and not is_part_header(line)]
        assert headings, prefix
        assert [h for h in headings if h not in found] == [], prefix


def test_masks_are_kept_and_counted(rows):
    redactions = {p: sum(r["redactions"] for r in rows[p]) for p in PAGES}
    # ARTIFACTS §7, body only (the outline's masks left with the outline).
    assert redactions["000"] == 20 + 5
    assert redactions["001"] == 4
    assert redactions["003"] == 13 + 6 + 1 + 1
    assert redactions["004"] == 2
    # 002: 34 xx, 80 ×, 6 “”, 2 ‘’; until issue 3 repairs the mojibake, one surfaced `_` (of 開) counts too.
    stray = sum(r["text"].count("_") for r in rows["002"])
    assert redactions["002"] == 34 + 80 + 6 + 2 + stray and stray <= 1
    text = "".join(r["text"] for r in rows["000"])
    assert text.count("**") == 20 and text.count("_") == 5


def test_repair_counters_add_up_to_the_stage_reports():
    """After splitting, the records of a page hold exactly what the stages reported for the page."""
    for prefix in PAGES:
        cleaned = cleaned_sample(prefix)
        for key in (*REPAIR_FIELDS, "redactions"):
            reported = sum(r.counts.get(key, 0) for r in cleaned.reports if r.stage != "decode")
            on_records = sum(a.repairs.get(key, 0) for a in cleaned.page.articles)
            assert on_records == reported, (prefix, key)


def test_split_hands_earlier_counts_to_the_parts_by_length():
    from cleaners.model import Article, CleanConfig, Page, frozen_counts
    from cleaners.structure.collection import split_collection

    text = page_text("003")
    page = Page.from_text(text)
    page = Page("text", page.meta, (Article(text, repairs=frozen_counts({"pinyin_removed": 2224})),))
    split, _ = split_collection(page, CleanConfig())
    shares = [a.repairs.get("pinyin_removed", 0) for a in split.articles]
    assert sum(shares) == 2224 and len(shares) == 8
    lengths = [len(a.text) for a in split.articles]
    longest, shortest = lengths.index(max(lengths)), lengths.index(min(lengths))
    assert shares[longest] > shares[shortest]


def test_002_copies_name_the_speech_they_copy(rows):
    """ARTIFACTS §5: S5 is a de-identified copy of S7, S3 a fragment of S8; no other speech is a copy."""
    page = rows["002"]
    ids = [r["record_id"] for r in page]
    assert {r["part_index"]: ids.index(r["duplicate_of"]) for r in page if r["duplicate_of"]} == {2: 7, 4: 6}
    assert all(r["duplicate_of"] is None for p in ("000", "001", "003", "004") for r in rows[p])


def test_an_empty_part_hands_its_counts_on_and_copies_keep_their_target():
    from cleaners.model import Article, frozen_counts
    from cleaners.pipeline import drop_empty_articles

    articles = (Article("甲", repairs=frozen_counts({"chrome_removed": 1})),
                Article(" ", repairs=frozen_counts({"chrome_removed": 2, "pinyin_removed": 3})),
                Article("乙", duplicate_of=3), Article("丙"))
    kept = drop_empty_articles(articles)
    assert [a.text for a in kept] == ["甲", "乙", "丙"]
    assert dict(kept[0].repairs) == {"chrome_removed": 3, "pinyin_removed": 3}
    assert kept[1].duplicate_of == 2
