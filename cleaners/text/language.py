"""Which language a page is in, before anything Chinese-specific touches it.

lingua-language-detector ships its models in the wheel and runs offline. The
detector is restricted to the languages a Chinese crawl actually meets (fewer
models: faster and fewer confusions). Script evidence decides first, since it
is certain and cheap: kana means Japanese, hangul Korean; a page whose letters
are mostly hanzi is Chinese however much English it quotes. lingua decides the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from cleaners.chinese import ANY_HAN_CHAR
from cleaners.codepoints import CODE_POINTS, code_points, every_code_point, marked
from cleaners.heap import release_free_heap
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
    """Count letters by script: each code point's classes looked up in :func:`script_classes` (letter, and
    letter of each script's range), over the text's code points in numpy.

    >>> script_shares("東京は晴れ ok")
    ScriptShares(letters=7, hanzi=3, kana=2, hangul=0)
    """
    classes = script_classes()[code_points(text)]
    letters, hanzi, kana, hangul = (int(np.count_nonzero(classes & bit)) for bit in (LETTER, HAN_LETTER, KANA_LETTER,
                                                                                HANGUL_LETTER))
    return ScriptShares(letters, hanzi, kana, hangul)


LETTER, HAN_LETTER, KANA_LETTER, HANGUL_LETTER = 1, 2, 4, 8  # the bits of script_classes


@lru_cache(maxsize=1)
def script_classes() -> np.ndarray:
    """A byte per code point: LETTER where ``str.isalpha``, and HAN_LETTER, KANA_LETTER, HANGUL_LETTER where
    it is a letter that ``HANZI``, ``KANA``, ``HANGUL`` match. Made once a process (~0.1 s)."""
    alpha = np.fromiter(map(str.isalpha, every_code_point()), dtype=bool, count=CODE_POINTS)
    table = marked((bit, re.compile(f"(?:{pattern.pattern})+"))
                   for bit, pattern in ((HAN_LETTER, HANZI), (KANA_LETTER, KANA), (HANGUL_LETTER, HANGUL)))
    table[~alpha] = 0
    table[alpha] |= LETTER
    return table


@lru_cache(maxsize=1)
def detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = (Language.CHINESE, Language.JAPANESE, Language.KOREAN, Language.ENGLISH, Language.RUSSIAN,
                 Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.VIETNAMESE, Language.ARABIC,
                 Language.THAI, Language.INDONESIAN, Language.PORTUGUESE)
    return LanguageDetectorBuilder.from_languages(*languages).build()


# Set in a chunk worker process (``flows.workers``): lingua's scores are asked of the process that serves them to
# every worker of the run, so that lingua's models (~125 MB for a sample under ~120 letters) are loaded once a
# run, not once a worker. The same detector, the same sample: the same values.
_scores_elsewhere: Callable[[str], list] | None = None


def score_elsewhere(scores: Callable[[str], list] | None) -> None:
    """From now on :func:`lingua_confidences` returns ``scores(sample)`` (None: scores here again)."""
    global _scores_elsewhere
    _scores_elsewhere = scores


def lingua_confidences(sample: str) -> list:
    """lingua's confidence values for ``sample``, best first. lingua loads the models of the languages
    ``sample`` may be in on their first use and leaves what it freed while parsing them in the heap: given
    back at once (:mod:`cleaners.heap`; ~40 MB of the ~175 MB the Latin-script languages take)."""
    if _scores_elsewhere is not None:
        return _scores_elsewhere(sample)
    values = detector().compute_language_confidence_values(sample)
    release_free_heap()
    return values


def unload_models() -> None:
    """lingua's models out of this process, if it loaded any, their memory given back (:mod:`cleaners.heap`)."""
    if not detector.cache_info().currsize:
        return
    detector().unload_language_models()
    release_free_heap()


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
    values = lingua_confidences(sample)
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
