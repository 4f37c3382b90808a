"""Errors that services raise and the web and CLI edges translate into answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; carries a message safe to show."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """The input breaks a rule of the domain."""

    status_code = 422


class NotAuthenticated(DomainError):
    """No valid session or token."""

    status_code = 401


class Forbidden(DomainError):
    """Refused by the authorisation table.

    Also raised for records that do not exist, so that a refusal never reveals
    whether a record exists.
    """

    status_code = 403


class NotFound(DomainError):
    """Something that is not personal data does not exist (never used for records)."""

    status_code = 404


class Conflict(DomainError):
    """The record changed since the caller read it, or a uniqueness rule is broken."""

    status_code = 409


class TooManyAttempts(DomainError):
    """The caller must wait before trying again."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
