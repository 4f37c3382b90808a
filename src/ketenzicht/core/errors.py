"""Errors that services raise and the web and CLI edges translate into answers."""

from __future__ import annotations

from ketenzicht.core.i18n import N_, gettext


class DomainError(Exception):
    """Base of every error a user can cause; carries a message safe to show.

    ``template`` is an English msgid (mark it with ``N_`` so Babel extracts it);
    ``params`` fill its ``%(name)s`` placeholders after translation.
    """

    status_code = 400
    # True when the refusal follows a change that must last anyway (an expired hold
    # found and released on the way): the edge commits instead of rolling back.
    keeps_changes = False

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)

    def localized(self) -> str:
        """The message in the current request's language."""
        translated = gettext(self.template)
        return translated % self.params if self.params else translated


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


class ConflictAfterCleanup(Conflict):
    """Refused, but the clean-up the check did on the way (releasing an expired hold)
    is committed: it is true whatever the caller does next."""

    keeps_changes = True
# The one answer to a write based on a stale read, in every domain.
STALE = N_("Someone else changed this first (version %(current)s, you had %(given)s). "
           "Reload and try again.")


def check_version(current: int, given: int) -> None:
    """Refuse (409) a write whose caller read version ``given`` of a record now at ``current``.

    Every versioned record (case, task, routing, account, location, unit, triage,
    conference) goes through here, so the check and its wording exist once.
    """
    if current != given:
        raise Conflict(STALE, current=current, given=given)


class TooManyAttempts(DomainError):
    """The caller must wait before trying again."""

    status_code = 429

    def __init__(self, template: str, retry_after: int, **params: object) -> None:
        super().__init__(template, **params)
        self.retry_after = retry_after
