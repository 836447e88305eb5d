"""Repair GBK text that a lenient decoder read one byte out of step (ARTIFACTS §2).

How the damage arose (pages 002 and 003, verified byte for byte): a GBK page got
``(pinyin)`` appended after the bytes of listed characters, also where those
bytes straddled two characters (trigger T1), or an invalid byte landed after a
lead byte (trigger T2); a lenient decoder turned that lead byte and the byte
after it into ``?`` and then paired every trail byte with the next lead byte
until an ASCII byte put it back in step. User-defined pairs it met became
private-use characters or vanished; afterwards ``，！？；：（）`` were made
half-width.

The repair runs the mechanism backwards, for every ``?`` that opens a run of
characters (a *span*):

1. the run is turned back into bytes: GBK characters to their codes, ``,!?;:()``
   to the full-width A3xx codes, private-use characters to their user-defined
   bytes, a surfaced ASCII trail byte to itself; the trigger annotation is dropped;
2. the byte the opening ``?`` swallowed is put back: for T1 it is the second
   byte of the character the orphan annotation names (its first byte must be the
   trail of the character before); for T2 it is unknown;
3. if the run ends in ``?``, the last character's trail byte is unknown (or pinned
   by the annotation that follows); where the decoder dropped user-defined pairs,
   pairs may be missing between any two units;
4. the bytes are re-paired and decoded strictly; the unknown bytes are chosen by
   a beam search scored with the character model of :mod:`cleaners.repair.charlm` (jieba's
   word list plus the page's own text, whose 4-grams are the best witness).

A span is repaired only when the repaired text reads far better than the damaged
one (so a genuine question mark stays). Every hypothesis reads the same units, so
the output splits into *slots*, one per unit (what its lead byte and the pending
byte make, with any characters dropped pairs hid between them) and one for the
closing. A slot's reading is written only when the best hypothesis that reads the
slot otherwise scores clearly lower (far lower, when the rival has another length
and neither the page nor the word list bears the reading out; and, for a character
none of whose bytes is on the page, an intact copy of its passage stands elsewhere
on the page); otherwise
the slot becomes U+FFFD, as many as the longest close reading has characters (on a
page whose decoder dropped pairs, as many as the longest reading the search
admits), counted in ``mojibake_chars_lost``, as is an ASCII character the decoder
swallowed.

>>> repair_mojibake("當(dāng)?shù)幕A", CleanConfig()).text
'當(dāng)的基礎'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import repeat
from operator import attrgetter, itemgetter

import numpy as np

from cleaners.model import CleanConfig, TextChange, frozen_counts
from cleaners.repair.annotation import (
    ANNOTATION,
    ORPHAN,
    PINYIN,
    chars_read_as,
    has_tone_mark,
    learn_dictionary,
    readings_of,
    strip_annotations,
)
from cleaners.repair.charlm import PUNCTUATION_SHARE, CharModel, DocumentModel
from cleaners.repair.gbk import (
    HALF_TO_FULL,
    char_of,
    chars_after,
    leads_before,
    pair_of,
    tables,
    trails_after,
    user_defined_pairs,
)

LOST = "\ufffd"
IN_RUN_ANNOTATION = re.compile(rf"\(([{PINYIN}]{{1,7}})\)")
# A ``?`` that may open a span: an orphan annotation follows (T1), or an A3xx pair (T2).
# The pair's second byte is the next character's lead byte, so not ``(`` ``)`` (A3A8, A3A9):
# rows A8/A9 hold pinyin letters, bopomofo and box drawing, which prose does not write
# (``什麼呢?(優(yōu)質25篇)`` is a question before a parenthesis).
SPAN_OPENING = re.compile(rf"\?(?:[{PINYIN}]{{1,7}}\)|[!?;:,\uff01-\uff07\uff0a-\uff5e])")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
FULL_WIDTH = str.maketrans(HALF_TO_FULL)
GUESSED, HIDDEN = 1, 2  # a character one of whose bytes was chosen; one none of whose bytes is on the page
BEAM = 60
RIVAL_BEAM = 8  # hypotheses kept while the rest of a rival reading is rescored
RIVAL_INTERIORS = 40  # characters tried between two dropped pairs when looking for rivals
CHAR_BONUS = 3.0  # added per output character, so hypotheses of different length compare
GAP_COST = 3.5  # a dropped user-defined pair costs this much
MAX_GAPS = 2  # consecutive dropped pairs at one place
UNLISTED_COST = 2.0  # a trigger character the page never shows annotated
PINNED_UNLISTED_COST = 4.0  # an annotated character the page never shows annotated
GAP_WORTH = -6.0  # a character this likely in context is not looked behind for dropped pairs
GAP_SEEDS = 3  # hypotheses a gap chain may start from
GAP_BASES = 8  # partial chains kept at each depth
GAP_KEEP = 8  # completed chains kept per base
COMMON = 2500  # characters that may stand between two dropped pairs
CLOSING_COMMON = 400  # characters tried where a closing ``?`` swallowed a dropped pair's neighbour
FOURGRAM_BONUS = 4.0  # the page holds the same four characters elsewhere
ACCEPT_MARGIN = 2.0  # how much better than the damaged text a T2 repair must read
LOST_COST = 5.0  # a closing ``?`` that swallowed a real ASCII character is the rarer case
CONFIDENT = 0.5  # a guess is written only if no other reads within this much
WITNESS = 3  # characters either side of a hidden one that an intact copy on the page must share
STRUCTURE_MARGIN = 3.0  # ... or, for a reading with other characters hidden by dropped pairs, this much
# ... or, for a reading that neither the page nor the word list bears out, this much: the
# round trip's wrong readings that won over a reading with dropped pairs led by up to 5.46
UNATTESTED_STRUCTURE_MARGIN = 6.0
MAX_CLOSINGS = 3
SPAN_LOOKBACK = 80  # characters before a span its repair reads (quote_score's window)
LEAD_PRIOR = 0.5  # weight of the page's own P(character | trail byte) for a swallowed lead byte
QUOTE_COST = 2.0  # per quotation mark a candidate leaves unbalanced
SHORT_QUOTE = 8  # a quotation this short is a term, not a sentence ...
SHORT_QUOTE_COST = 3.0
ODD_PUNCTUATION_COST = 3.0  # ... so a sentence end inside it costs this much



@dataclass(frozen=True)
class Ending:
    """Where a run ends: after ``stop`` characters; ``closing`` if a ``?`` swallowed the last trail."""

    units: tuple[bytes, ...]
    stop: int
    closing: bool
    trail_reading: str | None = None  # an annotation right after the closing ``?`` pins the trail
    lost_after: bool = False  # an ASCII character went with the closing ``?``
    pinned: str | None = None  # the reading annotated right after a surfaced ASCII trail byte (``I(yè)``)


class Hypothesis:
    """A reading of a run so far: its score, the lead byte waiting for a trail, the characters
    written (and how far each was guessed), and where each slot ended.

    A plain class with slots, not a dataclass: the search makes hundreds of thousands.
    Never changed after it is made.
    """

    __slots__ = ("score", "pending", "pending_guessed", "out", "guessed", "slots")

    def __init__(self, score: float, pending: int | None, pending_guessed: bool, out: tuple[str, ...],
                 guessed: tuple[bool, ...], slots: tuple[int, ...] = ()):
        self.score = score
        self.pending = pending
        self.pending_guessed = pending_guessed
        self.out = out
        self.guessed = guessed
        self.slots = slots  # len(out) where each slot (one unit's lead byte, or the closing) ended

    def slot(self, k: int) -> tuple[str, ...]:
        """The characters slot ``k`` wrote: one, or more where dropped pairs hid some."""
        start = self.slots[k - 1] if k else 0
        return self.out[start : self.slots[k]] if k < len(self.slots) else self.out[start:]

    def slot_length(self, k: int) -> int:
        """``len(self.slot(k))``."""
        slots = self.slots
        return (slots[k] if k < len(slots) else len(self.out)) - (slots[k - 1] if k else 0)

    def slot_guessed(self, k: int) -> tuple[bool, ...]:
        start = self.slots[k - 1] if k else 0
        return self.guessed[start : self.slots[k]] if k < len(self.slots) else self.guessed[start:]

    def ended_slot(self) -> Hypothesis:
        return Hypothesis(self.score, self.pending, self.pending_guessed, self.out, self.guessed,
                          self.slots + (len(self.out),))


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
    spans = lost = 0
    examples: list[str] = []
    pieces = []
    done = line_end = 0
    for opening in SPAN_OPENING.finditer(text):
        if evidence is not None and opening.start() < line_end:
            continue  # on the line just repaired
        line_start = text.rfind("\n", 0, opening.start()) + 1
        line_end = text.find("\n", opening.start())
        line_end = len(text) if line_end < 0 else line_end
        evidence = evidence or PageEvidence(text)
        line = text[line_start:line_end]
        fixed, n_spans, n_lost, line_examples = repair_line(line, evidence)
        if fixed != line:
            pieces += [text[done:line_start], fixed]
            done = line_end
        spans += n_spans
        lost += n_lost
        examples.extend(line_examples[: 5 - len(examples)])
    if evidence is None:
        return TextChange(text)
    pieces.append(text[done:])
    return TextChange("".join(pieces), frozen_counts({"mojibake_spans": spans, "mojibake_chars_lost": lost}),
                      tuple(examples))


class PageEvidence:
    """What the page itself says, built on first use: its annotation dictionary and character model."""

    def __init__(self, text: str):
        self.text = text
        self.allow_gaps = not PRIVATE_USE.search(text)  # a page that kept user-defined pairs dropped none

        self.spans: dict[tuple[str, str], tuple[int, str, int] | None] = {}

    def repaired_span(self, line: str, i: int):
        """``repair_span(line, i, self)``, remembered: a page often repeats a passage, span and all.

        The repair reads at most ``SPAN_LOOKBACK`` characters before the span and the
        rest of the line after it (``end`` is kept relative to ``i``).
        """
        key = (line[max(0, i - SPAN_LOOKBACK):i], line[i:])
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


def document_text(text: str) -> str:
    """The page as evidence: annotations out, half-width punctuation full-width."""
    text = strip_annotations(text)
    return text.translate(FULL_WIDTH)


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


def left_context(line: str, i: int) -> str:
    """The three characters before position ``i``, annotations removed."""
    return strip_annotations(line[max(0, i - 40):i])[-3:]


def previous_char(line: str, i: int) -> str | None:
    """The character before position ``i``, looking through its annotation ``X(py)``."""
    if i > 0 and line[i - 1] == ")":
        open_at = line.rfind("(", max(0, i - 10), i)
        if open_at > 0 and ANNOTATION.fullmatch(line, open_at - 1, i):
            return line[open_at - 1]
    return line[i - 1] if i > 0 else None


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
    if orphan is None and score - raw_score(line, i, end, evidence.model, right_scored) < ACCEPT_MARGIN:
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
    leads = {pair_of(c)[1]: 0.0 if c in listed or len(chars) == 1 else UNLISTED_COST for c in chars}
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
            if closings >= MAX_CLOSINGS or ORPHAN.match(line, j + 1):
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


def annotates(char: str | None, reading: str, dictionary) -> bool:
    """Would the site have annotated ``char`` with ``reading``?"""
    if char is None:
        return False
    if char in dictionary:
        return dictionary[char] == reading
    return has_tone_mark(reading) and reading in readings_of(char)


def closing_at(line: str, j: int, units: tuple[bytes, ...]) -> Ending:
    """A run closed by the ``?`` at ``j``: what went with it."""
    after = line[j + 1 : j + 2]
    annotation = ORPHAN.match(line, j + 1)
    if annotation:
        return Ending(units, annotation.end(), True, trail_reading=annotation.group(1))
    lost = bool(after) and after not in ",、"
    return Ending(units, j + 1, True, lost_after=lost)


def search(line, i, start, leads, ending: Ending, dictionary, model: CharModel, allow_gaps: bool,
           steps: dict | None = None):
    """Beam search over the unknown bytes: the best reading (:class:`Found`) or None.

    ``steps``: the beams after each prefix of units, shared by the endings of one span
    (a step reads only its unit, the run's left context and the page: the endings of a
    span read the same units up to where each ends).

    Every hypothesis reads the same units, so their output splits into the same
    *slots* (what each unit's lead byte, and the closing, wrote). A slot's
    reading is kept only if the best hypothesis that reads that slot otherwise
    scores clearly lower; else the slot becomes U+FFFD, as many as the longest
    close reading has characters (a dropped pair may hide whole characters).
    """
    left = left_context(line, i)
    first = ending.units[0][0] if ending.units else None
    if leads is not None:
        lead_set = leads
    elif first is not None and first >= 0x80:
        lead_set = leads_before(first)
    else:
        return None
    hyps = [Hypothesis(-leads[b] if leads else 0.0, b, leads is None or len(leads) > 1, (), ())
            for b in lead_set]
    if not hyps:
        return None
    right = line[ending.stop : ending.stop + 3]
    if ending.lost_after:
        right = " "  # a lost character follows: no evidence from the next text
    run = Run(ending, leads, left, right, line[:i], line[ending.stop:], dictionary, model, allow_gaps)
    beams = []
    steps = {} if steps is None else steps
    for k in range(len(ending.units)):
        beams.append(hyps)
        prefix = ending.units[: k + 1]
        stepped = steps.get(prefix)
        if stepped is None:
            stepped = steps[prefix] = run.step(hyps, k)
        hyps = stepped
        if not hyps:
            return None
    beams.append(hyps)
    scored = run.finish(hyps)
    if not scored:
        return None
    best_score, best = scored[0]
    return Found(best_score - LOST_COST if ending.lost_after else best_score, run, beams, best, best_score, line)


@dataclass
class Found:
    """The best reading of one ending of a run, and its score against the other endings.

    Which slots are written or lost (the rival search, most of the cost) is worked out
    by :meth:`written`, only for the ending that wins: it does not change the score.
    """

    score: float
    run: Run
    beams: list
    best: Hypothesis
    best_score: float
    line: str

    def written(self) -> tuple[str, int, int]:
        """(repaired text, chars lost, end of the run)."""
        run, best, ending = self.run, self.best, self.run.ending
        pieces = [list(best.slot(k)) for k in range(run.slot_count)]
        for k, piece in enumerate(pieces):
            width = run.unsure_width(self.beams, k, best, self.best_score)
            if width:
                pieces[k] = [LOST] * max(width, len(piece))
        tail = best.out[best.slots[-1]:] if best.slots else best.out  # an ASCII byte that ended the run
        chars = [c for piece in pieces for c in piece] + list(tail)
        n_lost = chars.count(LOST)
        repaired = "".join(chars)
        if ending.trail_reading is not None and not repaired.endswith(LOST):
            repaired += f"({ending.trail_reading})"  # the pinyin stage removes it with the others
        if ending.lost_after:
            restored = run.model.lost_ascii(chars[-1] if chars else run.left[-1:],
                                            self.line[ending.stop:ending.stop + 3])
            repaired += restored or LOST
            n_lost += restored is None
        return repaired, n_lost, ending.stop


@dataclass
class Run:
    """One search over a run's units: the steps, the closing, the final scores, and the margins."""

    ending: Ending
    leads: dict[int, float] | None
    left: str
    right: str
    before: str
    after: str
    dictionary: dict
    model: CharModel
    allow_gaps: bool

    @property
    def slot_count(self) -> int:
        return len(self.ending.units) + self.ending.closing

    def emissions(self, hyps, k: int, forced: tuple[str, ...] | None = None, gate: bool = True,
                  limit: int | None = None):
        """Slot ``k``: the pending byte with unit ``k``'s first byte (or the closing).

        The slot is not ended yet (``h.slot(k)`` already reads it): :meth:`step` and
        :meth:`finish` end it on the hypotheses they keep.

        ``forced``: only the hypotheses that read the slot so (a single character needs
        no search for dropped pairs). ``gate``: skip dropped pairs where the plain
        character reads well (the search for the best reading; rivals look everywhere).
        ``limit``: only ``prune(result, limit)`` of a closing is wanted.
        """
        if k == len(self.ending.units):
            stepped = close(hyps, self.ending, self.dictionary, self.left, self.model, self.allow_gaps, forced,
                            limit)
        else:
            byte = self.ending.units[k][0]
            stepped = push(hyps, byte, False, self.left, self.model)
            if self.allow_gaps and byte >= 0x40 and (forced is None or len(forced) > 1):
                stepped += gap_chains(hyps, byte, self.left, self.model, gate)
            if k == 0 and self.leads is None:
                stepped = [with_lead_prior(h, self.model) for h in stepped]
        if forced is not None:
            stepped = [h for h in stepped if h.slot(k) == forced]
        return stepped

    def step(self, hyps, k: int, emitted=None, keep=None):
        keep = keep or prune
        hyps = [h.ended_slot() for h in keep(self.emissions(hyps, k) if emitted is None else emitted)]
        unit = self.ending.units[k]
        if len(unit) == 2:
            hyps = keep(push(hyps, unit[1], False, self.left, self.model))
        return hyps

    def finish(self, hyps, emitted=None, keep=None) -> list[tuple[float, Hypothesis]]:
        if self.ending.closing:
            if emitted is None:  # the search's own closing: only what prune keeps is made
                emitted = self.emissions(hyps, len(self.ending.units), limit=None if keep else BEAM * 2)
            hyps = [h.ended_slot() for h in (keep(emitted) if keep else prune(emitted, BEAM * 2))]
        hyps = [h for h in hyps if h.pending is None and self.unannotated(h)]
        if self.ending.pinned is not None:  # the annotation names the run's last character
            hyps = [h for h in hyps if h.out and annotates(h.out[-1], self.ending.pinned, self.dictionary)]
        scored = ((final_score(h, self.left, self.right, self.model) + quote_score(self.before, h.out, self.after), h)
                  for h in hyps)
        return sorted(scored, key=itemgetter(0), reverse=True)  # stable, as with key -score

    def replayed(self, hyps, j: int, best: Hypothesis):
        """Slot ``j`` (not the first, not the closing) read as ``best`` reads it, rescored after ``hyps``.

        Its pending byte is the previous unit's second byte for every hypothesis, so
        ``best``'s reading is valid after any of them; all its characters but the last
        stand before a dropped pair.
        """
        reading, levels = best.slot(j), best.slot_guessed(j)
        out = []
        for h in hyps:
            for n, (char, level) in enumerate(zip(reading, levels, strict=False)):
                h = emit(h, char, level, self.left, self.model, extra=-GAP_COST if n < len(reading) - 1 else 0.0)
            out.append(h)
        return out

    def unannotated(self, h: Hypothesis) -> bool:
        """No character of the run is one the page always annotates, but the one an annotation pins.

        The inserter put ``(reading)`` after every such character, and that ends a run
        (``?reading)``), so one cannot stand inside it (ARTIFACTS §1.1: never unannotated).
        """
        pinned = self.ending.trail_reading is not None or self.ending.pinned is not None
        chars = h.out[:-1] if pinned else h.out
        return not any(c in self.dictionary for c in chars)

    def rivals(self, beams, k: int, best: Hypothesis) -> list[tuple[float, Hypothesis]]:
        """The best hypotheses that read slot ``k`` otherwise than ``best``, the other slots as ``best`` does.

        Given the units, the slots are independent but for the language model across
        their borders, so the rest of ``best`` is kept and only rescored. The best
        rivals of each length are kept (a longer reading hides more characters).
        """
        def keep(hyps):
            by_length: dict[int, list[Hypothesis]] = {}
            for h in hyps:
                by_length.setdefault(h.slot_length(k), []).append(h)
            return [h for group in by_length.values() for h in prune(group, RIVAL_BEAM)]

        reading = best.slot(k)
        units = len(self.ending.units)
        if k == units and self.ending.trail_reading is None:
            emitted = self.closing_rivals(beams[k], k, reading)  # already kept: keep leaves it as it is
            return self.finish(beams[k], emitted, keep) if emitted else []
        emitted = [h for h in self.emissions(beams[k], k, gate=False) if h.slot(k) != reading]
        if not emitted:
            return []
        if k == units:
            return self.finish(beams[k], emitted, keep)
        hyps = self.step(beams[k], k, emitted, keep)
        for j in range(k + 1, units + self.ending.closing):
            if not hyps:
                return []
            if j < units:
                emitted = self.replayed(hyps, j, best)
            else:
                emitted = self.emissions(hyps, j, forced=best.slot(j))
            if j == units:
                return self.finish(hyps, emitted, keep)
            hyps = self.step(hyps, j, emitted, keep)
        return self.finish(hyps) if hyps else []

    def closing_rivals(self, hyps, k: int, reading: tuple[str, ...]) -> list[Hypothesis]:
        """What :meth:`rivals`' ``keep`` leaves of ``[h for h in self.emissions(hyps, k, gate=False)
        if h.slot(k) != reading]`` for a closing no annotation names (``k`` the closing): the same
        hypotheses in the same order, the plain closings scored first and made only if kept.

        ``close`` gives the dropped-pair chains, then every character after each hypothesis's
        pending byte; ``keep`` groups them by the length of their slot (in order of first
        appearance) and keeps the best ``RIVAL_BEAM`` of a larger group (stable).
        """
        left, model = self.left, self.model
        scores: list[float] = []
        made: list[Hypothesis | None] = []
        bases: list[Hypothesis | None] = []
        chars_of: list[str | None] = []
        lengths: list[int] = []
        if self.allow_gaps:
            for h in gap_chains(hyps, None, left, model):
                piece = h.slot(k)
                if piece != reading:
                    scores.append(h.score)
                    made.append(h)
                    bases.append(None)
                    chars_of.append(None)
                    lengths.append(len(piece))
        for h in hyps:
            if h.pending is None:
                continue
            chars = chars_after(h.pending)
            start = h.slots[k - 1] if k else 0
            if k < len(h.slots):  # the slot ended before the closing character: the same for every one
                piece = h.out[start : h.slots[k]]
                if piece == reading:
                    continue
                length, skip = len(piece), None
            else:
                prefix = h.out[start:]
                length = len(prefix) + 1
                skip = reading[-1] if len(reading) == length and reading[:-1] == prefix else None
            for score, char in zip(follower_scores(h, chars, left, model), chars, strict=False):
                if char != skip:
                    scores.append(score)
                    made.append(None)
                    bases.append(h)
                    chars_of.append(char)
                    lengths.append(length)
        groups: dict[int, list[int]] = {}
        for n, length in enumerate(lengths):
            groups.setdefault(length, []).append(n)
        kept: list[int] = []
        for members in groups.values():
            if len(members) > RIVAL_BEAM:  # prune: best first, ties in order
                members = sorted(members, key=scores.__getitem__, reverse=True)[:RIVAL_BEAM]
            kept.extend(members)
        return [made[n] if made[n] is not None else
                Hypothesis(scores[n], None, False, bases[n].out + (chars_of[n],), bases[n].guessed + (True,),
                           bases[n].slots)
                for n in kept]

    def unsure_width(self, beams, k: int, best: Hypothesis, best_score: float) -> int:
        """0 if slot ``k`` is read confidently; else how many characters the close readings have.

        A reading is confident when every other reading of the slot scores clearly
        lower (by ``CONFIDENT``, or where either reading has dropped pairs by
        ``STRUCTURE_MARGIN``, or ``UNATTESTED_STRUCTURE_MARGIN`` if the page and the
        word list do not bear the reading out: how many characters a place hid is
        the model's weakest judgement), and when a character none of whose bytes is
        on the page is borne out by an intact copy of its passage elsewhere on the page.
        """
        piece = best.slot(k)
        guessed = best.slot_guessed(k)
        if not self.allow_gaps and not any(guessed):
            return 0  # every byte of it is on the page, and no pair can hide between them
        width = len(piece) if HIDDEN in guessed and not self.witnessed(best, k) else 0
        structural = bool(width)
        rivals = self.rivals(beams, k, best)
        structure = STRUCTURE_MARGIN if self.attested(best, k) else UNATTESTED_STRUCTURE_MARGIN
        for score, other in rivals:
            gap = best_score - score
            one_each = len(other.slot(k)) == len(piece) == 1  # no dropped pair in either
            if gap > (CONFIDENT if one_each else structure):
                if gap > max(CONFIDENT, structure):
                    break
                continue
            width = max(width, len(other.slot(k)), len(piece))
            structural = structural or not one_each
        if structural:
            width = max(width, 1 + MAX_GAPS)  # as many characters as the longest reading it could have
            if k == len(self.ending.units) and not self.after:
                width += 1  # a closing ``?`` that ends the line: nothing after it bounds the run
        return width

    def attested(self, best: Hypothesis, k: int) -> bool:
        """Slot ``k``'s reading is borne out by the page or by the word list.

        A bigram is attested when it stands inside a word of the background word
        list, or with a neighbour (three characters) elsewhere on the page. The
        reading is attested when every bigram inside it is, and every character of
        it forms an attested bigram with a neighbour. Punctuation marks need no
        witness and witness nothing.
        """
        text = self.left + "".join(best.out) + self.clean_right
        start = len(self.left) + (best.slots[k - 1] if k else 0)
        end = start + len(best.slot(k))
        ok = {at: self.attested_bigram(text, at) for at in range(max(0, start - 1), min(end, len(text) - 1))}
        for at in range(start, end - 1):
            if not (ok[at] or is_punctuation(text[at]) or is_punctuation(text[at + 1])):
                return False
        return all(is_punctuation(text[at]) or ok.get(at - 1, False) or ok.get(at, False)
                   for at in range(start, end))

    def attested_bigram(self, text: str, at: int) -> bool:
        """``text[at:at + 2]`` is attested (two characters, no mark, none lost)."""
        pair = text[at : at + 2]
        if LOST in pair or is_punctuation(pair[0]) or is_punctuation(pair[1]):
            return False
        if self.model.in_word(pair[0], pair[1]):
            return True
        page = self.model.document.text if self.model.document is not None else ""
        return (at > 0 and text[at - 1 : at + 2] in page) or (at + 2 < len(text) and text[at : at + 3] in page)

    @cached_property
    def clean_right(self) -> str:
        """The three characters after the run, annotations removed, punctuation full-width."""
        return strip_annotations(self.after[:40])[:3].translate(FULL_WIDTH)

    def witnessed(self, best: Hypothesis, k: int) -> bool:
        """Every hidden character of slot ``k`` stands, with ``WITNESS`` characters either side, elsewhere on the page."""
        document = self.model.document
        if document is None:
            return False
        text = self.left + "".join(best.out) + self.right.translate(FULL_WIDTH)
        start = len(self.left) + (best.slots[k - 1] if k else 0)
        for n, level in enumerate(best.slot_guessed(k)):
            at = start + n
            if level == HIDDEN and (at < WITNESS or text[at - WITNESS : at + WITNESS + 1] not in document.text):
                return False
        return True


def is_punctuation(char: str) -> bool:
    """A mark the character model knows (full-width)."""
    return char in PUNCTUATION_SHARE


def with_lead_prior(h: Hypothesis, model: CharModel) -> Hypothesis:
    """Weigh a guessed first character by how often the page writes characters with its trail byte."""
    if not h.out:
        return h
    first = h.out[0]
    weight = model.lead_weights.get(first)
    if weight is None:
        weight = model.lead_weights[first] = LEAD_PRIOR * model.trail_prior(first, pair_of(first)[1])
    return Hypothesis(h.score + weight, h.pending, h.pending_guessed, h.out, h.guessed, h.slots)


def emit(h: Hypothesis, char: str, guessed: bool, left: str, model: CharModel, extra: float = 0.0,
         pending: int | None = None, pending_guessed: bool = False) -> Hypothesis:
    history = left + "".join(h.out[-3:])
    prev = history[-1:]
    logp = model.cache.get(prev + char)
    if logp is None:
        logp = model.logp(prev, char)
    # odd_punctuation(history[-2:] + char) and model.seen(history[-3:] + char), inline: the search's hot path
    odd = ODD_PUNCTUATION_COST if (len(history) >= 2 and char in "、，," and history[-1] in "”’"
                                   and history[-2] in "。！？") else 0.0
    score = h.score + logp + CHAR_BONUS + extra - odd
    if len(history) >= 3 and history[-3:] + char in model.fourgrams:
        score += FOURGRAM_BONUS
    return Hypothesis(score, pending, pending_guessed, h.out + (char,), h.guessed + (guessed,), h.slots)


def emit_each(h: Hypothesis, chars, guessed: bool, left: str, model: CharModel) -> list[Hypothesis]:
    """``emit(h, char, guessed, left, model)`` for every character of ``chars``: the same
    scores, with the history and the probabilities after it worked out once."""
    flags = h.guessed + (guessed,)
    return [Hypothesis(score, None, False, h.out + (char,), flags, h.slots)
            for score, char in zip(follower_scores(h, chars, left, model), chars, strict=False)]


def follower_scores(h: Hypothesis, chars, left: str, model: CharModel, extra: float = 0.0) -> list[float]:
    """The scores ``emit(h, char, ..., extra=extra)`` gives ``h`` followed by each character of ``chars``
    (the same expression, with the history and the probabilities after it worked out once)."""
    history = left + "".join(h.out[-3:])
    prev = history[-1:]
    odd_context = len(history) >= 2 and history[-1] in "”’" and history[-2] in "。！？"  # odd_punctuation can apply
    context = history[-3:] if len(history) >= 3 else None
    fourgrams, base = model.fourgrams, h.score
    scores = []
    for char, logp in zip(chars, model.logps(prev, chars), strict=False):
        odd = ODD_PUNCTUATION_COST if odd_context and char in "、，," else 0.0
        score = base + logp + CHAR_BONUS + extra - odd
        if context is not None and context + char in fourgrams:
            score += FOURGRAM_BONUS
        scores.append(score)
    return scores


def push(hyps, byte: int, guessed: bool, left: str, model: CharModel):
    out = []
    for h in hyps:
        if h.pending is None:
            if byte < 0x80:
                out.append(emit(h, chr(byte), False, left, model))
            else:
                out.append(Hypothesis(h.score, byte, guessed, h.out, h.guessed, h.slots))
            continue
        char = char_of(h.pending, byte)
        if char is not None:
            out.append(emit(h, char, guessed or h.pending_guessed, left, model))
    return out


def gap_chains(hyps, lead: int | None, left: str, model: CharModel, gate: bool = True):
    """Hypotheses where user-defined pairs the decoder dropped sat before the byte ``lead``.

    One dropped pair (x, y) turns the character (p, lead) into (p, x) (y, lead);
    two turn it into (p, x1) (y1, x2) (y2, lead). The results have consumed ``lead``.
    ``lead`` None is a closing ``?``: the last character's trail is lost too.
    """
    uda = user_defined_pairs()
    out = []
    seeds = []  # (score, seed, character, trails): emit(seed, character, True, ..., extra=-GAP_COST), unmade
    for h in prune([h for h in hyps if h.pending is not None], GAP_SEEDS):
        if gate and lead is not None and reads_well(h, lead, left, model):
            continue
        pairs = [(char, trails) for x, trails in uda.items() if (char := char_of(h.pending, x)) is not None]
        chars = [char for char, _ in pairs]
        seeds.extend(zip(follower_scores(h, chars, left, model, -GAP_COST), repeat(h), chars, (t for _, t in pairs)))
    # depth 0 keeps the first GAP_BASES in score order (sorted, stable): only those are made
    seeds = sorted(seeds, key=itemgetter(0), reverse=True)[:GAP_BASES]
    bases = [(Hypothesis(score, None, False, h.out + (char,), h.guessed + (True,), h.slots), trails)
             for score, h, char, trails in seeds]
    for depth in range(MAX_GAPS):
        bases = sorted(bases, key=lambda bt: -bt[0].score)[:GAP_BASES if gate or depth == 0 else RIVAL_INTERIORS]
        out.extend(best_chains(bases, lead, left, model))  # kept per depth: the longer chains are rivals too
        if depth + 1 == MAX_GAPS:
            break
        keep = GAP_BASES if gate else RIVAL_INTERIORS
        scored = []
        for n, (base, trails) in enumerate(bases):
            kth = None
            for k, (logp, x, char) in enumerate(interior_ranking(base.out[-1], trails, model)):
                score = base.score + logp
                if k >= keep and score < kth:
                    break  # the rest of this base cannot make the overall first ``keep``
                scored.append((score, n, x, char))
                if k == keep - 1:
                    kth = score
        scored.sort(reverse=True)
        bases = [(emit(bases[n][0], char, HIDDEN, left, model, extra=-GAP_COST), uda[x])
                 for _, n, x, char in scored[:keep]]
    return out


def reads_well(h: Hypothesis, lead: int, left: str, model: CharModel) -> bool:
    """The character the bytes make without a gap reads well here: no dropped pair is sought.

    A dropped pair merges the trail of one character with the lead of a character two
    places on; what that makes is almost never a likely character in context.
    """
    char = char_of(h.pending, lead)
    if char is None:
        return False
    prev = (left + "".join(h.out))[-1:]
    return model.logp(prev, char) > GAP_WORTH


def close_chain(base: Hypothesis, trails, lead: int | None, left: str, model: CharModel):
    """The last character of a gap chain: (y, lead) for each dropped pair's trail y.

    Before a closing ``?`` (``lead`` None) no byte of it is on the page: any common
    character whose lead byte is such a y.
    """
    guessed = True if lead is not None else HIDDEN
    return emit_each(base, chain_ends(base.out[-1], trails, lead, model), guessed, left, model)


def best_chains(bases, lead: int | None, left: str, model: CharModel) -> list[Hypothesis]:
    """``prune([chain for base, trails in bases for chain in close_chain(base, trails, ...)], GAP_KEEP)``:
    the same hypotheses in the same order, scored first and made only for the ones kept."""
    entries = []
    for base, trails in bases:
        chars = chain_ends(base.out[-1], trails, lead, model)
        entries.extend(zip(follower_scores(base, chars, left, model), repeat(base), chars))
    if len(entries) > GAP_KEEP:
        entries = sorted(entries, key=itemgetter(0), reverse=True)[:GAP_KEEP]  # stable, as prune
    guessed = True if lead is not None else HIDDEN  # as close_chain
    return [Hypothesis(score, None, False, base.out + (char,), base.guessed + (guessed,), base.slots)
            for score, base, char in entries]


def chain_ends(prev: str, trails, lead: int | None, model: CharModel) -> tuple[str, ...]:
    """The ``GAP_KEEP`` likeliest last characters of a chain after ``prev`` (remembered per page model)."""
    key = ("end", prev, trails, lead)
    found = model.memo.get(key)
    if found is None:
        ys, chars = closing_candidates(trails) if lead is None else lead_candidates(trails, lead)
        best, complete = ranked(model, prev, ys, chars, GAP_KEEP)
        if not complete and len(best) < GAP_KEEP:
            best = ranked(model, prev, ys, chars, len(chars))[0]
        found = model.memo[key] = tuple(char for _, _, char in best[:GAP_KEEP])
        model.remember(prev, ((char, logp) for logp, _, char in best[:GAP_KEEP]))  # emitted next
    return found


def interior_ranking(prev: str, trails, model: CharModel) -> Iterator[tuple[float, int, str]]:
    """(log P, x, character) of every character that can stand between two dropped pairs after
    ``prev`` (its lead one of ``trails``), likeliest first (remembered per page model)."""
    key = ("interior", prev, trails)
    found = model.memo.get(key)
    if found is None:
        xs, chars = interior_candidates(trails)
        found = Ranking(model, prev, xs, chars, INTERIOR_HEAD)
        model.memo[key] = found
        model.remember(prev, ((char, logp) for logp, _, char in found.head(RIVAL_INTERIORS, model)))  # emitted next
    return found.read(model)


INTERIOR_HEAD = 64  # the first entries of an interior ranking worked out at once (the search rarely reads more)
RANK_MARGIN = 1e-9  # relative: far above the rounding of a probability and of its logarithm


def ranked(model: CharModel, prev: str, keys, chars, want: int) -> tuple[list[tuple[float, int, str]], bool]:
    """The first entries of ``sorted(zip(model.logps_many(prev, chars), keys, chars), reverse=True)``,
    at least ``want`` of them (all if there are fewer), and whether that is all of the list.

    Only the characters whose probability is within ``RANK_MARGIN`` of the ``want``-th largest
    (and the marks, scored apart) get their logarithm and are sorted. Every other character's
    probability is lower by more than that share, so its log P (within an ulp of the true
    logarithm) is below ``log(threshold) - RANK_MARGIN / 2``: the entries at or above that
    bound are the head of the full sorted list, ties and all.
    """
    found = model.probabilities(prev, chars)
    if found is None or len(chars) - len(found[1]) <= want:
        return sorted(zip(model.logps_many(prev, chars), keys, chars, strict=False), reverse=True), True
    values, special = found
    plain = values.copy()
    if special:
        plain[list(special)] = -1.0  # below every probability: not a plain candidate
    threshold = float(np.partition(plain, len(plain) - want)[len(plain) - want])
    log = math.log
    picked = np.flatnonzero(plain >= threshold * (1 - RANK_MARGIN)).tolist()
    if len(picked) + len(special) >= len(chars):
        return sorted(zip(model.logps_many(prev, chars), keys, chars, strict=False), reverse=True), True
    entries = [(log(v), keys[at], chars[at]) for at, v in zip(picked, values[picked].tolist(), strict=False)]
    entries += [(value, keys[at], chars[at]) for at, value in special.items()]
    entries.sort(reverse=True)
    bound = log(threshold) - RANK_MARGIN / 2
    head = 0
    while head < len(entries) and entries[head][0] >= bound:
        head += 1
    return entries[:head], False


class Ranking:
    """``sorted(zip(model.logps_many(prev, chars), keys, chars), reverse=True)`` as the search reads
    it: the head at once (:func:`ranked`), the whole list only if a reader goes past it.

    It is kept in the model's memo, so it does not hold the model (no reference cycle: a page's
    model goes as soon as the page is done); the reader passes it.
    """

    __slots__ = ("prev", "keys", "chars", "entries", "complete")

    def __init__(self, model: CharModel, prev: str, keys, chars, want: int):
        self.prev, self.keys, self.chars = prev, keys, chars
        self.entries, self.complete = ranked(model, prev, keys, chars, want)

    def head(self, n: int, model: CharModel) -> list[tuple[float, int, str]]:
        if len(self.entries) < n and not self.complete:
            self.whole(model)
        return self.entries[:n]

    def whole(self, model: CharModel) -> None:
        self.entries, self.complete = ranked(model, self.prev, self.keys, self.chars, len(self.chars))

    def read(self, model: CharModel):
        """The entries in order (the whole list is worked out if the reader goes past the head)."""
        k = 0
        while True:
            if k == len(self.entries):
                if self.complete:
                    return
                self.whole(model)
                continue
            yield self.entries[k]
            k += 1


@cache
def closing_candidates(trails: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(y, character) of ``closing_chars(y)`` for every y of ``trails``, as two tuples."""
    pairs = [(y, char) for y in trails for char in closing_chars(y)]
    return tuple(y for y, _ in pairs), tuple(char for _, char in pairs)


@lru_cache(maxsize=4096)
def lead_candidates(trails: tuple[int, ...], lead: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(y, character (y, lead)) for every y of ``trails`` that makes a GBK character, as two tuples."""
    pairs = [(y, char) for y in trails if (char := char_of(y, lead)) is not None]
    return tuple(y for y, _ in pairs), tuple(char for _, char in pairs)


@cache
def interior_candidates(trails: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(x, character) of ``interior_chars(y)`` for every y of ``trails``, as two tuples."""
    pairs = [pair for y in trails for pair in interior_chars(y)]
    return tuple(x for x, _ in pairs), tuple(char for _, char in pairs)


@cache
def closing_chars(y: int) -> tuple[str, ...]:
    """Frequent characters and punctuation whose GBK lead byte is ``y``."""
    return tuple(c for c in sorted(frequent_chars(CLOSING_COMMON) | set(PUNCTUATION_SHARE))
                 if (pair_of(c) or (0,))[0] == y)


@cache
def interior_chars(y: int) -> tuple[tuple[int, str], ...]:
    """Common characters and punctuation (y, x) that can sit between two dropped pairs (x starts
    the second): a hidden ``，`` (A3AC) is as likely as a hidden character."""
    common = common_chars() | PUNCTUATION_SHARE.keys()
    return tuple((x, c) for x in user_defined_pairs() if (c := char_of(y, x)) is not None and c in common)


def common_chars() -> frozenset[str]:
    """Characters common enough to stand inside a run of dropped pairs."""
    return frequent_chars(COMMON)


@lru_cache(maxsize=4)
def frequent_chars(n: int) -> frozenset[str]:
    """The ``n`` most frequent characters of the background model, and their Traditional forms."""
    bg = CharModel().background
    ranked = sorted(bg.unigrams, key=lambda c: -bg.unigrams[c])[:n]
    return frozenset(ranked) | frozenset(traditional_forms(ranked))


def traditional_forms(chars):
    from cleaners.text.simplify import converter

    return converter("s2t.json").convert("".join(chars))


def close(hyps, ending: Ending, dictionary, left: str, model: CharModel, allow_gaps: bool,
          forced: tuple[str, ...] | None = None, limit: int | None = None):
    """The last character of a run closed by ``?``: its trail byte is lost (or named by an annotation).

    ``forced``: the caller keeps only the hypotheses whose closing reads so; the others
    are not made (a single character needs no dropped pair before it). ``limit``: the
    caller keeps ``prune(result, limit)``; that is what is returned, and a character
    after a hypothesis is made into one only if it is kept.
    """
    if limit is not None and ending.trail_reading is None:
        return close_pruned(hyps, left, model, allow_gaps, forced, limit)
    out = []
    if allow_gaps and (forced is None or len(forced) > 1):
        if ending.trail_reading is not None:
            out.extend(named_after_gap(hyps, ending.trail_reading, dictionary, left, model))
        else:
            out.extend(gap_chains(hyps, None, left, model))
    for h in hyps:
        if h.pending is None:
            continue
        chars = chars_after(h.pending)
        if ending.trail_reading is None:
            if forced is not None:
                chars = forced if len(forced) == 1 and forced[0] in chars else ()
            out.extend(emit_each(h, chars, True, left, model))
            continue
        chars = named_after(h.pending, ending.trail_reading, dictionary, model)
        for char in chars:
            if forced is not None and forced != (char,):
                continue
            unlisted = ending.trail_reading is not None and dictionary.get(char) != ending.trail_reading
            out.append(emit(h, char, ending.trail_reading is None or len(chars) > 1, left, model,
                            extra=-PINNED_UNLISTED_COST if unlisted else 0.0))
    return out


def named_after(lead: int, reading: str, dictionary, model: CharModel) -> list[str]:
    """The characters after ``lead`` that an annotation ``(reading)`` names (remembered per page)."""
    key = ("named", lead, reading)
    found = model.memo.get(key)
    if found is None:
        chars = chars_after(lead)
        named = set(chars_read_as(reading, dictionary, chars))
        found = model.memo[key] = [c for c in chars if c in named]
    return found


def close_pruned(hyps, left: str, model: CharModel, allow_gaps: bool, forced, limit: int):
    """``prune(close(...), limit)`` for a closing no annotation names, without making the
    hypotheses that are pruned: the same hypotheses, in the same order."""
    made = []  # hypotheses already made (dropped pairs), then scores of the followers
    if allow_gaps and (forced is None or len(forced) > 1):
        made.extend(gap_chains(hyps, None, left, model))
    scores = [h.score for h in made]  # every candidate's score; then what it is: made, or base and character
    bases: list[Hypothesis | None] = [None] * len(made)
    chars_of: list[str | None] = [None] * len(made)
    for h in hyps:
        if h.pending is None:
            continue
        chars = chars_after(h.pending)
        if forced is not None:
            chars = forced if len(forced) == 1 and forced[0] in chars else ()
        scores.extend(follower_scores(h, chars, left, model))
        bases.extend(repeat(h, len(chars)))
        chars_of.extend(chars)
    order = range(len(scores))
    if len(scores) > limit:
        # what sorted(range(n), key=lambda n: -scores[n])[:limit] gives: best first, ties in order
        order = np.argsort(-np.array(scores, dtype=np.float64), kind="stable")[:limit].tolist()
    return [made[n] if bases[n] is None else
            Hypothesis(scores[n], None, False, bases[n].out + (chars_of[n],), bases[n].guessed + (True,), bases[n].slots)
            for n in order]


def named_after_gap(hyps, reading: str, dictionary, left: str, model: CharModel):
    """(p, x) then (y, T): a dropped pair before the character the closing annotation names."""
    uda = user_defined_pairs()
    out = []
    for h in prune([h for h in hyps if h.pending is not None], GAP_SEEDS):
        for x, trails in uda.items():
            char = char_of(h.pending, x)
            if char is None:
                continue
            named = [c for c in read_as(reading, dictionary) if pair_of(c)[0] in trails]
            if not named:
                continue
            base = emit(h, char, True, left, model, extra=-GAP_COST)
            for c in named:
                out.append(emit(base, c, len(named) > 1, left, model))
    return out


def read_as(reading: str, dictionary) -> list[str]:
    """GBK characters read as ``reading``: the page's dictionary first, then pypinyin."""
    named = [c for c, r in dictionary.items() if r == reading and pair_of(c) is not None]
    return named or list(gbk_chars_read_as(reading))


@lru_cache(maxsize=512)
def gbk_chars_read_as(reading: str) -> tuple[str, ...]:
    index = reading_index()
    return index[0].get(reading) or index[1].get(reading, ())


@lru_cache(maxsize=1)
def reading_index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Reading → GBK characters whose default reading it is; reading → those with it among others."""
    default: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for char in tables()[0].values():
        readings = readings_of(char)
        if readings:
            default.setdefault(readings[0], []).append(char)
            for r in readings:
                other.setdefault(r, []).append(char)
    return ({k: tuple(v) for k, v in default.items()}, {k: tuple(v) for k, v in other.items()})


def final_score(h: Hypothesis, left: str, right: str, model: CharModel) -> float:
    score = h.score
    if not right and h.out:
        score += model.line_end_logp(h.out[-1])
    if right:
        prev = h.out[-1] if h.out else left[-1:]
        if right == " ":
            return score
        following = HALF_TO_FULL.get(right[0], right[0])
        score += model.logp(prev, following) - odd_punctuation((left + "".join(h.out))[-2:] + following)
        text = (left + "".join(h.out))[-3:] + "".join(HALF_TO_FULL.get(c, c) for c in right)
        score += FOURGRAM_BONUS * sum(model.seen(text[k : k + 4]) for k in range(1, len(text) - 3))
    return score


def odd_punctuation(three: str) -> float:
    """A sentence end, a closing quote, then a list comma (``。”、``): writers do not do that."""
    if len(three) == 3 and three[0] in "。！？" and three[1] in "”’" and three[2] in "、，,":
        return ODD_PUNCTUATION_COST
    return 0.0


def quote_score(before: str, out: tuple[str, ...], after: str) -> float:
    """A penalty for every quotation mark the candidate leaves unbalanced in its line."""
    if not any(c in "“”。！？" for c in out):
        return 0.0
    depth = unmatched = short = 0
    opened = -1
    chars = (*quote_context_before(before[-SPAN_LOOKBACK:]), *out, *quote_context_after(after[:SPAN_LOOKBACK]))
    for k, char in enumerate(chars):
        if char == "“":
            depth += 1
            opened = k
            if depth > 1:
                unmatched += 1
                depth = 1
        elif char == "”":
            if depth == 0:
                unmatched += 1
            elif chars[k - 1] in "。！？" and k - opened <= SHORT_QUOTE:
                short += 1  # a quoted term does not end a sentence: “大學。” is not how one writes
            depth = 0
    return -QUOTE_COST * (unmatched + depth) - SHORT_QUOTE_COST * short


@lru_cache(maxsize=256)
def quote_context_before(before: str) -> str:
    """The 60 characters before a run that :func:`quote_score` reads (the same for all its candidates),
    from the ``SPAN_LOOKBACK`` characters before it (the cache's key)."""
    return strip_annotations(before)[-60:]


@lru_cache(maxsize=256)
def quote_context_after(after: str) -> str:
    """The 60 characters after a run that :func:`quote_score` reads, from the ``SPAN_LOOKBACK`` after it."""
    return strip_annotations(after)[:60]


def prune(hyps, width: int = BEAM):
    if len(hyps) <= width:
        return hyps
    return sorted(hyps, key=SCORE, reverse=True)[:width]  # stable: ties keep their order, as with key -score


SCORE = attrgetter("score")


def raw_score(line: str, i: int, end: int, model: CharModel, right_scored: bool = True) -> float:
    """How the damaged text reads, as plain text, on the same scale as a repair."""
    left = previous_char(line, i) or ""
    text = "".join(HALF_TO_FULL.get(c, c) for c in line[i:end + right_scored])
    score = 0.0
    prev = left
    for char in text:
        score += model.background_logp(prev, char) + CHAR_BONUS
        prev = char
    return score
