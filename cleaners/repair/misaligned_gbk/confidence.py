"""Is a slot's reading confident? Its rivals (the best readings of the slot otherwise), the
margins they must trail by, and the page's witnesses for hidden characters."""

from __future__ import annotations

from functools import cached_property

from cleaners.repair.annotation import (
    strip_annotations,
)
from cleaners.repair.gbk import (
    chars_after,
)
from cleaners.repair.misaligned_gbk.core import CORE
from cleaners.repair.misaligned_gbk.gaps import gap_chains
from cleaners.repair.misaligned_gbk.hypothesis import Hypothesis, prune
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.scoring import (
    emit,
    follower_scores,
)
from cleaners.repair.misaligned_gbk.text import (
    FULL_WIDTH,
    HIDDEN,
    LOST,
    is_punctuation,
)


def kept_by_length(hyps, k: int, end: bool = False) -> list[Hypothesis]:
    """The rivals' pruning: the hypotheses grouped by the length of their slot ``k`` (in order of first
    appearance), the best ``P.rival_beam`` of each (stable); each kept one's slot ended if ``end``
    (the compiled core's where it is built; :func:`kept_by_length_py` is its reference)."""
    if CORE is not None:
        found = CORE.kept_by_length(hyps, k, P.rival_beam, end)
        if found is not None:  # None: a score the compiled sort does not take (not a float, NaN)
            return found
    return kept_by_length_py(hyps, k, end)


def kept_by_length_py(hyps, k: int, end: bool = False) -> list[Hypothesis]:
    """:func:`kept_by_length` in Python."""
    by_length: dict[int, list[Hypothesis]] = {}
    for h in hyps:
        by_length.setdefault(h.slot_length(k), []).append(h)
    kept = [h for group in by_length.values() for h in prune(group, P.rival_beam)]
    return [h.ended_slot() for h in kept] if end else kept


class RivalKeep:
    """What :meth:`Confidence.rivals` keeps of the hypotheses after each of its steps (the rivals of
    slot ``k``): :func:`kept_by_length`; :meth:`ended` ends the kept ones' slot as well."""

    __slots__ = ("k",)

    def __init__(self, k: int):
        self.k = k

    def __call__(self, hyps) -> list[Hypothesis]:
        return kept_by_length(hyps, self.k)

    def ended(self, hyps) -> list[Hypothesis]:
        """``[h.ended_slot() for h in self(hyps)]``."""
        return kept_by_length(hyps, self.k, True)


class Confidence:
    """The confidence half of :class:`~cleaners.repair.misaligned_gbk.search.Run`: which readings are written."""

    def replayed(self, hyps, j: int, best: Hypothesis):
        """Slot ``j`` (not the first, not the closing) read as ``best`` reads it, rescored after ``hyps``.

        Its pending byte is the previous unit's second byte for every hypothesis, so
        ``best``'s reading is valid after any of them; all its characters but the last
        stand before a dropped pair (the compiled core's where it is built; :meth:`replayed_py`
        is its reference).
        """
        if CORE is not None:
            return CORE.replayed(hyps, best.slot(j), best.slot_guessed(j), self.left, self.model, P.gap_cost)
        return self.replayed_py(hyps, j, best)

    def replayed_py(self, hyps, j: int, best: Hypothesis):
        """:meth:`replayed` in Python."""
        reading, levels = best.slot(j), best.slot_guessed(j)
        out = []
        for h in hyps:
            for n, (char, level) in enumerate(zip(reading, levels, strict=False)):
                h = emit(h, char, level, self.left, self.model, extra=-P.gap_cost if n < len(reading) - 1 else 0.0)
            out.append(h)
        return out

    def rivals(self, beams, k: int, best: Hypothesis) -> list[tuple[float, Hypothesis]]:
        """The best hypotheses that read slot ``k`` otherwise than ``best``, the other slots as ``best`` does.

        Given the units, the slots are independent but for the language model across
        their borders, so the rest of ``best`` is kept and only rescored. The best
        rivals of each length are kept (a longer reading hides more characters).
        """
        keep = RivalKeep(k)
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
        """:meth:`closing_rivals_py`: the compiled core's after the dropped-pair chains where it is built."""
        if CORE is not None:
            made = gap_chains(hyps, None, self.left, self.model) if self.allow_gaps else []
            found = CORE.closing_rivals(made, hyps, k, reading, self.left, self.model, chars_after, P.rival_beam)
            if found is not None:  # None: a score or a slot the compiled form does not take (see _core.c)
                return found
        return self.closing_rivals_py(hyps, k, reading)

    def closing_rivals_py(self, hyps, k: int, reading: tuple[str, ...]) -> list[Hypothesis]:
        """What :meth:`rivals`' ``keep`` leaves of ``[h for h in self.emissions(hyps, k, gate=False)
        if h.slot(k) != reading]`` for a closing no annotation names (``k`` the closing): the same
        hypotheses in the same order, the plain closings scored first and made only if kept.

        ``close`` gives the dropped-pair chains, then every character after each hypothesis's
        pending byte; ``keep`` groups them by the length of their slot (in order of first
        appearance) and keeps the best ``P.rival_beam`` of a larger group (stable). The reference
        form is the oracle of ``tests/test_mojibake_oracles.py``.
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
            if len(members) > P.rival_beam:  # prune: best first, ties in order
                members = sorted(members, key=scores.__getitem__, reverse=True)[:P.rival_beam]
            kept.extend(members)
        return [made[n] if made[n] is not None else
                Hypothesis(scores[n], None, False, bases[n].out + (chars_of[n],), bases[n].guessed + (True,),
                           bases[n].slots)
                for n in kept]

    def unsure_width(self, beams, k: int, best: Hypothesis, best_score: float) -> int:
        """0 if slot ``k`` is read confidently; else how many characters the close readings have.

        A reading is confident when every other reading of the slot scores clearly
        lower (by ``P.confident``, or where either reading has dropped pairs by
        ``P.structure_margin``, or ``P.unattested_structure_margin`` if the page and the
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
        structure = P.structure_margin if self.attested(best, k) else P.unattested_structure_margin
        for score, other in rivals:
            gap = best_score - score
            one_each = len(other.slot(k)) == len(piece) == 1  # no dropped pair in either
            if gap > (P.confident if one_each else structure):
                if gap > max(P.confident, structure):
                    break
                continue
            width = max(width, len(other.slot(k)), len(piece))
            structural = structural or not one_each
        if structural:
            width = max(width, 1 + P.max_gaps)  # as many characters as the longest reading it could have
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
        """Every hidden character of slot ``k`` stands, with ``P.witness`` characters either side, elsewhere on the page."""
        document = self.model.document
        if document is None:
            return False
        text = self.left + "".join(best.out) + self.right.translate(FULL_WIDTH)
        start = len(self.left) + (best.slots[k - 1] if k else 0)
        for n, level in enumerate(best.slot_guessed(k)):
            at = start + n
            if level == HIDDEN and (at < P.witness or text[at - P.witness : at + P.witness + 1] not in document.text):
                return False
        return True


