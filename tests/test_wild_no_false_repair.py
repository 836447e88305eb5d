"""No false repairs: clean text of every script passes every wild-mojibake repair unchanged (hypothesis).

Real clean sentences (the Debian FAQ excerpt in Simplified, and in Traditional
through OpenCC), real Japanese and Korean sentences, French and German text
with its accented letters, code, URLs, literal ``???`` placeholders and
questions, sliced at random and concatenated in random order, on one line or
several.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.chinese import HAN_CHAR
from cleaners.model import CleanConfig
from cleaners.pipeline import WILD_REPAIRS
from tests.roundtrip import HALF, prose_documents, script_variant

CONFIG = CleanConfig()
SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 60)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def assert_left_alone(text: str) -> None:
    """Every wild repair gives ``text`` back unchanged and counts nothing lost."""
    for name, fix in WILD_REPAIRS:
        change = fix(text, CONFIG)
        assert change.text == text, name
        assert not change.counts.get("mojibake_chars_lost"), name


OTHER_SCRIPTS = [
    # Japanese and Korean
    "日本語の文章は、ひらがなとカタカナと漢字で書かれています。", "東京都は日本の首都です。",
    "今日はいい天気ですね。明日も晴れるでしょうか？", "ソフトウェアをインストールしてください。",
    "안녕하세요. 오늘은 날씨가 좋네요.", "한국어는 한글로 씁니다. 소프트웨어를 설치하세요.",
    # French and German (Latin-1 letters between ASCII ones)
    "L'élève a déjà vu la fenêtre à Noël, où était-il ?", "Ça coûte cher, très cher… n'est-ce pas ?",
    "Die Größe der Straße ist für Müller überraschend.", "Schöne Grüße aus Köln, äußerst gemütlich.",
    "Àéèêëîïôùûüÿç ÀÉÈÊËÎÏÔÙÛÜŸÇ ÄÖÜäöüß", "naïve café résumé façade jalapeño señor",
    # code, URLs, placeholders and questions
    "see https://example.org/a?b=1&c=2#x and `x = a ?? b`", "if (x) { y = z ? 1 : 2; }",
    "姓名：???  电话：???", "为什么？", "what??", "真的吗???", "¿Qué? ¡Sí! «Oui» ±5 °C µm ½ ¼ ×÷",
    "价格 ¥100，温度 30°C，约 ±2%", "Ⅰ Ⅱ Ⅲ ① ② ③ ※ § ¶ © ® ™",
]


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    out = []
    for variant in ("s", "s2t"):
        for doc in script_variant(variant):
            out.extend(s for s in re.split("(?<=[。！？])", doc) if s.strip())
    return tuple(out)


@st.composite
def clean_text(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        piece = draw(st.sampled_from(sentences()) | st.sampled_from(OTHER_SCRIPTS) | st.sampled_from(prose_documents()))
        start = draw(st.integers(min_value=0, max_value=len(piece)))
        end = draw(st.integers(min_value=start, max_value=len(piece)))
        pieces.append(piece[start:end] if draw(st.booleans()) else piece)
    text = draw(st.sampled_from(["", " ", "\n"])).join(pieces)
    # pages typed with half-width punctuation: a literal ``?`` after every question, beside hanzi
    return text.translate(HALF) if draw(st.booleans()) else text


@given(clean_text())
@SETTINGS
def test_clean_text_of_every_script_passes_every_wild_repair_unchanged(text):
    assert_left_alone(text)


@given(st.sampled_from(OTHER_SCRIPTS), st.sampled_from(OTHER_SCRIPTS))
@SETTINGS
def test_european_and_other_scripts_pass_together(a, b):
    for joined in (a + b, a + "\n" + b, a + " " + b):
        for name, fix in WILD_REPAIRS:
            assert fix(joined, CONFIG).text == joined, name


QUESTIONS = [s for s in sentences() if s.endswith("？")]


@given(st.lists(st.sampled_from(QUESTIONS), min_size=5, max_size=20), st.sampled_from(["", " ", "\n"]))
@SETTINGS
def test_pages_of_half_width_questions_keep_their_question_marks(questions, joiner):
    # a FAQ typed with half-width marks: ``?`` after hanzi, before the next question's hanzi
    text = joiner.join(questions).translate(HALF)
    for name, fix in WILD_REPAIRS:
        assert fix(text, CONFIG).text == text, name


# A mask ``×`` (real in the samples: ``实施“×”工程``, ``×月底前``) before a cp1252 mark is two bytes
# that are also the UTF-8 of a Hebrew letter (``×“`` is D7 93, ``ד``): a symbol pair inside Chinese prose,
# not a word of a script the page never uses.
MARKS_AFTER_A_MASK = "“”‘’•…—–·°±²³½¼©®™"


@lru_cache(maxsize=1)
def masked_lines() -> tuple[str, ...]:
    from tests.conftest import seed_text

    return tuple(line for line in seed_text("002").splitlines() if "×" in line)


@st.composite
def prose_with_masks(draw) -> str:
    """Real prose with masks before marks sprinkled after its hanzi (one mask each: ``×“×“×“×“`` is
    four GBK pairs, :mod:`cleaners.repair.gbk_as_latin1`'s evidence, not this test's)."""
    text = draw(st.sampled_from(sentences()) | st.sampled_from(masked_lines()))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        after_hanzi = [at for at in range(1, len(text) + 1) if HAN_CHAR.match(text[at - 1]) and text[at: at + 1] != "×"]
        if not after_hanzi:
            break
        at = draw(st.sampled_from(after_hanzi))
        text = text[:at] + "×" + draw(st.sampled_from(MARKS_AFTER_A_MASK)) + text[at:]
    return text


@given(prose_with_masks())
@SETTINGS
def test_a_mask_before_a_mark_is_not_read_as_a_letter_of_another_script(text):
    assert_left_alone(text)


@st.composite
def prose_with_mask_runs(draw) -> str:
    """Real prose with runs of one symbol (``姓名：×××``, ``电话：××××××××``, a rule of ``¯``) in it,
    not against a Latin-1 letter (``xié¯¯`` is the UTF-8 of 鯯: ftfy's to judge, not this test's)."""
    text = draw(st.sampled_from(sentences()) | st.sampled_from(masked_lines()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        apart = [at for at in range(len(text) + 1) if not any("\x80" <= c <= "\xff" for c in text[max(0, at - 1): at + 1])]
        at = draw(st.sampled_from(apart))
        run = draw(st.sampled_from("×¯°·÷")) * draw(st.integers(min_value=2, max_value=12))
        text = text[:at] + draw(st.sampled_from(["", " ", "："])) + run + draw(st.sampled_from(["", " "])) + text[at:]
    return text


@given(prose_with_mask_runs())
@SETTINGS
def test_runs_of_one_symbol_are_not_read_as_gbk(text):
    # ``××××`` is D7 D7 D7 D7, two GBK 鬃: a run of one symbol is typography, not text
    for name, fix in WILD_REPAIRS:
        assert fix(text, CONFIG).text == text, name


# Sample 002's pinyin annotations (``規(guī)劃``) end on tone letters; ftfy also reads Baltic and Central
# European codecs, where ā ē ī ō ū ě are single bytes: ``ī¯¯`` through cp1257 is EE 9D 9D, a private-use
# character, and ``ē¯¯`` is 睝. Those codecs' letters are pinyin's here, not a decoder's mistakes.
PINYIN_END = re.compile(r"\([a-zà-ǜ]*([\u0100-\u024f])\)")


@lru_cache(maxsize=1)
def annotations_ending_outside_latin1() -> tuple[tuple[str, int], ...]:
    """(line, position after the annotation's last letter) for every annotation of 002's masked lines
    ending on a letter that Latin-1 lacks."""
    return tuple((line, hit.end(1)) for line in masked_lines() for hit in PINYIN_END.finditer(line))


def test_a_run_of_symbols_after_a_pinyin_letter_of_another_codec_is_left_alone():
    places = annotations_ending_outside_latin1()
    assert len({line[at - 1] for line, at in places}) >= 4, places  # several tone letters of the sample
    for line, at in places:
        for symbol in "¯°×·÷":
            for length in (2, 3, 6):
                assert_left_alone(line[:at] + symbol * length + line[at:])


def test_questions_that_end_on_a_noun_keep_their_question_marks():
    # short questions that ask with a word inside the clause (有没有, 怎么, 是否 …) and end on a noun, typed
    # with half-width marks and run together five to eight at a time: ``?`` between hanzi often, none
    # after 吗 or 呢 (the shape of 问句码 by the character before the mark alone)
    short = [q for q in QUESTIONS if q[-2] not in "吗嗎呢么麼啊吧嘛" and len(q) <= 20]
    assert len(short) >= 8, short
    for n in (5, 6, 8):
        for start in range(len(short) - n + 1):
            text = "".join(short[start:start + n]).translate(HALF)
            for name, fix in WILD_REPAIRS:
                assert fix(text, CONFIG).text == text, (name, n, start)


def spells_a_utf8_lead(char: str) -> bool:
    """The GBK bytes of ``char`` open a three-byte UTF-8 sequence (E0-EF, then a continuation byte)."""
    try:
        data = char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return len(data) == 2 and 0xE0 <= data[0] <= 0xEF and 0x80 <= data[1] <= 0xBF


def test_a_hanzi_whose_gbk_bytes_open_utf8_before_a_run_of_symbols_is_left_alone():
    # 目錄÷÷÷÷: 錄 is E4 9B in GBK and ÷ is A1 C2, so the bytes spell UTF-8 䛡 ¡ ¡ ¡ and a lost byte; a
    # reading into Latin-1 punctuation (¡ ¿ « § …) is no evidence of Chinese text
    cases = []
    for sentence in sentences():
        for at, char in enumerate(sentence):
            if spells_a_utf8_lead(char):
                cases.append(sentence[:at + 1] + "÷÷÷÷" + sentence[at + 1:])
                break
    assert len(cases) >= 100
    for text in cases[:300]:
        assert_left_alone(text)


def test_a_quote_before_runs_of_symbols_is_not_read_as_gbk():
    # found by prose_with_mask_runs: one “ beside the runs made the stretch no longer all runs, and
    # “p ········ °° came back as 損 贩贩贩贩 鞍鞍 (the FAQ's line, with the runs the strategy put in)
    assert_left_alone("“pos ········  °°°°° tinst”脚本常常请求用户输入，且/或在用户接受默认值的时候警告他们，"
                      "应记得在需要时回来重新配置软件包。")
