"""Replaying a capture safely: what the page said, never able to act from our origin.

Captured HTML is hostile by assumption. It is served only from its own route with a
Content-Security-Policy that forbids scripts and every outgoing request (``default-src
'none'``, images from our origin only) and carries the CSP ``sandbox`` directive, so even a
capture opened directly, outside our sandboxed ``<iframe>``, runs in an opaque origin with
no access to the app's cookies or pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import REFUSED, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core.errors import Forbidden
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.collection import service as crawl
from ketenzicht.online.collection.models import Capture

REPLAY_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; font-src 'none'; "
    "script-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'self'; sandbox"
)
# The <iframe> (templates/online/capture.html) has sandbox="": no allow-scripts, no
# allow-same-origin, no forms or pop-ups.


@dataclass(frozen=True)
class ReplayResult:
    """A capture, its replayed bytes (None when the WARC file is unreadable) and the check."""

    capture: Capture
    payload: bytes | None
    content_type: str
    verified: bool
    problem: str | None = None


def replay(session: Session, *, actor: Actor, capture_id: int, settings: Settings
           ) -> ReplayResult:
    """Read a capture back and verify its SHA-256 (the read is audited by the crawl service)."""
    enforce(actor, "online.capture.view")
    try:
        replayed = crawl.replay(session, capture_id=capture_id, settings=settings, actor=actor)
    except LookupError as exc:
        raise Forbidden(REFUSED) from exc
    except (OSError, ValueError) as exc:
        capture = session.get(Capture, capture_id)
        if capture is None:
            raise Forbidden(REFUSED) from exc
        return ReplayResult(capture, None, "text/plain", False, type(exc).__name__)
    content_type = replayed.capture.content_type or "application/octet-stream"
    return ReplayResult(replayed.capture, replayed.record.payload, content_type,
                        replayed.verified)


def safe_content_type(content_type: str) -> str:
    """HTML and images keep their type; anything else is shown as plain text."""
    main = content_type.split(";", 1)[0].strip().lower()
    if main in ("text/html", "application/xhtml+xml"):
        return content_type
    if main in ("image/jpeg", "image/png", "image/gif", "image/webp"):
        return main
    return "text/plain; charset=utf-8"
