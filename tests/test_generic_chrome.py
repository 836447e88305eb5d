"""Generic chrome and notice rules: sites no profile knows, and the prose they must never touch."""

import re

import pytest

from cleaners.matching.fold import fold
from cleaners.matching.rules import apply_rules, generic_rules, profiles_for
from cleaners.pipeline import clean_text
from cleaners.structure.shapes import is_part_header
from tests.pages import finished, page_text
from tests.styles import HTML_DIR, STYLES, faq_paragraphs


def norm(text: str) -> str:
    """Compare texts as the shadow sees them, 著 read as 着 (the Simplified stage's fix)."""
    return fold(text.strip()).replace("著", "着")


@pytest.mark.parametrize("make", STYLES, ids=lambda m: m.__name__)
def test_unknown_site_loses_its_chrome_and_keeps_its_prose(make):
    style = make()
    assert profiles_for(style.text) == ()  # no profile knows the site: only generic rules apply
    page, reports = clean_text(style.text, "text")
    (article,) = page.articles
    out = [norm(p) for p in article.text.split("\n")]
    assert out == [norm(finished(p)) for p in style.prose]
    text = "\n".join(out)
    assert [line for line in style.chrome if norm(line) in text] == []
    for name, value in style.expected.items():
        found = getattr(page.meta, name)
        assert (norm(found) == norm(value)) if isinstance(value, str) else found == value, name
    removed = sum(r.counts.get("chrome_removed", 0) + r.counts.get("notices_removed", 0) for r in reports)
    assert removed >= len(style.chrome)


NOTICE = re.compile(r"省略\d+字|……略……")


def prose_of_samples() -> dict[str, str]:
    """The article text of each sample, as the site wrote it: every line but the chrome of ARTIFACTS §4."""
    pages = {}
    for prefix, first, last in (("000", 28, 52), ("001", 28, 38), ("002", 9, 287), ("003", 11, 229),
                                ("004", 7, 27)):
        lines = page_text(prefix).split("\n")[first - 1:last]
        pages[prefix] = "\n".join(line for line in lines if not is_part_header(line) and not NOTICE.search(line))
    return pages


# The only chrome inside the prose of the samples: editors' intro sentences in 002 (ARTIFACTS §4).
INTRO_SENTENCES_002 = [
    "下面是本站小编给大家整理的市委工会工作会议讲话,仅供参考。",
    "下面是本站小编给大家整理的市委工会工作会议上的讲话,仅供参考。",
    "下面是公文本站小编为您推荐的。",
]


def test_generic_rules_leave_the_prose_of_the_samples_alone():
    rules = generic_rules()
    for prefix, text in prose_of_samples().items():
        outcome = apply_rules(text, rules)
        removed = [fold(r.text) for r in outcome.removals]
        assert removed == (INTRO_SENTENCES_002 if prefix == "002" else []), prefix
        assert not outcome.truncated


@pytest.mark.parametrize("page", sorted(p.name.split(".")[0] for p in HTML_DIR.glob("*.html")))
def test_generic_rules_leave_the_debian_faq_alone(page):
    paragraphs = faq_paragraphs(page)
    assert len(paragraphs) > 5
    outcome = apply_rules("\n".join(paragraphs), generic_rules())
    assert outcome.removals == [] and outcome.captures == [] and not outcome.truncated


def test_a_rule_removes_a_sentence_not_its_paragraph():
    """The intro sentence glued to a content sentence goes; the content sentence stays (002 篇七)."""
    line = page_text("002").split("\n")[189]
    outcome = apply_rules(line, generic_rules())
    assert fold(outcome.text) == fold(line).removesuffix("下面是公文本站小编为您推荐的。")
    assert fold(outcome.text).endswith("做好经济工作意义重大、至关重要。")
