"""The two readers of bylines share one table of labels (cleaners.structure.byline_labels): the lines of a page
(bylines.byline_author, on folded lines) and the meta line under an HTML title (metaline.byline_author, on
the page's text) read an author's label, an editor's and a source's the same way, each within its contract."""

from __future__ import annotations

import pytest

from cleaners.matching.fold import fold
from cleaners.structure import bylines, metaline, shapes
from cleaners.structure.byline_labels import AUTHOR_LABELS, BYLINE_LABELS, EDITOR_LABELS, SOURCE_LABELS
from cleaners.structure.names import author_name

TITLE = "软件包管理系统的常见问题解答"
NAME = "张晓东"


def meta_author(line: str) -> str | None:
    text = metaline.normalise(f"首页 {TITLE}\n{line}\n本文介绍了软件包管理系统的基本概念。")
    return metaline.byline_author(text, metaline.title_ends(text, TITLE))


@pytest.mark.parametrize("label", AUTHOR_LABELS)
@pytest.mark.parametrize("colon", ["：", ":"])
def test_both_readers_take_the_name_after_an_authors_label(label, colon):
    line = f"2023-11-05 14:02　来源{colon}新华网　{label}{colon}{NAME}"
    assert bylines.byline_author(fold(line)) == NAME
    assert meta_author(line) == NAME


@pytest.mark.parametrize("label", SOURCE_LABELS)
def test_neither_reader_takes_a_source_for_the_author(label):
    line = f"2023-11-05 14:02　{label}：新华网"
    assert bylines.byline_author(fold(line)) is None
    assert meta_author(line) is None


@pytest.mark.parametrize("label", EDITOR_LABELS)
def test_an_editor_is_no_byline_but_stands_in_under_the_title_when_no_author_is_named(label):
    line = f"2023-11-05 14:02　来源：新华网　{label}：{NAME}"
    assert bylines.byline_author(fold(line)) is None
    assert meta_author(line) == NAME
    assert meta_author(f"{line}　{AUTHOR_LABELS[0]}：李明") == "李明"


@pytest.mark.parametrize(("line", "name"), [
    ("本报记者 周晓岚 方 敏", "周晓岚、方敏"),
    ("中青报·中青网记者 周晓岚", "周晓岚"),
    ("本报记者　周晓岚　通讯员　李华", "周晓岚"),
    ("作者：某研究院世界经济研究部副部长、研究员林海生", "林海生"),
])
def test_both_readers_take_every_reporter_and_the_name_after_a_rank(line, name):
    assert bylines.byline_author(fold(line)) == name
    assert meta_author(line) == name


@pytest.mark.parametrize("paper", ["参考消息", "读者文摘", "新华通讯社"])
def test_a_newspapers_name_is_no_author(paper):
    assert bylines.byline_author(fold(f"作者：{paper}")) is None
    assert author_name(meta_author(f"2023-11-05 14:02 作者：{paper}")) is None  # the meta line's is checked so


@pytest.mark.parametrize("label", BYLINE_LABELS)
def test_every_byline_label_makes_a_field_line(label):
    """shapes.FIELD_KEY is built from the same table: a new label is a field key without a second list."""
    assert shapes.is_field_line(f"{label}：{NAME}")
    assert not shapes.is_field_line(f"{label}{NAME}和同事们一起讨论了软件包管理系统的基本概念")
