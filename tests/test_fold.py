"""The shadow of a text is the same whichever way it is computed (dict translate for short strings, array for long)."""

from cleaners.decode import decode_bytes
from cleaners.fold import _TABLE, fold, fold_char
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
