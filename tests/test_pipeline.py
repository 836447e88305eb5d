"""The whole chain on the real sample pages, without Prefect."""

import opencc
import pytest

from cleaners.errors import Rejected
from cleaners.model import CleanConfig, StageReport, TextChange
from cleaners.pipeline import STAGES, clean_bytes, clean_text
from cleaners.stage import text_stage
from cleaners.structure.gaps import with_gap_marks
from cleaners.text.punctuation import normalize_punctuation
from tests.conftest import SAMPLES

T2S = opencc.OpenCC("t2s.json")
SEEDS = sorted(SAMPLES.iterdir())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_each_seed_cleans_to_simplified_paragraphs(path):
    cleaned = clean_bytes(path.read_bytes())
    assert cleaned.decoded.encoding == "utf-8"
    assert cleaned.page.articles
    for article in cleaned.page.articles:
        assert T2S.convert(article.text) == article.text
        assert "\n\n" not in article.text and article.text == article.text.strip()
        assert all(line == line.strip() for line in article.text.split("\n"))
        assert article.original_script in ("hans", "hant", "mixed")


def test_reports_name_every_stage_in_order():
    cleaned = clean_bytes(SEEDS[2].read_bytes())
    assert [r.stage for r in cleaned.reports] == ["decode", *[s.__name__ for s in STAGES]]
    assert isinstance(cleaned.reports[0], StageReport)


def test_repairs_come_from_the_stage_reports():
    cleaned = clean_bytes(SEEDS[3].read_bytes())
    reported = sum(r.counts.get("t2s_changed", 0) for r in cleaned.reports)
    assert reported > 0
    assert sum(a.repairs.get("t2s_changed", 0) for a in cleaned.page.articles) == reported


def test_cleaning_twice_equals_cleaning_once():
    for path in SEEDS:
        once = clean_bytes(path.read_bytes()).page
        twice, _ = clean_text("\n".join(with_gap_marks(a.text, a.gaps) for a in once.articles), "text")
        assert twice.text == once.text
        assert sum(len(a.gaps) for a in twice.articles) == sum(len(a.gaps) for a in once.articles)


def test_a_new_stage_is_one_function_in_the_list():
    def drop_ascii_digits(text: str, config: CleanConfig) -> TextChange:
        kept = "".join(c for c in text if not c.isascii() or not c.isdigit())
        return TextChange(kept, {"digits_dropped": len(text) - len(kept)})

    stages = (*STAGES, text_stage("drop_ascii_digits", drop_ascii_digits))
    page, reports = clean_text(SEEDS[2].read_text(encoding="utf-8"), "text", stages=stages)
    assert not any(c.isdigit() and c.isascii() for c in page.text)
    assert reports[-1].stage == "drop_ascii_digits" and reports[-1].counts["digits_dropped"] > 0
    assert sum(a.repairs.get("digits_dropped", 0) for a in page.articles) == reports[-1].counts["digits_dropped"]


def test_html_page_keeps_text_and_title_and_drops_markup():
    body = SEEDS[0].read_text(encoding="utf-8").splitlines()[27:32]
    html = ("<!DOCTYPE html><html><head><title>讲话</title><script>var x=1;</script></head><body>"
            "<nav><a href='/'>首页</a> &gt; <a href='/x'>讲话稿</a></nav>"
            + "".join(f"<p>{line}</p>" for line in body)
            + "<footer>版权所有</footer></body></html>")
    cleaned = clean_bytes(html.encode("utf-8"))
    assert cleaned.page.source_format == "html"
    assert cleaned.page.meta.title == "讲话"
    # The text is the body's, with its half-width punctuation made full-width (ARTIFACTS §8).
    expected = [normalize_punctuation(line.strip(), CleanConfig()).text for line in body if line.strip()]
    assert cleaned.page.articles[0].text.split("\n") == expected


def test_html_with_no_text_is_no_text():
    with pytest.raises(Rejected) as caught:
        clean_bytes(b"<!DOCTYPE html><html><head><title>x</title></head><body><script>1</script></body></html>")
    assert caught.value.reason == "no_text"


def test_too_large_is_rejected_before_decoding():
    with pytest.raises(Rejected) as caught:
        clean_bytes(SEEDS[0].read_bytes(), CleanConfig(max_bytes=100))
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize("prefix,title", [
    ("000", "在全县工会工作先进单位（个人）表彰大会上的讲话"),
    ("001", "在2025年区总工会专题会议上的讲话"),
    ("004", "在工会“践行宗旨为民造福”专题学习研讨交流会上的讲话"),
])
def test_titles_are_written_exactly_as_the_table_of_artifacts_gives_them(prefix, title):
    (path,) = SAMPLES.glob(f"{prefix}_*")
    page = clean_bytes(path.read_bytes()).page
    assert page.meta.title == title
    assert all(not any(c in item for c in ",:;?!") for item in page.meta.outline)
