"""The shadow of a text is the same whichever way it is computed (dict translate for short strings, array for long)."""

from cleaners.decode.encoding import decode_bytes
from cleaners.matching.fold import _TABLE, fold, fold_char
from tests.conftest import SAMPLES


def test_long_texts_fold_exactly_as_character_by_character():
    changed = 0
    for path in sorted(SAMPLES.iterdir()):
        text = decode_bytes(path.read_bytes()).text
        assert len(text) >= 128  # the array path
        folded = fold(text)
        assert folded == text.translate(_TABLE) == "".join(map(fold_char, text))
        assert len(folded) == len(text)
        changed += folded != text
    assert changed >= 2  # Traditional and full-width pages among the seeds


def test_every_basic_plane_character_folds_alike_in_both_paths():
    chars = "".join(chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000)
    folded = fold(chars)
    assert folded == "".join(map(fold_char, chars))
    assert folded[chars.index("學")] == "学" and folded[chars.index("，")] == ","
    lines = [chars[i:i + 100] for i in range(0, 2000, 100)]  # short strings: the dict path
    assert [fold(line) for line in lines] == [folded[i:i + 100] for i in range(0, 2000, 100)]


def test_the_memo_of_folded_lines_stays_within_its_budget_of_characters(monkeypatch):
    import cleaners.matching.fold as module

    monkeypatch.setattr(module, "_MEMO_BUDGET", 1_000)
    monkeypatch.setattr(module, "_memo", {})
    monkeypatch.setattr(module, "_memo_chars", 0)
    lines = [line.strip() for path in sorted(SAMPLES.iterdir())
             for line in decode_bytes(path.read_bytes()).text.splitlines() if 10 <= len(line.strip()) <= 300]
    assert sum(map(len, lines)) > 20 * 1_000
    for line in lines:
        assert fold(line) == "".join(map(fold_char, line))
        assert module._memo_chars == sum(map(len, module._memo)) <= 1_000
    assert module._memo  # it does remember
