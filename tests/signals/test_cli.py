"""``ketenzicht signals escalate`` and ``relink``, each in its own transaction."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from ketenzicht.auth.enums import OrgType
from ketenzicht.core import clock
from ketenzicht.db import session as db_session
from ketenzicht.signals import cli
from ketenzicht.signals.enums import LinkKind, RouteStatus
from ketenzicht.signals.models import SignalLink
from tests.factories.auth import UserFactory
from tests.factories.signals import make_signal, make_withheld

runner = CliRunner()


def test_escalate_command_escalates_overdue_routings_once(
    db: Session, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    for org_type in (OrgType.ZORG, OrgType.ARBEIDSINSPECTIE, OrgType.COMENSHA):
        UserFactory(organisation__org_type=org_type)
    # The care coordinator of the signal's region (Den Haag, chain.yaml).
    UserFactory(organisation__org_type=OrgType.GEMEENTE, organisation__code="gemeente-den-haag")
    reporter = UserFactory(organisation__org_type=OrgType.ZORG)
    db.flush()
    signal = make_signal(db, reporter)
    db.commit()  # a savepoint inside the test's outer transaction
    monkeypatch.setattr(db_session, "default_session_factory", lambda: session_factory)
    with clock.frozen(clock.now() + timedelta(hours=200)):
        first = runner.invoke(cli.app, ["escalate"])
        second = runner.invoke(cli.app, ["escalate"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"escalated": 2}
    assert json.loads(second.stdout) == {"escalated": 0}
    db.expire_all()
    # The two original routings stay open beside the two escalation routings they got; the
    # CoMensha "inform" routing is the escalation party's own and is not escalated.
    assert [r.status for r in signal.routes] == [RouteStatus.OPEN] * 5
    assert sorted(str(r.cause) for r in signal.routes) == ["escalated", "escalated",
                                                           "routed", "routed", "routed"]


def test_relink_rebuilds_the_links_intake_made(
    db: Session, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [UserFactory(organisation__org_type=t) for t in (
        OrgType.ZORG, OrgType.POLITIE, OrgType.ARBEIDSINSPECTIE, OrgType.GEMEENTE)]
    db.flush()
    # Encoded at the source by both organisations (the demo key): they link on encodings.
    first = make_withheld(db, users[0], pseudonym="Ion Popescu", phone="06-12345678")
    make_withheld(db, users[1], pseudonym="Popescu Ion", phone="+31 6 1234 5678")
    make_signal(db, users[2], pseudonym="Maria Ionescu", employer=None, nationality="BG",
                age=60, gender="female")
    made = {(link.kind, link.other_signal_id, link.score) for link in
            db.scalars(select(SignalLink).where(SignalLink.signal_id == first.id))}
    assert {kind for kind, _o, _s in made} == {LinkKind.PERSON, LinkKind.EMPLOYER,
                                               LinkKind.PHONE}
    db.execute(delete(SignalLink))
    db.commit()
    monkeypatch.setattr(db_session, "default_session_factory", lambda: session_factory)
    result = runner.invoke(cli.app, ["relink"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"linked_pairs": 3}
    db.expire_all()
    again = {(link.kind, link.other_signal_id, link.score) for link in
             db.scalars(select(SignalLink).where(SignalLink.signal_id == first.id))}
    assert again == made  # splink in batch agrees with intake's scoring
