"""The periodic job of ``notify`` (declared in its manifest, run by ``ketenzicht.scheduler``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.notify import delivery


def deliver(session: Session, settings: Settings) -> dict[str, int]:
    """Send the e-mail outbox when ``KZ_SMTP_URL`` is set; nothing (and no counts) if not."""
    url = settings.smtp_url.get_secret_value()
    if not url:
        return {}
    with delivery.smtp_transport(delivery.parse_smtp_url(url)) as transport:
        sent = delivery.deliver(session, transport=transport, sender=settings.smtp_from,
                                max_attempts=settings.notify_max_attempts)
    return {f"mail_{key}": value for key, value in sent.items()}
