"""Notifications and e-mails reach each recipient in their own language.

Whoever triggers a notification (a Dutch coordinator, an English colleague, or the
scheduler, which has no language at all), the recipient reads it in ``User.locale``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht import scheduler
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.cases import coordination
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock, i18n
from ketenzicht.core.formatting import LocalTime
from ketenzicht.core.i18n import N_
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.notify import service
from ketenzicht.notify.messages import Msg
from ketenzicht.notify.models import Notification, OutboxMail
from ketenzicht.signals import notices as signal_notices
from ketenzicht.signals.enums import RouteCause
from tests.factories import auth as auth_factories
from tests.factories.auth import OrganisationFactory, UserFactory, actor, csrf_headers, login
from tests.factories.cases import make_case

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 9, tzinfo=UTC)


@pytest.fixture
def trigger_language() -> Iterator[None]:
    """Leave the thread's language as we found it (tests set the trigger's language)."""
    yield
    i18n.set_locale(i18n.DEFAULT_LOCALE)


def _mine(db: Session, user: User) -> tuple[Notification, OutboxMail]:
    note = db.scalars(select(Notification).where(Notification.user_id == user.id)
                      .order_by(Notification.id.desc())).first()
    mail = db.scalars(select(OutboxMail).where(OutboxMail.recipient_user_id == user.id)
                      .order_by(OutboxMail.id.desc())).first()
    assert note is not None and mail is not None
    return note, mail


class _Title:
    """Data with a text per language, like a process template's task."""

    def text(self, locale: str) -> str:
        return {"nl": "Veiligheidsinschatting", "en": "Safety assessment"}[locale]


def test_a_message_is_translated_when_read() -> None:
    subject = Msg(N_("Case %(id)s: %(what)s"), id=7,
                  what=Msg(N_("task overdue: %(task)s"), task=_Title()))
    assert subject.text("en") == "Case 7: task overdue: Safety assessment"
    assert subject.text("nl") == "Casus 7: taak te laat: Veiligheidsinschatting"
    assert subject.text("xx") == subject.text(i18n.DEFAULT_LOCALE)
    many = Msg.ngettext("%(n)s signal escalated to your inbox",
                        "%(n)s signals escalated to your inbox", 3, n=3)
    assert many.text("en") == "3 signals escalated to your inbox"
    assert many.text("nl").startswith("3 signalen")
    assert Msg("50% off").text("en") == "50% off"  # no parameters: no formatting


@pytest.mark.parametrize("trigger", ["nl", "en"])
def test_each_recipient_reads_their_own_language(db: Session, trigger: str,
                                                 trigger_language: None) -> None:
    ann, bob = UserFactory(locale="en"), UserFactory(locale="nl")
    odd = UserFactory(locale="xx")  # a value we do not offer reads the default
    db.flush()
    i18n.set_locale(trigger)
    service.send(db, actor=None, recipients=[ann.id, bob.id, odd.id], kind="case.test",
                 subject=Msg(N_("Case %(id)s: %(what)s"), id=3,
                             what=Msg(N_("a task was assigned to you"))),
                 body=Msg(N_("Due %(due)s."), due=LocalTime(DUE)), link="/cases/3")
    note, mail = _mine(db, ann)
    # The time is written per reader too, in Dutch local time (09:00 UTC is 10:00 in winter).
    assert (note.subject, note.body) == ("Case 3: a task was assigned to you",
                                         "Due 11/24/26, 10:00\u202fAM.")
    # The mail's link is absolute (KZ_BASE_URL): a mail program has no site to resolve it.
    assert (mail.subject, mail.body) == (note.subject, "Due 11/24/26, 10:00\u202fAM.\n\n"
                                                       "http://127.0.0.1:8000/cases/3")
    note, mail = _mine(db, bob)
    assert (note.subject, mail.subject) == ("Casus 3: er is een taak aan u toegewezen",) * 2
    assert mail.body.startswith("Uiterlijk 24-11-2026 10:00.")
    assert _mine(db, odd)[0].subject == note.subject
    service.send(db, actor=None, recipients=[ann.id], kind="k", subject="As given", body="plain")
    assert _mine(db, ann)[0].subject == "As given"  # a str is sent as it is


def test_a_person_who_never_chose_reads_the_sites_default_language(
        db: Session, monkeypatch: pytest.MonkeyPatch, trigger_language: None) -> None:
    quiet = UserFactory()
    db.flush()
    assert quiet.locale is None
    for default, subject in (("en", "Case 3: a task was assigned to you"),
                             ("nl", "Casus 3: er is een taak aan u toegewezen")):
        monkeypatch.setenv("KZ_DEFAULT_LOCALE", default)
        get_settings.cache_clear()
        i18n.set_locale("en" if default == "nl" else "nl")  # the trigger's language is not it
        service.send(db, actor=None, recipients=[quiet.id], kind="case.test",
                     subject=Msg(N_("Case %(id)s: %(what)s"), id=3,
                                 what=Msg(N_("a task was assigned to you"))), body="x")
        assert _mine(db, quiet)[0].subject == subject
    get_settings.cache_clear()


def _chain(db: Session) -> tuple[User, User]:
    gemeente = OrganisationFactory(org_type=OrgType.GEMEENTE)
    politie = OrganisationFactory(org_type=OrgType.POLITIE)
    coord = UserFactory(organisation=gemeente, roles=(Role.COORDINATOR,))
    police = UserFactory(organisation=politie, roles=(Role.COORDINATOR,))
    db.flush()
    return coord, police


def test_a_dutch_trigger_writes_to_an_english_colleague_in_english(
        client: TestClient, db: Session) -> None:
    coord, police = _chain(db)
    case = make_case(db, coord, participants=[
        {"org_id": police.organisation_id, "phase": "opsporing"}])
    # The police officer chooses English in the header while logged in.
    login(client, police.username)
    assert client.get("/lang/en?next=/", follow_redirects=False).status_code == 303
    db.refresh(police)
    assert police.locale == "en"
    client.cookies.clear()
    # The coordinator works in Dutch and proposes the hand-over.
    login(client, coord.username)
    client.get("/lang/nl?next=/")
    answer = client.post(f"/api/v1/cases/{case.id}/handovers", headers=csrf_headers(client),
                         json={"to_org_id": police.organisation_id, "reason": "opsporing"})
    assert answer.status_code == 201, answer.text
    note, mail = _mine(db, police)
    assert note.subject == f"Case {case.id}: you are asked to take over the coordinator role"
    assert mail.subject == note.subject
    # And the other way round: the English officer accepts, the Dutch coordinator hears.
    coordination.accept_handover(db, actor=actor(police), case_id=case.id,
                                 handover_id=answer.json()["id"])
    assert _mine(db, coord)[0].subject == f"Casus {case.id}: de regierol is geaccepteerd"


def test_signal_routings_use_the_recipients_language(db: Session,
                                                     trigger_language: None) -> None:
    comensha = OrganisationFactory(org_type=OrgType.COMENSHA)
    ann = UserFactory(organisation=comensha, roles=(Role.COORDINATOR,), locale="en")
    bob = UserFactory(organisation=comensha, roles=(Role.MEDEWERKER,))
    db.flush()
    i18n.set_locale("nl")
    assert signal_notices.routed(db, signal_id=5, org_id=comensha.id, purpose="escalation",
                                 cause=RouteCause.ESCALATED, deadline_at=DUE, acute=True,
                                 from_org="Politie Limburg") == 2
    ann_note, ann_mail = _mine(db, ann)
    assert ann_note.subject == "Acute danger: Signal 5 was escalated to your organisation"
    assert ann_mail.body.startswith("Politie Limburg did not accept or forward it before its "
                                    "deadline and keeps it. Urgency: acute danger, act now. "
                                    "See that it is taken on before 11/24/26, 10:00\u202fAM.")
    assert ann_mail.body.endswith("\n\nhttp://127.0.0.1:8000/signals/5")
    assert _mine(db, bob)[0].subject.startswith("Acuut gevaar: Signaal 5 ")


def test_the_scheduler_writes_in_each_recipients_language(scratch_url: str) -> None:
    """The deadline job runs outside any request; each coordinator reads their own language."""
    factory = make_session_factory(make_engine(scratch_url))
    with factory() as session:
        auth_factories.bind(session)
        gemeente = OrganisationFactory(org_type=OrgType.GEMEENTE)
        english = UserFactory(organisation=gemeente, roles=(Role.COORDINATOR,), locale="en")
        dutch = UserFactory(organisation=gemeente, roles=(Role.COORDINATOR,), locale="nl")
        session.flush()
        with clock.frozen(MONDAY):
            cases = {u.id: make_case(session, u, acute_danger=True).id for u in (english, dutch)}
        session.commit()
        users = {"en": english.id, "nl": dutch.id}
    with clock.frozen(MONDAY + timedelta(hours=25)):
        counts = scheduler.tick(factory, Settings(database_url=scratch_url))
    assert counts["reminded"] >= 2
    with factory() as session:
        def first(user_id: int) -> tuple[str, str]:
            mail = session.scalars(select(OutboxMail).where(
                OutboxMail.recipient_user_id == user_id).order_by(OutboxMail.id)).first()
            assert mail is not None
            return mail.subject, mail.body

        subject, body = first(users["en"])
        assert subject.startswith(f"Case {cases[users['en']]}: task overdue: ")
        assert body.startswith("The deadline was ")
        subject, body = first(users["nl"])
        assert subject.startswith(f"Casus {cases[users['nl']]}: taak te laat: ")
        assert body.startswith("De termijn was ")


def test_the_language_is_chosen_in_the_header_on_the_page_or_by_api(client: TestClient,
                                                                    db: Session) -> None:
    user = UserFactory()
    db.flush()
    assert user.locale is None  # never chosen: the site's default applies
    assert client.get("/lang/en?next=/", follow_redirects=False).status_code == 303  # anonymous
    login(client, user.username)
    page = client.get("/notifications").text
    assert 'action="/notifications/language"' in page and '<option value="nl" lang="nl"' in page
    client.get("/lang/en?next=/")
    db.refresh(user)
    assert user.locale == "en"
    assert '<option value="en" lang="en" selected>' in client.get("/notifications").text
    token = client.cookies.get("kz_csrf")
    answer = client.post("/notifications/language", data={"locale": "nl", "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303 and client.cookies.get("kz_lang") == "nl"
    db.refresh(user)
    assert user.locale == "nl"
    assert client.post("/notifications/language", data={"locale": "de", "csrf_token": token},
                       follow_redirects=False).status_code == 422
    assert client.post("/notifications/language", data={"locale": "en"},
                       follow_redirects=False).status_code == 403  # no CSRF token
    answer = client.put("/api/v1/notifications/language", headers=csrf_headers(client),
                        json={"locale": "en"})
    assert answer.status_code == 200 and answer.json() == {"locale": "en"}
    db.refresh(user)
    assert user.locale == "en"
    assert client.put("/api/v1/notifications/language", headers=csrf_headers(client),
                      json={"locale": "fr"}).status_code == 422
