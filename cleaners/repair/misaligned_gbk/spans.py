"""Find the spans of a page (a ``?`` that opens an out-of-step run), the ways each can end,
and repair them with the page's evidence."""

from __future__ import annotations

from functools import cached_property

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.annotation import (
    ORPHAN,
    chars_read_as,
    learn_dictionary,
    readings_of,
)
from cleaners.repair.charlm import CharModel, DocumentModel
from cleaners.repair.gbk import (
    HALF_TO_FULL,
    char_of,
    pair_of,
    trails_after,
)
from cleaners.repair.misaligned_gbk.hypothesis import Ending
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.scoring import (
    raw_score,
)
from cleaners.repair.misaligned_gbk.search import search
from cleaners.repair.misaligned_gbk.text import (
    IN_RUN_ANNOTATION,
    LOST,
    PRIVATE_USE,
    SPAN_OPENING,
    annotates,
    document_text,
    previous_char,
)
from cleaners.repair.question_marks import URL, lost_as_ascii, page_lost_in_ascii, shows_the_shape
from cleaners.stage import MAX_EXAMPLES


def repair_mojibake(text: str, config: CleanConfig) -> TextChange:
    """Find and repair the out-of-step GBK spans of a page.

    The page is scanned in C for the ``?`` that can open a span; only the lines that
    hold one are looked at, and the page's evidence (its annotation dictionary, its
    character model) is built only once a candidate run could be repaired, so a page
    without a shifted run costs a regular-expression scan.
    """
    if "?" not in text:
        return TextChange(text)
    evidence = None
    page_lost = None
    spans = lost = 0
    examples: list[str] = []
    pieces = []
    done = line_end = 0
    for opening in SPAN_OPENING.finditer(text):
        if opening.start() < line_end:
            continue  # on the line just repaired or passed over
        line_start = text.rfind("\n", 0, opening.start()) + 1
        line_end = text.find("\n", opening.start())
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        if line.isascii():
            page_lost = page_lost_in_ascii(text.split("\n")) if page_lost is None else page_lost
            if lost_as_ascii(line, page_lost):
                continue  # its hanzi went to a single-byte codec (question_marks): no GBK is left to run out of step
        if evidence is None and lost_to_a_codec(text):
            return TextChange(text)  # its ? stand for hanzi a codec lacked (question_marks), not for shifted bytes
        evidence = evidence or PageEvidence(text)
        fixed, n_spans, n_lost, line_examples = repair_line(line, evidence)
        if fixed != line:
            pieces += [text[done:line_start], fixed]
            done = line_end
        spans += n_spans
        lost += n_lost
        examples.extend(line_examples[: MAX_EXAMPLES - len(examples)])
    if evidence is None:
        return TextChange(text)
    pieces.append(text[done:])
    return TextChange("".join(pieces), frozen_counts({"mojibake_spans": spans, "mojibake_chars_lost": lost}),
                      tuple(examples))


def lost_to_a_codec(text: str) -> bool:
    """The page's ``?`` stand between its hanzi as a codec that lacked them leaves them (问句码 through GB2312
    or Big5: :func:`cleaners.repair.question_marks.shows_the_shape`), not as a GBK decoder one byte out of step."""
    return shows_the_shape(URL.sub("", text))


class PageEvidence:
    """What the page itself says, built on first use: its annotation dictionary and character model."""

    def __init__(self, text: str):
        self.text = text
        self.allow_gaps = not PRIVATE_USE.search(text)  # a page that kept user-defined pairs dropped none

        self.spans: dict[tuple[str, str], tuple[int, str, int] | None] = {}

    def repaired_span(self, line: str, i: int):
        """``repair_span(line, i, self)``, remembered: a page often repeats a passage, span and all.

        The repair reads at most ``P.span_lookback`` characters before the span and the
        rest of the line after it (``end`` is kept relative to ``i``).
        """
        key = (line[max(0, i - P.span_lookback):i], line[i:])
        if key in self.spans:
            found = self.spans[key]
            return None if found is None else (i + found[0], found[1], found[2])
        result = repair_span(line, i, self)
        self.spans[key] = None if result is None else (result[0] - i, result[1], result[2])
        return result

    @cached_property
    def dictionary(self) -> dict[str, str]:
        return learn_dictionary(self.text)

    @cached_property
    def model(self) -> CharModel:
        return CharModel(DocumentModel(document_text(self.text)))



def repair_line(line: str, evidence: PageEvidence):
    out: list[str] = []
    spans = lost = 0
    examples = []
    i = 0
    done = 0
    while True:
        opening = SPAN_OPENING.search(line, i)
        if opening is None:
            break
        i = opening.start()
        result = evidence.repaired_span(line, i)
        if result is None:
            i += 1
            continue
        end, repaired, n_lost = result
        out.append(line[done:i])
        out.append(repaired)
        examples.append(f"{line[max(0, i - 3):end + 2]} → {line[max(0, i - 3):i]}{repaired}")
        spans += 1
        lost += n_lost
        done = i = end
    out.append(line[done:])
    return "".join(out), spans, lost, examples



def repair_span(line: str, i: int, evidence: PageEvidence):
    """Repair the span opened by the ``?`` at ``i``: (end, repaired text, chars lost) or None."""
    before = previous_char(line, i)
    orphan = ORPHAN.match(line, i + 1)
    if orphan:
        start = orphan.end()
        leads = trigger_leads(before, orphan.group(1), evidence.dictionary)
    else:
        start = i + 1
        leads = None
        if start >= len(line) or not SPAN_OPENING.match(line, i):
            return None  # T2 runs open with an A3xx pair (ARTIFACTS §2.4); a ? before Chinese is a question
    if start >= len(line):
        return None
    best = None
    steps: dict = {}
    for ending in endings(line, start, evidence):
        found = search(line, i, start, leads, ending, evidence.dictionary, evidence.model, evidence.allow_gaps,
                       steps)
        if found is not None and (best is None or found.score > best.score):
            best = found
    if best is None:
        return None
    score, repaired, n_lost, end = best.score, *best.written()
    right_scored = not repaired.endswith((LOST, ")"))
    if orphan is None and score - raw_score(line, i, end, evidence.model, right_scored) < P.accept_margin:
        return None
    return end, repaired, n_lost


def trigger_leads(before: str | None, reading: str, dictionary) -> dict[int, float] | None:
    """The lost byte of a T1 span: second byte of the character the orphan annotation names."""
    pair = pair_of(before) if before else None
    if pair is None:
        return None
    trail = pair[1]
    candidates = [c for c in (char_of(trail, b) for b in trails_after(trail)) if c]
    # The page's own list first; but a page shows only part of the site's list (範 in 003).
    listed = [c for c in candidates if dictionary.get(c) == reading]
    default = [c for c in candidates if readings_of(c)[:1] == (reading,) and c not in dictionary]
    chars = listed + default or chars_read_as(reading, {}, candidates)
    leads = {pair_of(c)[1]: 0.0 if c in listed or len(chars) == 1 else P.unlisted_cost for c in chars}
    return leads or None


def endings(line: str, start: int, evidence: PageEvidence):
    """The ways the run that starts at ``start`` can end, nearest first."""
    units: list[bytes] = []
    closings = 0
    j = start
    while j < len(line):
        char = line[j]
        if char == "?":
            yield closing_at(line, j, tuple(units))
            closings += 1
            if closings >= P.max_closings or ORPHAN.match(line, j + 1):
                return
        if char == "(" and units and len(units[-1]) == 2:
            inside = IN_RUN_ANNOTATION.match(line, j)
            if inside and annotates(char_of(*units[-1]), inside.group(1), evidence.dictionary):
                j = inside.end()  # the inserter matched bytes that straddle two characters: spurious
                continue
        if char.isascii() and char not in HALF_TO_FULL:
            if 0x40 <= ord(char) <= 0x7E:
                annotation = IN_RUN_ANNOTATION.match(line, j + 1)
                yield Ending((*units, char.encode()), j + 1, closing=False,
                             pinned=annotation.group(1) if annotation else None)
            return
        pair = pair_of(char)
        if pair is None:
            return
        units.append(bytes(pair))
        if pair[1] < 0x80:
            yield Ending(tuple(units), j + 1, closing=False)
            return
        j += 1



def closing_at(line: str, j: int, units: tuple[bytes, ...]) -> Ending:
    """A run closed by the ``?`` at ``j``: what went with it."""
    after = line[j + 1 : j + 2]
    annotation = ORPHAN.match(line, j + 1)
    if annotation:
        return Ending(units, annotation.end(), True, trail_reading=annotation.group(1))
    lost = bool(after) and after not in ",、"
    return Ending(units, j + 1, True, lost_after=lost)


