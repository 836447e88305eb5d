"""The beam search over a run's unknown bytes, one slot at a time."""

from __future__ import annotations

from dataclasses import dataclass

from cleaners.repair.charlm import CharModel
from cleaners.repair.gbk import (
    leads_before,
)
from cleaners.repair.misaligned_gbk.closing import close
from cleaners.repair.misaligned_gbk.confidence import Confidence
from cleaners.repair.misaligned_gbk.core import CORE
from cleaners.repair.misaligned_gbk.gaps import gap_chains, may_drop_pairs
from cleaners.repair.misaligned_gbk.hypothesis import Ending, Hypothesis, prune
from cleaners.repair.misaligned_gbk.params import PARAMS as P
from cleaners.repair.misaligned_gbk.scoring import (
    finish_scored,
    push,
    with_lead_priors,
)
from cleaners.repair.misaligned_gbk.text import (
    LOST,
    annotates,
    left_context,
)


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
    return Found(best_score - P.lost_cost if ending.lost_after else best_score, run, beams, best, best_score, line)


def ended_pruned(hyps, width: int) -> list[Hypothesis]:
    """``[h.ended_slot() for h in prune(hyps, width)]``: the beam's cut, each kept hypothesis's slot
    ended (the compiled core's where it is built; :func:`ended_pruned_py` is its reference)."""
    if CORE is not None:
        found = CORE.ended_pruned(hyps, width)
        if found is not None:  # None: a score the compiled sort does not take (not a float, NaN)
            return found
    return ended_pruned_py(hyps, width)


def ended_pruned_py(hyps, width: int) -> list[Hypothesis]:
    """:func:`ended_pruned` in Python."""
    return [h.ended_slot() for h in prune(hyps, width)]


def finishable(hyps, dictionary, pinned: bool) -> list[Hypothesis]:
    """The hypotheses a run may end with: no lead byte waits, and :func:`unannotated` (the compiled
    core's where it is built and ``dictionary`` is a dict; :func:`finishable_py` is its reference)."""
    if CORE is not None and type(dictionary) is dict:
        return CORE.finishable(hyps, dictionary, pinned)
    return finishable_py(hyps, dictionary, pinned)


def finishable_py(hyps, dictionary, pinned: bool) -> list[Hypothesis]:
    """:func:`finishable` in Python."""
    return [h for h in hyps if h.pending is None and unannotated(h, dictionary, pinned)]


def unannotated(h: Hypothesis, dictionary, pinned: bool) -> bool:
    """No character of the run is one the page always annotates, but the one an annotation pins
    (``pinned``: the run's last character).

    The inserter put ``(reading)`` after every such character, and that ends a run
    (``?reading)``), so one cannot stand inside it (ARTIFACTS §1.1: never unannotated).
    """
    chars = h.out[:-1] if pinned else h.out
    return not any(c in dictionary for c in chars)


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
class Run(Confidence):
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
            if self.allow_gaps and byte >= 0x40 and may_drop_pairs(forced):
                stepped += gap_chains(hyps, byte, self.left, self.model, gate)
            if k == 0 and self.leads is None:
                stepped = with_lead_priors(stepped, self.model)
        if forced is not None:
            stepped = [h for h in stepped if h.slot(k) == forced]
        return stepped

    def step(self, hyps, k: int, emitted=None, keep=None):
        emitted = self.emissions(hyps, k) if emitted is None else emitted
        hyps = keep.ended(emitted) if keep else ended_pruned(emitted, P.beam)
        keep = keep or prune
        unit = self.ending.units[k]
        if len(unit) == 2:
            hyps = keep(push(hyps, unit[1], False, self.left, self.model))
        return hyps

    def finish(self, hyps, emitted=None, keep=None) -> list[tuple[float, Hypothesis]]:
        if self.ending.closing:
            if emitted is None:  # the search's own closing: only what prune keeps is made
                emitted = self.emissions(hyps, len(self.ending.units), limit=None if keep else P.beam * 2)
            hyps = keep.ended(emitted) if keep else ended_pruned(emitted, P.beam * 2)
        hyps = finishable(hyps, self.dictionary, self.ending.trail_reading is not None or self.ending.pinned is not None)
        if self.ending.pinned is not None:  # the annotation names the run's last character
            hyps = [h for h in hyps if h.out and annotates(h.out[-1], self.ending.pinned, self.dictionary)]
        return finish_scored(hyps, self.left, self.right, self.before, self.after, self.model)
