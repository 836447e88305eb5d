"""Chrome recognised by families of vocabulary and frame, on a single page of an unknown site (issue 12).

``data/chrome.toml`` holds the families (``[vars]``: ACTION, LOGIN, APP_THING, SELF, STANCE, COUNTER,
LINK_KEY, PREV_NEXT, SITE_SUFFIX, MENU …) and the rules that pair a family word with a frame no prose
has. Here: every style of ``tests/unseen_styles.py`` and ``tests/unseen_styles_vocab.py`` (the latter
written before the families were tuned) cleaned one page at a time, and the real prose that talks
about the same things (registering, logging in, downloading, copyright, browsers, clients …) kept.
"""

import re
from pathlib import Path

import pytest

from cleaners.matching.fold import fold
from cleaners.matching.rules import apply_rules, generic_rules, variables
from cleaners.pipeline import clean_text
from tests import unseen_styles, unseen_styles_vocab
from tests.test_generic_chrome import INTRO_SENTENCES_002, prose_of_samples
from tests.unseen_styles import measure

PROSE = Path(__file__).parent / "data" / "prose" / "debian-faq-zh-cn.txt"
FAMILIES = ("ACTION", "LOGIN", "APP_THING", "APP_ACT", "SELF", "STANCE", "STATEMENT", "COUNTER", "LINK_KEY",
            "PREV_NEXT", "SITE_SUFFIX", "MENU")

# What the families could not see on a single page when they were written (post headers, bylines, a
# lone section name, a name-and-slogan banner …) the page edge (tests/test_edges.py, which runs the 38
# styles of tests/unseen_styles.py) now removes: with both, every style here is clean. Strict
# expected failures go here, with their reason, if one comes back.
LEFT: dict[str, str] = {}
STYLES = unseen_styles_vocab.STYLES  # the 38 older styles: tests/test_edges.py


def case(make):
    why = LEFT.get(make.__name__)
    return pytest.param(make, marks=pytest.mark.xfail(reason=why, strict=True), id=make.__name__) if why else \
        pytest.param(make, id=make.__name__)


@pytest.mark.parametrize("make", [case(m) for m in STYLES])
def test_a_single_page_of_an_unknown_site_loses_its_chrome_and_keeps_its_prose(make):
    for i in range(unseen_styles.PAGES_PER_STYLE):
        result = measure(make(i))
        assert result["left"] == [], (i, result["left"])
        assert result["cer"] <= 0.01, (i, result["cer"])


def test_the_new_styles_state_their_metadata_and_it_is_read():
    for make in unseen_styles_vocab.STYLES:
        for i in range(unseen_styles_vocab.PAGES_PER_STYLE):
            result = measure(make(i))
            assert result["right"] == result["stated"], (make.__name__, i)


def family_words() -> re.Pattern[str]:
    known = variables()
    return re.compile("|".join(f"(?:{known[name]})" for name in FAMILIES))


def topical_prose() -> list[str]:
    """Lines of real prose (the Debian FAQ, the samples) holding a word of a family: they talk about
    registering, logging in, downloading, clients, browsers, copyright, reprints, services, support."""
    words = family_words()
    lines = PROSE.read_text("utf-8").split("\n")
    lines += [line for text in prose_of_samples().values() for line in text.split("\n")]
    return [line.strip() for line in lines if line.strip() and words.search(fold(line))]


def test_there_is_much_topical_prose():
    lines = topical_prose()
    faq = PROSE.read_text("utf-8")
    for topic in ("版权声明", "下载", "登录", "浏览器", "注册", "客户端"):
        assert any(topic in line for line in lines if line in faq), topic
    assert len(lines) >= 200


def test_real_prose_about_the_same_topics_is_kept_even_at_the_edges_of_a_page():
    """Each line alone is a page's head and tail at once: edge rules look at it too. None of it goes
    (but the editors' intro sentences of sample 002, the only chrome inside the samples' prose)."""
    rules = generic_rules()
    touched = []
    for line in topical_prose():
        outcome = apply_rules(line, rules)
        removed = [fold(r.text) for r in outcome.removals]
        if [r for r in removed if r not in INTRO_SENTENCES_002] or (not removed and outcome.text.strip() != line):
            touched.append((line[:40], [r.rule for r in outcome.removals]))
    assert touched == []


@pytest.mark.parametrize("topic", ["版权声明", "下载", "登录", "浏览器", "注册", "客户端"])
def test_a_paragraph_about_a_chrome_topic_survives_the_whole_pipeline_at_the_tail(topic):
    """A real paragraph that talks about the topic, last on a page after other prose, is kept word for word."""
    faq = [line.strip() for line in PROSE.read_text("utf-8").split("\n") if len(line.strip()) > 30]
    paragraph = next(line for line in faq if topic in line)
    body = [line for line in faq if not family_words().search(fold(line))][:2]
    page, _ = clean_text("\n".join([*body, paragraph]) + "\n", "text")
    assert fold(paragraph).replace(" ", "") in fold(page.articles[-1].text).replace(" ", "")


@pytest.mark.parametrize(("make", "site"), [(unseen_styles.group_press, "鑫源集团"),
                                            (unseen_styles.service_hall, "云山市人民政府办公厅"),
                                            (unseen_styles_vocab.school_portal, "星城第一中学")])
def test_the_owner_named_by_a_copyright_or_a_host_line_is_the_site(make, site):
    """``X © 保留所有权利``, ``X 主办``, ``欢迎光临X网站`` with ``X 版权所有``: the site is X."""
    page, _ = clean_text(make(0).text, "text")
    assert page.meta.site == site


@pytest.mark.parametrize("make", unseen_styles_vocab.STYLES, ids=lambda m: m.__name__)
def test_a_record_of_the_new_styles_cleaned_again_is_the_same_record(make):
    """Issue 12, item 7, over the new styles: what the families leave is left again, no title is found."""
    for i in range(unseen_styles_vocab.PAGES_PER_STYLE):
        for article in clean_text(make(i).text, "text")[0].articles:
            again, _ = clean_text(article.text, "text")
            assert [a.text for a in again.articles] == [article.text]
            assert again.meta.title is None
