"""Why an input cannot be cleaned. Raised by cleaners, turned into quarantine rows."""

from __future__ import annotations

# The quarantine reasons of the contract.
QUARANTINE_REASONS = ("empty", "binary", "undecodable", "too_large", "no_text", "container", "error", "not_chinese")
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
