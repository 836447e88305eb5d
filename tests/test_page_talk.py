"""Whole-block decisions (issue 12, item 3): the site's talk about the page goes as a whole.

* an editors' or SEO intro paragraph at the top or bottom of a page goes whole,
  not only the ``以下是小编整理的…`` sentence that gives it away;
* in a collection whose first article opens with its header, the block above that
  header belongs to the page, not to article 1.

The prose is real (the sample speeches, the Debian FAQ); the furniture is written
the way such sites word it.
"""

from cleaners.pipeline import clean_text
from cleaners.structure.collection import PAGE_HEAD_END
from tests.styles import faq_paragraphs
from tests.test_generic_chrome import norm
from tests.unseen_styles import speech

FILLER = "自由软件是一种精神，也是一种协作方式，更是一种生活态度。"


def cleaned(text: str):
    page, reports = clean_text(text, "text")
    return page, {r.stage: r for r in reports}


def texts(page) -> str:
    return "\n".join(a.text for a in page.articles)


def test_an_seo_intro_paragraph_at_the_top_goes_whole():
    prose = faq_paragraphs("basic-defs")[:4]
    intro = FILLER + "以下是小编为大家整理的自由软件入门，供大家参考借鉴，希望可以帮助到有需要的朋友。"
    page, reports = cleaned("\n".join(["自由软件入门", intro, *prose]) + "\n")
    assert norm(FILLER[:10]) not in norm(texts(page))
    assert all(norm(p) in norm(texts(page)) for p in prose)
    assert any(e.startswith("page talk: ") for e in reports["strip_chrome"].examples)


def test_an_editors_closing_paragraph_at_the_bottom_goes_whole():
    prose = faq_paragraphs("software")[:3]
    closing = "以上就是小编为大家带来的全部内容。" + FILLER
    page, _ = cleaned("\n".join(["软件的获取", *prose, closing]) + "\n")
    assert norm(FILLER[:10]) not in norm(texts(page))
    assert norm(texts(page)).endswith(norm(prose[-1]))


def test_the_same_sentence_inside_a_part_of_a_collection_is_cut_alone():
    """ARTIFACTS §4: a part's intro glued to a sentence of the speech keeps that sentence."""
    first, second = speech(0), speech(1)
    blurb = "做好工会工作，离不开党委的领导和社会各界的支持。下面是本站小编给大家整理的讲话稿，仅供参考。"
    text = "\n".join(["讲话稿【精选2篇】", "讲话稿【篇1】", *first, "讲话稿【篇2】", blurb, *second]) + "\n"
    page, _ = cleaned(text)
    assert len(page.articles) == 2
    assert "做好工会工作，离不开党委的领导和社会各界的支持。" in page.articles[1].text
    assert "小编" not in texts(page)


def test_the_block_above_the_first_header_belongs_to_the_page():
    first, second = speech(0), speech(1)
    head = ["职工之家范文频道", "讲话稿精选（2篇）", "劳动创造幸福，实干成就梦想。这里汇集各地工会讲话稿，更新及时，内容丰富。"]
    text = "\n".join([*head, "讲话稿【篇1】", *first, "讲话稿【篇2】", *second]) + "\n"
    page, reports = cleaned(text)
    assert len(page.articles) == 2
    assert norm(page.articles[0].text).startswith(norm(first[0]))
    assert "这里汇集" not in texts(page) and "职工之家" not in texts(page)
    assert all(norm(p) in norm(page.articles[0].text) for p in first[1:])
    assert PAGE_HEAD_END not in texts(page)
    assert any(e.startswith("page head: ") for e in reports["strip_chrome"].examples)


def test_without_a_header_the_lines_above_the_first_speech_stay_with_it():
    """Split at salutations only: the line above the first one may be that speech's own title."""
    first, second = speech(0), speech(2)
    text = "\n".join(["在职工代表大会上的讲话", *first, *second]) + "\n"
    page, _ = cleaned(text)
    assert len(page.articles) == 2
    assert PAGE_HEAD_END not in texts(page)
    assert all(norm(p) in norm(texts(page)) for p in [*first, *second] if len(p) > 10)
