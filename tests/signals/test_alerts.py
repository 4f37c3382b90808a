"""Issue 18: every routing, forward and escalation tells the receiving organisation.

In-app and by e-mail, in each person's language, with an absolute link; after the routing
committed (``signals.subscriptions``), so a rolled-back routing tells no one and a mail
server that is down undoes nothing. Escalation adds a party and tells the original one.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User
from ketenzicht.config import get_settings
from ketenzicht.core import clock
from ketenzicht.notify import delivery
from ketenzicht.notify import service as notify_service
from ketenzicht.notify.enums import MailStatus
from ketenzicht.notify.models import Notification, OutboxMail
from ketenzicht.signals import inbox, notices, service
from ketenzicht.signals.enums import RouteCause, RouteStatus
from ketenzicht.signals.schemas import RouteDecision, RouteForward
from tests.factories.auth import OrganisationFactory, UserFactory, actor, csrf_headers, login
from tests.factories.signals import LABOUR_CASE, make_signal

SECRET_DETAILS = (LABOUR_CASE["seen"], LABOUR_CASE["employer"], LABOUR_CASE["pseudonym"],
                  LABOUR_CASE["place"])


@pytest.fixture
def orgs(db: Session) -> dict[str, Organisation]:
    """One organisation of each type a signal can reach, and a reporting hospital."""
    # Registered with the codes of chain.yaml for the signals' region (Den Haag), so that
    # routing by region finds them (issue 18).
    codes = {OrgType.POLITIE: "politie-den-haag", OrgType.GEMEENTE: "gemeente-den-haag",
             OrgType.COMENSHA: "comensha", OrgType.ARBEIDSINSPECTIE: "nla"}
    made = {t.value: OrganisationFactory(org_type=t, name=f"{t.value.title()} Test",
                                         **({"code": codes[t]} if t in codes else {}))
            for t in (OrgType.ZORG, OrgType.POLITIE, OrgType.ARBEIDSINSPECTIE,
                      OrgType.GEMEENTE, OrgType.COMENSHA)}
    db.flush()
    return made


def _person(org: Organisation, role: Role, **kw: Any) -> User:
    return UserFactory(organisation=org, roles=(role,), **kw)


def _notes(db: Session, user: User, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.scalars(query.order_by(Notification.id)))


def _mails(db: Session, user: User) -> list[OutboxMail]:
    return list(db.scalars(select(OutboxMail).where(OutboxMail.recipient_user_id == user.id)
                           .order_by(OutboxMail.id)))


def test_a_routed_signal_reaches_everyone_who_may_handle_it_in_their_language(
        db: Session, orgs: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_BASE_URL", "https://ketenzicht.example.nl/")
    get_settings.cache_clear()
    nla = orgs["arbeidsinspectie"]
    inspector = _person(nla, Role.MEDEWERKER, locale="en")
    lead = _person(nla, Role.COORDINATOR, locale="nl")
    admin = _person(nla, Role.BEHEERDER)  # manages accounts, does not handle signals
    carer = _person(orgs["gemeente"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    signal = make_signal(db, reporter)
    assert _notes(db, inspector) == []  # nothing before the routing commits
    db.commit()
    (note,) = _notes(db, inspector)
    assert note.kind == "signals.routed"
    assert note.subject == f"Signal {signal.id} for your organisation: investigation"
    assert note.link == f"/signals/{signal.id}"
    assert note.body.startswith("Urgency: normal. Accept or forward it before ")
    (dutch,) = _notes(db, lead)
    assert dutch.subject == f"Signaal {signal.id} voor uw organisatie: opsporing"
    assert _notes(db, admin) == []
    (mail,) = _mails(db, inspector)
    assert mail.body.endswith(f"\n\nhttps://ketenzicht.example.nl/signals/{signal.id}")
    # Only that there is a signal, its urgency, deadline and link: nothing of its content.
    for text in (note.subject, note.body, mail.subject, mail.body):
        assert not any(detail in text for detail in SECRET_DETAILS)
    # The care route's organisation is told as well, of its own purpose.
    (care,) = _notes(db, carer)
    assert care.subject == f"Signaal {signal.id} voor uw organisatie: zorg"


def test_a_rolled_back_routing_tells_no_one(db: Session, orgs: dict[str, Organisation]) -> None:
    inspector = _person(orgs["arbeidsinspectie"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.commit()
    make_signal(db, reporter)
    db.rollback()
    assert _notes(db, inspector) == []


def test_a_forward_tells_the_new_organisation_without_the_reason(
        db: Session, orgs: dict[str, Organisation]) -> None:
    inspector = _person(orgs["arbeidsinspectie"], Role.MEDEWERKER)
    officer = _person(orgs["politie"], Role.MEDEWERKER, locale="en")
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    signal = make_signal(db, reporter)
    db.commit()
    (route,) = inbox.list_inbox(db, actor=actor(inspector))
    inbox.forward(db, actor=actor(inspector), route_id=route.id, data=RouteForward(
        version=route.version, to_org_id=orgs["politie"].id,
        reason="Ion P. werkt in de prostitutie"))
    db.commit()
    (note,) = _notes(db, officer, "signals.forwarded")
    assert note.subject == f"Signal {signal.id} was forwarded to your organisation: investigation"
    assert note.body.startswith("Forwarded by Arbeidsinspectie Test. Urgency: normal.")
    assert "Ion P." not in note.body  # the reason may name the person: it stays on the page


def _fake_smtp(monkeypatch: pytest.MonkeyPatch, sent: list[EmailMessage],
               down: bool = False) -> None:
    monkeypatch.setenv("KZ_SMTP_URL", "smtp://mail.test:25")
    get_settings.cache_clear()

    @contextmanager
    def transport(config: delivery.SmtpConfig) -> Iterator[delivery.Transport]:
        assert config.timeout <= 10  # an urgent try never holds the request for long
        if down:
            raise ConnectionRefusedError(111, "Connection refused")
        yield sent.append

    monkeypatch.setattr(delivery, "smtp_transport", transport)


def test_acute_danger_is_mailed_at_once(db: Session, orgs: dict[str, Organisation],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[EmailMessage] = []
    _fake_smtp(monkeypatch, sent)
    officer = _person(orgs["politie"], Role.MEDEWERKER, locale="en")
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    notify_service.set_address(db, actor=actor(officer), email="officer@politie.test")
    signal = make_signal(db, reporter, form="sexual", acute_danger=True, indicators=[
        "CR_VIOLENCE"], sector_isic=None)
    (route,) = [r for r in signal.routes if r.org_id == orgs["politie"].id]
    assert route.deadline_at - signal.created_at == timedelta(hours=2)
    db.commit()
    # Sent when the routing committed, without waiting for the outbox job.
    (message,) = sent
    assert message["To"] == "officer@politie.test"
    assert message["Subject"].startswith(f"Acute danger: Signal {signal.id} for your organisation")
    assert "Urgency: acute danger, act now." in message.get_content()
    (mail,) = _mails(db, officer)
    assert mail.status is MailStatus.SENT


def test_a_mail_server_that_is_down_undoes_no_routing_and_is_retried(
        db: Session, orgs: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[EmailMessage] = []
    _fake_smtp(monkeypatch, sent, down=True)
    officer = _person(orgs["politie"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    notify_service.set_address(db, actor=actor(officer), email="officer@politie.test")
    signal = make_signal(db, reporter, form="sexual", acute_danger=True, indicators=[
        "CR_VIOLENCE"], sector_isic=None)
    db.commit()
    db.expire_all()
    # The routing stands, the in-app alert is there, the mail waits with its error.
    assert service.get_signal(db, actor=actor(officer), signal_id=signal.id).routes
    assert len(_notes(db, officer)) == 1
    (mail,) = _mails(db, officer)
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert mail.last_error is not None and "Connection refused" in mail.last_error
    # The outbox job tries again once the server is back.
    counts = delivery.deliver(db, transport=sent.append, sender="kz@test", max_attempts=5)
    assert counts["sent"] == 1 and mail.status is MailStatus.SENT and len(sent) == 1


def test_an_smtp_error_during_an_urgent_send_keeps_the_mail_queued(
        db: Session, orgs: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_SMTP_URL", "smtp://mail.test:25")
    get_settings.cache_clear()

    @contextmanager
    def transport(config: delivery.SmtpConfig) -> Iterator[delivery.Transport]:
        def refuse(message: EmailMessage) -> None:
            raise smtplib.SMTPServerDisconnected("timed out")
        yield refuse

    monkeypatch.setattr(delivery, "smtp_transport", transport)
    officer = _person(orgs["politie"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    notify_service.set_address(db, actor=actor(officer), email="officer@politie.test")
    make_signal(db, reporter, form="sexual", acute_danger=True, indicators=["CR_VIOLENCE"],
                sector_isic=None)
    db.commit()
    (mail,) = _mails(db, officer)
    assert mail.status is MailStatus.QUEUED and "SMTPServerDisconnected" in (mail.last_error or "")


def test_escalation_adds_a_party_and_the_original_keeps_the_signal(
        db: Session, orgs: dict[str, Organisation]) -> None:
    officer = _person(orgs["politie"], Role.MEDEWERKER, locale="en")
    watcher = _person(orgs["comensha"], Role.MEDEWERKER, locale="en")
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    signal = make_signal(db, reporter, form="sexual", indicators=["CR_VIOLENCE"],
                         sector_isic=None)
    db.commit()
    (police,) = [r for r in signal.routes if r.org_id == orgs["politie"].id]
    later = police.deadline_at + timedelta(minutes=1)
    with clock.frozen(later):
        assert inbox.escalate_due(db, later) >= 1
        db.commit()
        # The police keep it, open, and may still take it on.
        assert police.status is RouteStatus.OPEN and police.escalated_at == later
        assert [r.id for r in inbox.list_inbox(db, actor=actor(officer))] == [police.id]
        added = [r for r in signal.routes if r.previous_route_id == police.id]
        assert [(r.org_id, r.purpose, r.cause) for r in added] == [
            (orgs["comensha"].id, "escalation", RouteCause.ESCALATED)]
        (told,) = _notes(db, officer, "signals.deadline_passed")
        assert told.subject == (f"Signal {signal.id}: the deadline passed, Comensha Test "
                                "was added")
        assert "It stays in your inbox" in told.body and told.link == f"/signals/{signal.id}"
        (heard,) = _notes(db, watcher, "signals.escalated")
        assert heard.subject == f"Signal {signal.id} was escalated to your organisation"
        # Who has it and why, on the signal page's read model (in the page's language).
        read = service.read_model(db, actor=actor(officer), signal=signal)
        why = {r.id: r.held_because for r in read.routes}
        assert why[police.id].startswith("Bij binnenkomst gerouteerd door de routeringstabel")
        assert ("Comensha Test is toegevoegd om te bewaken dat het wordt opgepakt; deze "
                "organisatie houdt het.") in why[police.id]
        assert why[added[0].id].startswith("Toegevoegd omdat Politie Test het niet vóór de "
                                           "termijn")
        inbox.accept(db, actor=actor(officer), route_id=police.id,
                     data=RouteDecision(version=police.version))
        assert police.status is RouteStatus.ACCEPTED


def test_end_to_end_the_receiver_logs_in_sees_the_alert_and_opens_the_signal(
        client: TestClient, db: Session, orgs: dict[str, Organisation],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_BASE_URL", "https://keten.example.nl")
    get_settings.cache_clear()
    inspector = _person(orgs["arbeidsinspectie"], Role.MEDEWERKER, locale="en")
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    login(client, reporter.username)
    client.get("/")
    created = client.post("/api/v1/signals", json=LABOUR_CASE, headers=csrf_headers(client))
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    receiver = TestClient(client.app, raise_server_exceptions=False)
    login(receiver, inspector.username)
    page = receiver.get("/notifications")
    assert page.status_code == 200
    assert f"Signal {sid} for your organisation: investigation" in page.text
    assert f'href="/signals/{sid}"' in page.text
    opened = receiver.get(f"/signals/{sid}")
    assert opened.status_code == 200 and LABOUR_CASE["seen"] in opened.text
    assert "Waarom:" in opened.text  # who has it and why, in the page's language
    assert "Bij binnenkomst gerouteerd door de routeringstabel" in opened.text
    (mail,) = receiver.get("/api/v1/notifications/mails").json()
    assert mail["body"].endswith(f"https://keten.example.nl/signals/{sid}")
    assert LABOUR_CASE["seen"] not in mail["body"]


def test_a_failing_alert_undoes_no_routing_and_is_recorded(
        db: Session, orgs: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session: Session, **kw: Any) -> int:
        raise RuntimeError("notify is down")

    monkeypatch.setattr(notices, "routed", broken)
    inspector = _person(orgs["arbeidsinspectie"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    signal = make_signal(db, reporter)
    db.commit()
    db.expire_all()
    assert inbox.list_inbox(db, actor=actor(inspector))[0].signal_id == signal.id
    assert _notes(db, inspector) == []
    flush_pending(db)
    failed = list(db.scalars(select(AuditEntry).where(AuditEntry.action == "event.failed")))
    assert {f.detail["handler"] for f in failed} == {
        "ketenzicht.signals.subscriptions.tell_receiver"}
    assert all("notify is down" in f.detail["error"] for f in failed)


def test_the_inbox_says_the_signal_stays_after_escalation(
        client: TestClient, db: Session, orgs: dict[str, Organisation]) -> None:
    officer = _person(orgs["politie"], Role.MEDEWERKER)
    _person(orgs["comensha"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    signal = make_signal(db, reporter, form="sexual", indicators=["CR_VIOLENCE"],
                         sector_isic=None)
    db.commit()
    inbox.escalate_due(db, max(r.deadline_at for r in signal.routes) + timedelta(minutes=1))
    db.commit()
    login(client, officer.username)
    page = client.get("/signals/inbox")
    assert f"/signals/{signal.id}" in page.text
    assert "Comensha Test is toegevoegd om te bewaken dat het wordt opgepakt" in page.text


def test_forward_and_escalation_deadlines_follow_the_atw(
        db: Session, orgs: dict[str, Organisation]) -> None:
    """The same rule as at intake: a term of a day or more runs past weekends and holidays."""
    inspector = _person(orgs["arbeidsinspectie"], Role.MEDEWERKER)
    reporter = _person(orgs["zorg"], Role.MEDEWERKER)
    db.flush()
    make_signal(db, reporter)
    db.commit()
    (route,) = inbox.list_inbox(db, actor=actor(inspector))
    # Thursday 24 December 2037 + 72 h ends on Sunday the 27th; Christmas and the weekend
    # leave no working day in the term, so art. 2 Atw runs it to Tuesday the 29th.
    christmas_eve = datetime(2037, 12, 24, 9, tzinfo=UTC)
    with clock.frozen(christmas_eve):
        inbox.forward(db, actor=actor(inspector), route_id=route.id, data=RouteForward(
            version=route.version, to_org_id=orgs["politie"].id, reason="Politiezaak"))
        db.commit()
    (forwarded,) = [r for r in route.signal.routes if r.previous_route_id == route.id]
    assert forwarded.deadline_at == datetime(2037, 12, 29, 9, tzinfo=UTC)
    # Escalated on Friday 1 May 2037 with 24 h: Saturday the 2nd, so Monday the 4th.
    friday = datetime(2037, 5, 1, 10, tzinfo=UTC)
    forwarded.deadline_at = friday - timedelta(minutes=1)
    db.commit()
    with clock.frozen(friday):
        assert inbox.escalate_due(db, friday) >= 1
        db.commit()
    (escalated,) = [r for r in route.signal.routes if r.previous_route_id == forwarded.id]
    assert escalated.deadline_at == datetime(2037, 5, 4, 10, tzinfo=UTC)
