"""The store behaves the same on SQLite and PostgreSQL: UTC times and optimistic concurrency."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import Organisation
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from tests.factories.auth import OrganisationFactory


def test_timestamps_come_back_aware_in_utc(db: Session) -> None:
    org = OrganisationFactory()
    amsterdam = timezone(timedelta(hours=2))
    org.created_at = datetime(2026, 6, 1, 14, 0, 0, 123456, tzinfo=amsterdam)
    db.flush()
    db.expire_all()
    stored = db.scalar(select(Organisation.created_at).where(Organisation.id == org.id))
    assert stored == datetime(2026, 6, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert stored is not None and stored.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db: Session) -> None:
    org = OrganisationFactory()
    org.created_at = datetime(2026, 6, 1, 12, 0)
    with pytest.raises(StatementError, match="naive datetime refused"):
        db.flush()
    db.rollback()


def test_version_column_refuses_a_concurrent_edit(scratch_url: str) -> None:
    # Two real connections, as two web requests would have, on a database of its own.
    factory = make_session_factory(make_engine(scratch_url))
    with factory() as setup:
        org = Organisation(code=f"conc-{uuid.uuid4().hex[:8]}", name=uuid.uuid4().hex,
                           org_type=OrgType.OM)
        setup.add(org)
        setup.commit()
        org_id = org.id
    first, second = factory(), factory()
    try:
        # The second editor read the record in an earlier request (its own transaction:
        # on SQLite every transaction takes the write lock, so two cannot overlap here).
        theirs = second.get(Organisation, org_id)
        second.commit()
        mine = first.get(Organisation, org_id)
        assert mine is not None and theirs is not None
        mine.name = "Eerste wijziging"
        first.commit()
        theirs.name = "Tweede wijziging"
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
        with factory() as check:
            stored = check.get(Organisation, org_id)
            assert stored is not None
            assert (stored.name, stored.version) == ("Eerste wijziging", 2)
    finally:
        first.close()
        second.close()
