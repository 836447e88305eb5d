"""Why an input cannot be cleaned. Raised by cleaners, turned into quarantine rows."""

from __future__ import annotations

# The quarantine reasons of the contract. All but ``error`` are permanent: a property of the input (or of
# where it sits), so the next run does not take the file again; ``error`` is the pipeline's own failure.
QUARANTINE_REASONS = ("empty", "binary", "undecodable", "too_large", "no_text", "container", "not_a_file",
                      "outside_raw", "unreadable", "too_complex", "not_chinese", "error")
RETRIED_REASONS = frozenset({"error"})
# What CleanConfig.not_chinese may say.
NOT_CHINESE_CHOICES = ("keep", "quarantine")


class Rejected(ValueError):
    """The input cannot be cleaned; ``reason`` is a contract reason, ``detail`` a sentence."""

    def __init__(self, reason: str, detail: str):
        if reason not in QUARANTINE_REASONS:
            raise ValueError(f"unknown quarantine reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
