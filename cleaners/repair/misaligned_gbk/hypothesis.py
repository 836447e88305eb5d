"""A reading of a run so far (:class:`Hypothesis`), where a run ends (:class:`Ending`), and the beam's pruning."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from cleaners.repair.misaligned_gbk.params import PARAMS as P


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



def prune(hyps, width: int = P.beam):
    if len(hyps) <= width:
        return hyps
    return sorted(hyps, key=SCORE, reverse=True)[:width]  # stable: ties keep their order, as with key -score


SCORE = attrgetter("score")

