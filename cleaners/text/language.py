"""Which language a page is in, before anything Chinese-specific touches it.

lingua-language-detector ships its models in the wheel and runs offline. The
detector is restricted to the languages a Chinese crawl actually meets (fewer
models: faster and fewer confusions). Script evidence decides first, since it
is certain and cheap: kana means Japanese, hangul Korean; a page whose letters
are mostly hanzi is Chinese however much English it quotes. lingua decides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

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


def script_shares(text: str) -> ScriptShares:
    """Count letters by script in one pass.

    >>> script_shares("東京は晴れ ok")
    ScriptShares(letters=7, hanzi=3, kana=2, hangul=0)
    """
    letters = hanzi = kana = hangul = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F or 0xF900 <= code <= 0xFAFF:
            hanzi += 1
        elif 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
    return ScriptShares(letters, hanzi, kana, hangul)


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
