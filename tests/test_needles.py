"""Literal pre-screens of the chrome and notice rules: they skip work, never a match."""

from dataclasses import replace

import pytest

from cleaners.decode.encoding import decode_bytes
from cleaners.matching.fold import fold
from cleaners.matching.needles import holds_needle, needle_sets, needles
from cleaners.matching.rules import apply_rules, generic_rules, profiles_for, rules_of_kind, site_profiles
from tests.conftest import SAMPLES
from tests.styles import STYLES

ALL_RULES = (*generic_rules(), *(rule for profile in site_profiles() for rule in profile.rules))


def texts() -> list[str]:
    pages = [decode_bytes(path.read_bytes()).text for path in sorted(SAMPLES.iterdir())]
    return pages + [make().text for make in STYLES]


TEXTS = texts()


def test_most_rules_have_a_pre_screen():
    screened = [rule.label for rule in ALL_RULES if rule.needles is not None]
    assert len(screened) >= len(ALL_RULES) - 3
    assert all(profile.detect and all(needles(p) for p in profile.detect) for profile in site_profiles())


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.label)
def test_every_match_in_real_pages_holds_a_needle(rule):
    for text in TEXTS:
        folded = fold(text)
        pieces = [folded] if rule.scope == "text" else [line.strip() for line in folded.split("\n")]
        for piece in pieces:
            if rule.pattern.search(piece):
                assert holds_needle(piece, rule.needles), piece
                assert all(holds_needle(piece, needed) for needed in rule.also), piece


@pytest.mark.parametrize("kind", ["notice", "chrome"])
def test_rules_with_and_without_pre_screens_give_the_same_outcome(kind):
    removed = 0
    for text in TEXTS:
        rules = rules_of_kind(profiles_for(text), kind)
        unscreened = tuple(replace(rule, needles=None, also=()) for rule in rules)
        fast, slow = apply_rules(text, rules), apply_rules(text, unscreened)
        assert (fast.text, fast.removals, fast.captures, fast.truncated) == \
               (slow.text, slow.removals, slow.captures, slow.truncated)
        removed += len(fast.removals)
    assert removed >= 10  # the pages do hold chrome and notices: the comparison means something


def test_needles_of_a_pattern_are_required_by_it():
    import re

    pattern = re.compile(r"[^\n。!]{0,30}(?:登录|注册)(?:后)?(?:查看|阅读)(?:全文|完整)")
    assert needles(pattern) == ("注册", "登录")
    assert pattern.search("请登录后查看全文") and holds_needle("请登录后查看全文", needles(pattern))
    assert needles(re.compile(r"\d+")) is None  # nothing literal is required
    assert needles(re.compile(r"(?i)abc")) is None  # case-insensitive: no literal pre-screen


def test_every_set_of_needles_is_required():
    import re

    pattern = re.compile(r"[^\n。!]{0,30}(?:登录|注册)(?:后)?(?:查看|阅读)(?:全文|完整)")
    assert needle_sets(pattern) == (("注册", "登录"), ("查看", "阅读"), ("全文", "完整"))
    line = "会员请登录后查看全文"
    assert pattern.search(line) and all(holds_needle(line, needed) for needed in needle_sets(pattern))
    assert not pattern.search("阅读全文的同学们") and not holds_needle("阅读全文的同学们", ("注册", "登录"))
