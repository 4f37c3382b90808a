"""What the route-enumerating access test needs of notifications (everyone's own only)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.notify import service
from tests.factories.access import World


def _notification(db: Session, w: World) -> tuple[int, ResourceRef]:
    note = service.send(db, actor=None, recipients=[w.target_user.id], kind="test", subject="Test",
                        body="", link="/")[0]
    return note.id, ResourceRef(kind="notification", id=note.id, owner_org_id=None,
                                owner_user_id=w.target_user.id)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "notification_id": _notification,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("PUT", "/api/v1/notifications/address"): lambda w: {"email": "a@example.org"},
}

# Every logged-in person reads and marks only their own notifications (Scope.OWN);
# tests/notify checks that another's notification is refused.
ACCESS_OPEN_ACTIONS = {"notification.view": "own notifications",
                       "notification.update": "own notifications"}
