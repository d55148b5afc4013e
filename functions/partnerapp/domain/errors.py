"""What a rule can answer, in the domain's words; the API maps each to a status code."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class RuleViolation(DomainError):
    """The request is well formed, but the partner rules do not allow it."""


class NotFound(DomainError):
    """Unknown, or not this partner's: the two are indistinguishable on purpose."""


class Conflict(DomainError):
    """The request clashes with what already exists."""


class StillInProgress(Conflict):
    """An earlier run of this very request (same Idempotency-Key) has not finished: the API
    answers 409 with Retry-After, as powertools' in-progress lock does."""


class InvalidValue(DomainError):
    """A field's value makes no sense for this license (the API answers 400 naming it)."""


class Limited(DomainError):
    """Allowed, but not this often: the API answers 429 with Retry-After (seconds)."""

    def __init__(self, message: str, retry_after: int, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message, fields)
        self.retry_after = retry_after
