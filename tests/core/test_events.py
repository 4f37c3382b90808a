"""Typed domain events: delivered after the outermost commit, never after a rollback, and a
failing subscriber never undoes the write that published the event."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import FrozenInstanceError, dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.subscriptions import SUBSCRIPTIONS as AUDIT_SUBSCRIPTIONS
from ketenzicht.auth.models import Organisation
from ketenzicht.core import events
from tests.factories.auth import OrganisationFactory, bind


@dataclass(frozen=True, kw_only=True)
class Noted(events.Event):
    """A test event."""

    org_id: int


heard: list[Noted] = []


def _hear(session: Session, item: Noted) -> None:
    heard.append(item)
    audit.record(session, actor=None, action="heard", resource_type="organisation",
                 resource_id=item.org_id)


def _fail(session: Session, item: Noted) -> None:
    audit.record(session, actor=None, action="half-done", resource_type="organisation",
                 resource_id=item.org_id)
    raise RuntimeError("subscriber broke")


@pytest.fixture
def hear() -> Iterator[None]:
    heard.clear()
    subs = ((Noted, _hear),)
    events.install(subs, AUDIT_SUBSCRIPTIONS)
    yield
    events.uninstall(subs)


def _org(session: Session) -> Organisation:
    bind(session)
    org: Organisation = OrganisationFactory()
    session.flush()
    return org


def _actions(db: Session, org_id: int) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).where(
        AuditEntry.resource_id == str(org_id)).order_by(AuditEntry.id)))


def test_an_event_is_delivered_after_commit_in_its_own_transaction(
        session_factory: sessionmaker[Session], db: Session, hear: None) -> None:
    with session_factory() as session:
        org = _org(session)
        events.publish(session, Noted(org_id=org.id))
        assert heard == [] and [e.org_id for e in events.pending(session)] == [org.id]
        session.commit()
    assert [e.org_id for e in heard] == [org.id]
    assert _actions(db, org.id) == ["heard"]  # the subscriber's write was committed too
    with pytest.raises(FrozenInstanceError):
        heard[0].org_id = 1  # type: ignore[misc]


def test_a_rolled_back_transaction_publishes_nothing(
        session_factory: sessionmaker[Session], db: Session, hear: None) -> None:
    with session_factory() as session:
        org = _org(session)
        events.publish(session, Noted(org_id=org.id))
        session.rollback()
        session.commit()  # a later commit of the same session must not deliver it either
    assert heard == []
    assert db.get(Organisation, org.id) is None


def test_a_rolled_back_savepoint_drops_only_its_own_events(
        session_factory: sessionmaker[Session], db: Session, hear: None) -> None:
    with session_factory() as session:
        kept, dropped = _org(session), _org(session)
        events.publish(session, Noted(org_id=kept.id))
        nested = session.begin_nested()
        events.publish(session, Noted(org_id=dropped.id))
        nested.rollback()  # one bad item of a batch
        with session.begin_nested():  # a released SAVEPOINT delivers nothing by itself
            events.publish(session, Noted(org_id=kept.id + 10_000))
        assert heard == []
        session.commit()
    assert [e.org_id for e in heard] == [kept.id, kept.id + 10_000]


def test_a_failing_subscriber_does_not_undo_the_write_and_is_recorded(
        session_factory: sessionmaker[Session], db: Session, hear: None) -> None:
    failing = ((Noted, _fail),)
    events.install(failing)
    try:
        with session_factory() as session:
            org = _org(session)
            audit.record(session, actor=None, action="created", resource_type="organisation",
                         resource_id=org.id)
            events.publish(session, Noted(org_id=org.id))
            session.commit()
    finally:
        events.uninstall(failing)
    assert db.get(Organisation, org.id) is not None  # the write stands
    assert [e.org_id for e in heard] == [org.id]  # the other subscriber still ran
    # The failing subscriber's own write was rolled back; its failure was audited.
    assert _actions(db, org.id) == ["created", "heard"]
    failure = db.scalars(select(AuditEntry).where(AuditEntry.action == "event.failed")
                         .order_by(AuditEntry.id.desc())).first()
    assert failure is not None and failure.resource_id == "Noted"
    assert failure.detail["handler"].endswith("_fail")
    assert "subscriber broke" in failure.detail["error"]
    assert failure.detail["org_id"] == str(org.id)
    assert audit.verify(db).ok


def test_subscribers_of_a_base_class_hear_its_subclasses() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Special(Noted):
        pass

    subs = ((Noted, _hear),)
    events.install(subs, subs)  # installing twice registers once
    try:
        assert events.handlers_for(Special) == [_hear]
    finally:
        events.uninstall(subs)
    assert events.handlers_for(Special) == []
