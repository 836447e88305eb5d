"""Which language a page is in, before anything Chinese-specific touches it.

lingua-language-detector ships its models in the wheel and runs offline. The
detector is restricted to the languages a Chinese crawl actually meets (fewer
models: faster and fewer confusions). Script evidence decides first, since it
is certain and cheap: kana means Japanese, hangul Korean; a page whose letters
are mostly hanzi is Chinese however much English it quotes. lingua decides the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from cleaners.chinese import ANY_HAN_CHAR, HAN_WITH_EXTENSIONS
from cleaners.model import CleanConfig, Page, StageReport, frozen_counts

SAMPLE_CHARS = 4000  # enough for a sure answer; a page's head is as telling as its whole


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1
    confidence: float


@dataclass(frozen=True)
class ScriptShares:
    letters: int
    hanzi: int
    kana: int
    hangul: int


HANZI = ANY_HAN_CHAR
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def script_shares(text: str) -> ScriptShares:
    """Count letters by script: each script's range found by a compiled pattern, letters by ``str.isalpha``
    over what it found (code points of a range that are no letters do not count), all in C.

    >>> script_shares("東京は晴れ ok")
    ScriptShares(letters=7, hanzi=3, kana=2, hangul=0)
    """
    hanzi = sum(map(len, han_letter_run().findall(text)))
    others = "".join(NOT_HAN_RUN.findall(text))  # every letter that is no hanzi is here
    return ScriptShares(hanzi + letters(others), hanzi, letters(KANA.findall(text)), letters(HANGUL.findall(text)))


NOT_HAN_RUN = re.compile(f"[^{HAN_WITH_EXTENSIONS}]+")


@lru_cache(maxsize=1)
def han_letter_run() -> re.Pattern[str]:
    """Runs of the code points of ``HANZI``'s ranges that are letters (``str.isalpha``): counted by their
    lengths, one match object a run instead of one string a character."""
    body = HAN_WITH_EXTENSIONS
    codes = [code for first, last in re.findall(r"(.)-(.)", body) for code in range(ord(first), ord(last) + 1)]
    codes += [ord(ch) for ch in re.sub(r".-.", "", body)]
    alpha = sorted(code for code in set(codes) if chr(code).isalpha())
    ranges, start = [], alpha[0]
    for before, code in zip(alpha, alpha[1:] + [-1], strict=True):
        if code != before + 1:
            ranges.append(f"{chr(start)}-{chr(before)}" if before > start else chr(start))
            start = code
    return re.compile(f"[{''.join(ranges)}]+")


def letters(chars) -> int:
    return sum(map(str.isalpha, chars))


@lru_cache(maxsize=1)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = (Language.CHINESE, Language.JAPANESE, Language.KOREAN, Language.ENGLISH, Language.RUSSIAN,
                 Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.VIETNAMESE, Language.ARABIC,
                 Language.THAI, Language.INDONESIAN, Language.PORTUGUESE)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> LanguageGuess:
    """The main language of ``text``.

    >>> detect_language("东京是日本的首都，人口众多。The city is large.").code
    'zh'
    >>> detect_language("東京は日本の首都です。").code
    'ja'
    """
    sample = text[:SAMPLE_CHARS]
    shares = script_shares(sample)
    if shares.letters == 0:
        return LanguageGuess("zh", 0.0)
    cjk = shares.hanzi + shares.kana + shares.hangul
    if shares.kana >= max(2, 0.05 * cjk) and shares.kana >= shares.hangul:
        return LanguageGuess("ja", round(min(1.0, cjk / shares.letters), 4))
    if shares.hangul >= max(2, 0.05 * cjk):
        return LanguageGuess("ko", round(min(1.0, cjk / shares.letters), 4))
    if shares.hanzi >= 0.3 * shares.letters:  # mostly hanzi: Chinese, quotations and all
        return LanguageGuess("zh", round(shares.hanzi / shares.letters, 4))
    values = detector().compute_language_confidence_values(sample)
    if not values:
        return LanguageGuess("zh", 0.0)
    best = values[0]
    return LanguageGuess(best.language.iso_code_639_1.name.lower(), round(float(best.value), 4))


def identify_language(page: Page, config: CleanConfig) -> tuple[Page, StageReport]:
    """The stage: sets the page's language; the pipeline skips Chinese-only stages on other languages."""
    guess = detect_language(page.text)
    meta = replace(page.meta, language=guess.code, language_confidence=guess.confidence)
    counts = {} if guess.code == "zh" else {"not_chinese": 1}
    return replace(page, meta=meta), StageReport("identify_language", frozen_counts(counts),
                                                 (f"{guess.code} ({guess.confidence:.2f})",))
