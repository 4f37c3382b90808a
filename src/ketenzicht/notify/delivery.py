"""Deliver the e-mail outbox over SMTP (``ketenzicht notify deliver``).

Each mail is tried at most ``max_attempts`` times; a batch runs in one transaction
that the caller commits, so an interrupted run leaves the unsent mails queued.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.notify.enums import MailStatus
from ketenzicht.notify.models import NotifyAddress, OutboxMail

Transport = Callable[[EmailMessage], None]
TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to hand mail over, from ``KZ_SMTP_URL``."""

    host: str
    port: int
    ssl: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float = 30.0


def parse_smtp_url(url: str) -> SmtpConfig:
    """``smtp://[user:pass@]host[:port][?starttls=true]``, or ``smtps://`` for TLS at once."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("KZ_SMTP_URL must look like smtp://host:25 or smtps://user:pass@host:465")
    ssl = parts.scheme == "smtps"
    port = parts.port or (465 if ssl else 25)
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "true" if port == 587 else "false") in TRUE
    return SmtpConfig(host=parts.hostname, port=port, ssl=ssl, starttls=starttls and not ssl,
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None,
                      timeout=float(query.get("timeout", "30")))


@contextmanager
def smtp_transport(config: SmtpConfig) -> Iterator[Transport]:
    """One SMTP connection for a batch of mails."""
    client: smtplib.SMTP = (smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout)
                            if config.ssl else
                            smtplib.SMTP(config.host, config.port, timeout=config.timeout))
    try:
        if config.starttls:
            client.starttls()
        if config.username:
            client.login(config.username, config.password or "")
        yield client.send_message  # type: ignore[misc]
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            client.close()


def _error(mail: OutboxMail, exc: BaseException, max_attempts: int) -> str:
    mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if mail.attempts >= max_attempts:
        mail.status = MailStatus.FAILED
        return "failed"
    return "retry"


def record_failure(session: Session, mail_ids: Sequence[int], exc: BaseException,
                   max_attempts: int | None = None) -> dict[str, int]:
    """The mail server could not be reached for these queued mails: count an attempt and
    keep the error on each; they stay queued for the next run (until ``max_attempts``)."""
    counts = {"retry": 0, "failed": 0}
    for mail in session.scalars(select(OutboxMail).where(OutboxMail.id.in_(mail_ids),
                                                         OutboxMail.status == MailStatus.QUEUED)):
        mail.attempts += 1
        counts[_error(mail, exc, max_attempts or 1_000_000)] += 1
    session.flush()
    return counts


def deliver(session: Session, *, transport: Transport, sender: str, max_attempts: int,
            limit: int = 100, only: Sequence[int] | None = None) -> dict[str, int]:
    """Send up to ``limit`` queued mails (of ``only``, when given); count what was sent,
    failed, or had no address."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "no_address": 0}
    # Claimed with SKIP LOCKED (PostgreSQL; SQLite serialises writers anyway): the scheduler
    # in every `serve` process and a cron `notify deliver` may run at once, and each mail
    # must go out once. The lock holds until the caller commits the statuses.
    query = select(OutboxMail).where(OutboxMail.status == MailStatus.QUEUED)
    if only is not None:
        query = query.where(OutboxMail.id.in_(only))
    rows = list(session.scalars(query.order_by(OutboxMail.id).limit(limit)
                                .with_for_update(skip_locked=True)))
    for mail in rows:
        address = session.get(NotifyAddress, mail.recipient_user_id)
        if address is None:
            mail.status = MailStatus.NO_ADDRESS
            counts["no_address"] += 1
            continue
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, address.email, mail.subject
        message.set_content(mail.body)
        mail.attempts += 1
        mail.recipient = address.email
        try:
            transport(message)
        except (smtplib.SMTPException, OSError) as exc:
            counts[_error(mail, exc, max_attempts)] += 1
            continue
        mail.status, mail.sent_at, mail.last_error = MailStatus.SENT, clock.now(), None
        counts["sent"] += 1
    session.flush()
    return counts
