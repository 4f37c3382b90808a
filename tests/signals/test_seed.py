"""The demo signals: every organisation type reports, and persons and employers link."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.models import Signal, SignalLink
from ketenzicht.signals.seed import seed_signals
from tests.factories.auth import UserFactory, actor


def test_demo_signals_link_across_organisations(db: Session) -> None:
    actors: dict[OrgType, Actor] = {}
    for org_type in OrgType:
        actors[org_type] = actor(UserFactory(organisation__org_type=org_type))
    db.flush()
    assert seed_signals(db, lambda t: actors[t], count=150) == 150
    owners = set(db.scalars(select(Signal.owner_org_id)))
    assert len(owners) == len(OrgType) - 1  # every type but the platform's own beheer
    other = Signal.__table__.alias("other")
    rows = db.execute(
        select(SignalLink.kind, func.count()).join(Signal, Signal.id == SignalLink.signal_id)
        .join(other, other.c.id == SignalLink.other_signal_id)
        .where(Signal.owner_org_id != other.c.owner_org_id).group_by(SignalLink.kind)).all()
    across = {kind: n for kind, n in rows}
    for kind in (LinkKind.PERSON, LinkKind.EMPLOYER, LinkKind.PHONE):
        assert across.get(kind, 0) >= 10, across
