"""The page-structure stages one by one: notices, profiles, idempotence, `corpus inspect`."""

import re

import pytest

from cleaners.matching.fold import fold
from cleaners.matching.rules import apply_rules, load_profiles, profiles_for, site_profiles
from cleaners.model import CleanConfig
from cleaners.pipeline import STAGES, clean_text
from cleaners.structure.shapes import is_part_header
from flows.cli import describe, main
from tests.conftest import SAMPLES
from tests.pages import cleaned_sample, finished, page_text

OURS = ("split_collection", "extract_outline", "strip_notices", "strip_chrome", "reflow_lines", "count_masks",
        "mark_duplicate_parts")


def prose() -> tuple[str, str]:
    """Two paragraphs of real prose (page 004, lines 9 and 13), each ending a sentence."""
    lines = page_text("004").split("\n")
    return lines[8].strip(), lines[12].strip()


@pytest.mark.parametrize("notice, meta", [
    ("……(新文秘网http://www.wm114.cn省略762字,正式会员可完整阅读)……",
     {"omitted_chars": 762, "source_url": "http://www.wm114.cn", "site": "新文秘网"}),
    ("……（此处省略500字）……", {"omitted_chars": 500}),
    ("【省略300字】", {"omitted_chars": 300}),
    ("[中间省略1200字,请下载完整版阅读]", {"omitted_chars": 1200}),
    ("……略……", {}),
    ("（略）", {}),
    ("……（此处略）……", {}),
])
def test_omission_notices_between_paragraphs(notice, meta):
    first, second = prose()
    for text in (f"{first}\n{notice}\n{second}", f"{first}{notice}{second}"):
        page, reports = clean_text(text, "text")
        assert page.articles[0].text.split("\n") == [finished(first), finished(second)]
        assert page.articles[0].gaps == (len(finished(first)) + 1,)
        assert page.meta.truncated
        assert {k: getattr(page.meta, k) for k in meta} == meta
        assert sum(r.counts.get("notices_removed", 0) for r in reports) == 1


@pytest.mark.parametrize("notice", ["……(省略100字)……", "【此处省略100字】", "……略……", "（略）"])
def test_a_gap_keeps_every_word_on_both_sides_and_records_where_it_was(notice):
    first, second = prose()
    cut = first.index("。", 40) + 6  # six characters into the next sentence: an unfinished half-sentence
    for text in (f"{first[:cut]}{notice}{second}", f"{first[:cut]}\n{notice}\n{second}"):
        page, reports = clean_text(text, "text")
        article = page.articles[0]
        assert article.text.split("\n") == [finished(first[:cut]), finished(second)]
        assert article.gaps == (len(finished(first[:cut])) + 1,)
        assert "\ufdd0" not in article.text
        assert sum(r.counts.get("notices_removed", 0) for r in reports) == 1


def test_a_gap_at_the_end_points_past_the_text():
    first, second = prose()
    page, _ = clean_text(f"{first}\n{second}\n……(此处省略800字)……", "text")
    article = page.articles[0]
    assert article.text == f"{finished(first)}\n{finished(second)}"
    assert article.gaps == (len(article.text),)
    assert page.meta.omitted_chars == 800 and page.meta.truncated


# Notices that sites print on a line of their own; the others may also close the last line of text.
OWN_LINE = ("预览结束,免费获取全文定制代笔此类文章!", "下载完整版")


@pytest.mark.parametrize("notice, meta", [
    ("……(未完,全文共4061字,当前仅显示2139字,请阅读下面提示信息。", {"declared_chars": 4061, "shown_chars": 2139}),
    ("【全文共5000字，当前仅显示2000字】", {"declared_chars": 5000, "shown_chars": 2000}),
    ("(全文约3000字,此处只显示1000字)", {"declared_chars": 3000, "shown_chars": 1000}),
    ("（未完待续）", {}),
    ("未完待续", {}),
    ("（剩余2000字）", {}),
    ("注册登录后即可阅读全文。", {}),
    ("登录后查看完整内容", {}),
    ("内容过长，仅显示部分内容。", {}),
    ("预览结束,免费获取全文定制代笔此类文章!", {}),
    ("下载完整版", {}),
])
def test_tail_notices_mark_the_page_truncated(notice, meta):
    first, second = prose()
    texts = [f"{first}\n{second}\n{notice}"] + ([] if notice in OWN_LINE else [f"{first}\n{second}{notice}"])
    for text in texts:
        page, _ = clean_text(text, "text")
        assert page.articles[0].text.split("\n") == [finished(first), finished(second)]
        assert page.meta.truncated
        assert {k: getattr(page.meta, k) for k in meta} == meta


@pytest.mark.parametrize("promotion, truncated", [
    ("请点击👉 mbgs777 👈联系老师", True),
    ("开通会员即可下载本文", True),
    ("扫码关注我们,获取更多精彩内容", False),
    ("微信号:ghzs_2024", False),
])
def test_a_promotion_that_sells_the_text_marks_it_truncated(promotion, truncated):
    first, second = prose()
    page, reports = clean_text(f"{first}\n{second}\n{promotion}", "text")
    assert page.articles[0].text.split("\n") == [finished(first), finished(second)]
    assert page.meta.truncated is truncated


def test_the_signature_date_of_a_speech_stays():
    first, second = prose()
    page, _ = clean_text(f"同志们:\n{first}\n{second}\n县总工会\n2024年5月1日", "text")
    assert page.articles[0].text.split("\n") == [finished(p) for p in ["同志们:", first, second, "县总工会", "2024年5月1日"]]
    assert page.meta.published_at is None


def test_a_page_ending_mid_sentence_is_truncated():
    first, second = prose()
    whole, _ = clean_text(f"{first}\n{second}", "text")
    cut, _ = clean_text(f"{first}\n{second[:60]}", "text")
    assert not whole.meta.truncated and cut.meta.truncated


def test_each_sample_is_recognised_by_its_profile():
    found = {p: [x.name for x in profiles_for(page_text(p))] for p in ("000", "001", "002", "003", "004")}
    assert found == {"000": ["wm114"], "001": ["wm114"], "002": ["fanwen_doc"], "003": ["xuexila"],
                     "004": ["miaobizhiku"]}
    assert all(profile.rules for profile in site_profiles())


def test_adding_a_site_is_adding_a_file(tmp_path):
    first, second = prose()
    page = f"工会在线 首页 > 讲话\n会员专区提示：本文为节选\n{first}\n{second}\n【工会在线 编号GH-2024-001】"
    assert apply_rules(page, ()).text == page
    (tmp_path / "ghzx.toml").write_text("""
site = "工会在线"
detect = ['^工会在线 首页']

[[chrome]]
name = "member_note"
pattern = '会员专区提示:本文为节选'

[[chrome]]
name = "serial"
where = "tail"
pattern = '【工会在线 编号(?P<url>[A-Z]+-\\d+-\\d+)】'
""", encoding="utf-8")
    (profile,) = load_profiles(tmp_path)
    assert profile.site == "工会在线" and profile.matches(fold(page))
    outcome = apply_rules(page, profile.rules)
    assert [line for line in outcome.text.split("\n") if line] == ["工会在线 首页 > 讲话", first, second]
    assert outcome.captures == [("url", "GH-2024-001")]


def test_a_profile_is_detected_with_and_without_its_needles_alike():
    """The needles of the ``detect`` patterns only skip searches that would find nothing."""
    pages = [fold(path.read_text(encoding="utf-8", errors="replace")) for path in sorted(SAMPLES.iterdir())]
    pages += [page[len(page) // 2:] for page in pages]  # without the heads that name the sites
    detected = 0
    for profile in site_profiles():
        assert len(profile.detect_needles) == len(profile.detect) and all(profile.detect_needles)
        for page in pages:
            assert profile.matches(page) == any(p.search(page) for p in profile.detect), profile.name
            detected += profile.matches(page)
    assert 4 <= detected < len(pages) * len(site_profiles())


@pytest.mark.parametrize("toml, error", [
    ("site = 'x'\n", "detect"),
    ("detect = ['x']\n[[chrome]]\nname = 'a'\npattern = '(?P<colour>x)'\n", "unknown capture"),
    ("detect = ['x']\n[[chrome]]\nname = 'a'\nscope = 'page'\npattern = 'x'\n", "scope"),
    ("detect = ['(']\n", "bad pattern"),
])
def test_a_bad_profile_is_refused_with_its_name(tmp_path, toml, error):
    (tmp_path / "broken.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=error) as caught:
        load_profiles(tmp_path)
    assert "broken" in str(caught.value)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_each_page_stage_is_idempotent(prefix):
    config = CleanConfig()
    names = [s.__name__ for s in STAGES]
    for name in OURS:
        stage = STAGES[names.index(name)]
        page, _ = clean_text(page_text(prefix), "text", stages=STAGES[: names.index(name) + 1])
        again, report = stage(page, config)
        assert [a.text for a in again.articles] == [a.text for a in page.articles], name
        assert again.meta == page.meta, name
        if name not in ("count_masks", "mark_duplicate_parts"):  # they count again, but change nothing
            assert not report.changed, name


def test_inspect_shows_the_records_and_what_each_stage_did(capsys):
    lines = describe(cleaned_sample("002"))
    text = "\n".join(lines)
    for stage in OURS:
        assert f"  {stage}: " in text
    assert "split_collection: parts 12, chrome_removed 8" in text
    assert "records: 12" in text and "record 12/12 (part_index 11)" in text
    assert "author='zdfb'" in text and "2023-11-12 03:53:59+08:00" in text
    (path,) = SAMPLES.glob("000_*")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "outline (24)" in out and "declared/shown/omitted=4061/2139/762" in out
    assert "wm114:omission: ……(新文秘网http://www.wm114.cn省略762字" in out


def test_part_headers_whose_title_is_a_question_split_the_page_the_same_way():
    """002's collection with each 篇 header's title swapped for a question of the Debian FAQ."""
    from pathlib import Path

    from cleaners.model import Page
    from cleaners.structure.collection import split_collection

    prose = (Path(__file__).parent / "data" / "prose" / "debian-faq-zh-cn.txt").read_text(encoding="utf-8")
    questions = [line.split(" ", 1)[1] for line in prose.splitlines()  # "2.2. 在“稳定版”中会有软件包的升级吗？"
                 if line.endswith("？") and " " in line and not re.search("[。；！？]", line[:-1]) and len(line) < 40]
    text = page_text("002")
    headers = [line for line in text.split("\n") if is_part_header(line)]
    asked = text
    for header, question in zip(headers, questions, strict=False):
        asked = asked.replace(header, question.replace("？", "?") + header[header.index("篇"):], 1)
    assert asked != text and len(headers) == 8

    def parts(page_text_):
        page, _ = split_collection(Page.from_text(page_text_), CleanConfig())
        return [a.text.split("\n", 1)[-1] for a in page.articles]

    assert len(parts(text)) == 12  # 8 under a header, 4 that start at a salutation (ARTIFACTS §5)
    assert parts(asked) == parts(text)  # the same speeches, each cut at its own header


@pytest.mark.parametrize("notice, lengths", [
    ("【全文共5000字，剩余3000字】", (5000, 2000)),
    ("（本文共3200字，仅显示前1000字，登录后阅读剩余2200字）", (3200, 1000)),
    ("[试读1500字，剩余6500字需付费]", (8000, 1500)),
    ("(全文约3000字,此处只显示1000字)", (3000, 1000)),
    ("【未完，还剩4100字，开通会员阅读全文】", (None, None)),
])
def test_stated_lengths_are_read_one_by_one_and_the_missing_one_derived(notice, lengths):
    first, second = prose()
    for text in (f"{first}\n{second}\n{notice}", f"{first}\n{second}{notice}"):
        page, _ = clean_text(text, "text")
        assert page.articles[0].text.split("\n") == [finished(first), finished(second)]
        assert (page.meta.declared_chars, page.meta.shown_chars) == lengths
        assert page.meta.truncated


def test_an_omission_that_also_states_the_total_gives_both():
    first, second = prose()
    page, _ = clean_text(f"{first}……（以下省略2000字，全文共6000字）……{second}", "text")
    assert (page.meta.declared_chars, page.meta.omitted_chars) == (6000, 2000)
    assert page.articles[0].gaps == (len(finished(first)) + 1,)
