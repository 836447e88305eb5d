"""Page furniture learnt by repetition across the pages of a batch and of earlier batches (issue 12, item 2).

The pages are the unseen site styles of :mod:`tests.unseen_styles` (real prose
of the Debian FAQ and of the sample speeches, furniture no profile lists),
ingested through the pipeline's own batch function.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from cleaners.pipeline import clean_text
from cleaners.structure.furniture import (
    FurnitureConfig,
    furniture_config,
    group_of,
    holds_cue,
    is_furniture_line,
    line_key,
    strip_furniture,
)
from cleaners.structure.shapes import is_body_line
from ingest.furniture_store import COUNTS_FILE, FURNITURE_DIR, read_store
from tests import unseen_styles
from tests.pages import finished
from tests.styles import Style, faq_paragraphs
from tests.test_generic_chrome import norm

STYLES = [unseen_styles.gov_portal, unseen_styles.personal_blog, unseen_styles.wenku_preview,
          unseen_styles.qa_site, unseen_styles.newsletter, unseen_styles.portal_with_ad,
          unseen_styles.service_hall]
CONFIG = furniture_config()


def left_chrome(style: Style, text: str) -> list[str]:
    folded = norm(text)
    return [line for line in style.chrome if norm(line) and norm(line) in folded]


def page_text(records: list[dict]) -> str:
    return "\n".join(r["text"] for r in records)


# ---------------------------------------------------------------- the pure rules

def test_counters_dates_and_the_page_title_count_as_one_line():
    assert line_key("阅读(101) | 2024-06-01 09:30") == line_key("閱讀（102）｜2023-11-21 14:02")
    assert line_key("收藏《安装前需要准备什么》", "安装前需要准备什么") == line_key("收藏《关于本文档的说明》", "关于本文档的说明")
    assert line_key("第3期 | 开源简报") == line_key("第12期｜開源簡報")
    assert line_key("x" * 200) is None and line_key("  ") is None


def test_a_cue_word_makes_a_line_furniture_sooner():
    assert is_furniture_line("欢迎访问恒信科技官网", CONFIG.pages_with_cue, CONFIG)
    assert not is_furniture_line("山间小径的博客", CONFIG.pages_with_cue, CONFIG)
    assert is_furniture_line("山间小径的博客", CONFIG.pages, CONFIG)


def test_salutations_headings_and_sentences_are_never_furniture_by_repetition_alone():
    for line in ("同志们：", "各位代表、同志们：", "一、提高政治站位", "谢谢大家！", "2023工会代表大会领导讲话稿【篇1】"):
        assert not is_furniture_line(line, 1000, CONFIG), line


def test_prose_that_mentions_reading_or_downloading_is_not_a_disclaimer():
    mentions = [p for p in faq_paragraphs("software") + faq_paragraphs("support")
                if is_body_line(p) and holds_cue(p, CONFIG)]
    assert len(mentions) >= 5
    assert not any(is_furniture_line(p, 1000, CONFIG) for p in mentions)
    assert is_furniture_line("版权声明：本文为博主原创文章，转载请附上原文出处链接和本声明。", CONFIG.pages, CONFIG)


def test_a_recurring_line_inside_prose_stays_and_the_same_line_in_the_tail_goes():
    prose = faq_paragraphs("basic-defs")[:3]
    counts = {line_key("不忘初心牢记使命"): 10, line_key("山间小径的博客"): 10}
    inside = "\n".join([prose[0], "不忘初心牢记使命", prose[1], prose[2], "山间小径的博客"])
    text, removed, _ = strip_furniture(inside, None, counts, CONFIG)
    assert removed == ["山间小径的博客"]
    assert text == "\n".join([prose[0], "不忘初心牢记使命", prose[1], prose[2]])


def test_a_sign_off_recurring_on_every_notice_of_a_site_stays_and_its_footer_goes():
    """A site's notices are all signed by the same office: the name recurs, but it signs the article off."""
    prose = faq_paragraphs("support")[:2]
    body, footer = ["青浦区教育局办公室", "二〇二四年三月五日"], "网站地图 | 联系我们"
    counts = {line_key(body[0]): 12, line_key(footer): 12}
    text = "\n".join([*prose, "特此通知。", *body, footer])
    new_text, removed, _ = strip_furniture(text, None, counts, CONFIG)
    assert removed == [footer] and new_text == "\n".join([*prose, "特此通知。", *body])
    # the same name as a footer line, with no date under it, is furniture
    assert strip_furniture("\n".join([*prose, body[0]]), None, counts, CONFIG)[1] == [body[0]]


def test_a_cue_worded_block_inside_the_prose_goes():
    prose = faq_paragraphs("software")[:2]
    counts = {line_key("点击查看更多精彩内容"): 2}
    text, removed, _ = strip_furniture("\n".join([prose[0], "点击查看更多精彩内容", prose[1]]), None, counts, CONFIG)
    assert removed == ["点击查看更多精彩内容"] and text == "\n".join(prose)


def test_a_recurring_caption_inside_the_prose_goes_a_recurring_slogan_stays():
    prose = faq_paragraphs("software")[:3]
    counts = {line_key("▲ 图片由品牌中心提供"): 3, line_key("团结奋进，再创佳绩"): 3}
    text = "\n".join([prose[0], "▲ 图片由品牌中心提供", prose[1], "团结奋进，再创佳绩", prose[2]])
    new_text, removed, _ = strip_furniture(text, None, counts, CONFIG)
    assert removed == ["▲ 图片由品牌中心提供"]
    assert new_text == "\n".join([prose[0], prose[1], "团结奋进，再创佳绩", prose[2]])


def test_nothing_recurs_nothing_goes():
    text = unseen_styles.gov_portal(0).text
    assert strip_furniture(text, None, {}, CONFIG) == (text, [], {})
    assert strip_furniture(text, None, {line_key(x): 1 for x in text.split("\n") if line_key(x)}, CONFIG)[1] == []


def test_groups_are_hosts():
    assert group_of("http://www.example.com/a") == group_of("https://example.com/b") == "example.com"
    assert group_of(None) == group_of("not a url") == ""


# ---------------------------------------------------------------- through the batch function

@pytest.mark.parametrize("make", STYLES, ids=lambda m: m.__name__)
def test_a_styles_furniture_leaves_after_a_few_pages(make):
    styles = [make(i) for i in range(4)]
    for style, records in zip(styles, unseen_styles.clean_as_batch([s.text for s in styles]), strict=True):
        text = page_text(records)
        assert left_chrome(style, text) == []
        assert unseen_styles.error_rate(unseen_styles.truth(style), text) <= 0.01


def test_the_batch_learns_what_no_single_page_rule_can_tell():
    """The styles' single pages are clean by the generic rules alone by now (vocabulary families and the
    page edge), so the batch is shown learning on a blog whose name and motto, three short plain lines
    under the prose, read as verse on a page alone: they stay there, and go once four pages share them."""
    styles = [signed_blog(i) for i in range(4)]
    assert all(BANNER in page_text_alone(s) for s in styles)
    for style, records in zip(styles, unseen_styles.clean_as_batch([s.text for s in styles]), strict=True):
        text = page_text(records)
        assert BANNER not in text and left_chrome(style, text) == []
        assert unseen_styles.error_rate(unseen_styles.truth(style), text) <= 0.01


def page_text_alone(style: Style) -> str:
    page, _ = clean_text(style.text, "text")
    return "\n".join(a.text for a in page.articles)


def test_gaps_still_point_where_the_text_was_left_out():
    styles = [unseen_styles.wenku_preview(i) for i in range(3)]
    for style, records in zip(styles, unseen_styles.clean_as_batch([s.text for s in styles]), strict=True):
        (record,) = records
        (gap,) = record["gaps"]
        assert norm(record["text"][:gap]).endswith(norm(finished(style.prose[2])))
        assert norm(record["text"][gap:]).startswith(norm(finished(style.prose[3])))
        assert record["char_count"] < len(style.text)


def test_a_single_page_gets_only_the_generic_rules(tmp_path):
    for make in STYLES:
        style = make(0)
        (records,) = unseen_styles.clean_as_batch([style.text], tmp_path / make.__name__)
        assert page_text(records) == page_text_alone(style)


def test_a_refrain_and_a_salutation_recurring_in_prose_are_kept():
    def speech_page(i: int) -> str:
        prose = faq_paragraphs(unseen_styles.FAQ[i])[:4]
        return "\n".join(["某某单位官方网站 - 服务群众", f"在第{i + 1}次会议上的讲话", "同志们：", prose[0],
                          "不忘初心，牢记使命", prose[1], prose[2], "不忘初心，牢记使命", prose[3], "谢谢大家！"]) + "\n"

    pages = [speech_page(i) for i in range(4)]
    for records in unseen_styles.clean_as_batch(pages):
        text = page_text(records)
        assert "官方网站" not in text
        assert text.count("不忘初心，牢记使命") == 2
        assert text.rstrip().endswith("谢谢大家！") and "同志们：" in text


def test_an_article_copied_onto_several_pages_keeps_all_its_prose():
    """The same paragraphs on four pages (a syndicated article) are a copy, not a template, cue words or not."""
    paragraphs = faq_paragraphs("software")
    copied = [p for p in paragraphs if 20 < len(p) < 120][:6]
    assert any(holds_cue(p, CONFIG) for p in copied)  # the copy holds words sites also use
    pages = ["\n".join([unseen_styles.title(i), *copied]) + "\n" for i in range(4)]
    for records in unseen_styles.clean_as_batch(pages):
        text = norm(page_text(records))
        assert all(norm(p) in text for p in copied)


BANNER = "山间小径的博客"  # no cue word: three pages make it furniture


def signed_blog(i: int) -> Style:
    """A page of the blog with its name and motto in three short lines under the last paragraph.

    A page cleaned alone keeps short plain lines after its prose (they may be verse, the
    article's); that they recur on every page of the site is what shows they are the
    template's, so these pages witness what the batch learns. (A name over a date is a
    sign-off, the article's even when it recurs: see the sign-off test above.)
    """
    style = unseen_styles.personal_blog(i)
    return replace(style, tail=[BANNER, "记录点滴生活", "分享读书心得", *style.tail])


def texts(records_by_page: list[list[dict]]) -> list[tuple]:
    fields = ("record_id", "title", "text", "char_count", "gaps", "repairs", "quality", "truncated")
    return [tuple(str(r[f]) for f in fields) for records in records_by_page for r in records]


def test_a_rerun_gives_the_same_records_even_after_a_later_batch(tmp_path):
    out = tmp_path / "out"
    # Two pages: the banner is not furniture yet; counting the first run's pages again would make it so.
    pages = [signed_blog(i).text for i in range(2)]
    first = unseen_styles.clean_as_batch(pages, out, "batch-a")
    assert all(BANNER in page_text(records) for records in first)
    assert texts(unseen_styles.clean_as_batch(pages, out, "batch-a")) == texts(first)
    unseen_styles.clean_as_batch([signed_blog(i).text for i in range(3, 6)], out, "batch-b")
    assert texts(unseen_styles.clean_as_batch(pages, out, "batch-a")) == texts(first)
    stored = read_store(out / FURNITURE_DIR / COUNTS_FILE)
    assert set(stored) == {"batch-a", "batch-b"} and stored["batch-a"]["after"] == []
    assert stored["batch-b"]["after"] == ["batch-a"]


def test_counts_carry_over_to_the_next_batch(tmp_path):
    out = tmp_path / "out"
    styles = [signed_blog(i) for i in range(3)]
    for records in unseen_styles.clean_as_batch([s.text for s in styles[:2]], out, "night-1"):
        assert BANNER in page_text(records)  # two pages are not enough
    ((record,),) = unseen_styles.clean_as_batch([styles[2].text], out, "night-2")
    assert BANNER not in record["text"] and left_chrome(styles[2], record["text"]) == []
    assert unseen_styles.error_rate(unseen_styles.truth(styles[2]), record["text"]) <= 0.01


def test_an_uncommitted_batchs_counts_do_not_count(tmp_path):
    out = tmp_path / "out"
    styles = [signed_blog(i) for i in range(3)]
    unseen_styles.clean_as_batch([s.text for s in styles[:2]], out, "night-1")
    store = out / FURNITURE_DIR / COUNTS_FILE
    data = store.read_text("utf-8").replace('"night-1"', '"never-committed"')
    store.write_text(data, "utf-8")
    ((record,),) = unseen_styles.clean_as_batch([styles[2].text], out, "night-2")
    assert BANNER in record["text"]


def test_an_unreadable_store_is_no_evidence(tmp_path):
    store = Path(tmp_path) / COUNTS_FILE
    store.write_text("{not json", "utf-8")
    assert read_store(store) == {}
    assert FurnitureConfig().pages >= 2


# ---------------------------------------------------------------- the judgement made once per line


def is_furniture_line_reference(line: str, pages: int, config: FurnitureConfig) -> bool:
    """is_furniture_line as it was before its judgement was kept per line (``judged_recurring``)."""
    from cleaners.structure.furniture import cue_share, labelled_by_site, reads_as_prose
    from cleaners.structure.shapes import is_structure

    stripped = line.strip()
    if not stripped or pages < config.pages_with_cue or is_structure(stripped):
        return False
    if is_body_line(stripped) or reads_as_prose(stripped):
        return pages >= config.pages and (cue_share(stripped, config) >= config.prose_cue_share
                                          or labelled_by_site(stripped, config))
    return pages >= (config.pages_with_cue if holds_cue(stripped, config) else config.pages)


def test_the_judgement_kept_per_line_is_the_judgement():
    lines = {line for make in unseen_styles.STYLES for i in range(3) for line in make(i).text.split("\n")}
    lines |= set(faq_paragraphs("basic-defs")[:40])
    configs = [CONFIG, replace(CONFIG, pages=2, pages_with_cue=2), replace(CONFIG, pages=5, pages_with_cue=1),
               replace(CONFIG, prose_cue_share=0.05)]
    judged = 0
    for config in configs:
        for line in sorted(lines):
            for pages in range(7):
                expected = is_furniture_line_reference(line, pages, config)
                assert is_furniture_line(line, pages, config) == expected, (line, pages, config)
                judged += expected
    assert len(lines) > 300 and judged > 100
