"""Sending notifications, the inbox (own only), the outbox and SMTP delivery."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ketenzicht.cli import app as cli_app
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.notify import delivery, service
from ketenzicht.notify.enums import MailStatus
from ketenzicht.notify.models import OutboxMail
from tests.factories.auth import UserFactory, actor, csrf_headers, login


def test_send_stores_one_notification_and_one_mail_per_active_user(db: Session) -> None:
    ann, bob = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    db.flush()
    made = service.send(db, actor=None, recipients=[ann.id, bob.id, ann.id, gone.id, 987654],
                        kind="case.test", subject="Casus 3:\r\nBcc: x@evil", body="b",
                        link="/cases/3")
    assert [n.user_id for n in made] == [ann.id, bob.id]
    assert made[0].subject == "Casus 3: Bcc: x@evil"  # no header injection
    mails = list(db.scalars(select(OutboxMail).where(OutboxMail.recipient_user_id.in_(
        [ann.id, bob.id, gone.id]))))
    assert len(mails) == 2 and all(m.status is MailStatus.QUEUED for m in mails)
    assert mails[0].body.endswith("/cases/3")
    assert service.send(db, actor=None, recipients=[], kind="k", subject="s", body="") == []


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "cases/1"])
def test_links_stay_on_the_site(db: Session, link: str) -> None:
    user = UserFactory()
    db.flush()
    with pytest.raises(ValidationFailed):
        service.send(db, actor=None, recipients=[user.id], kind="k", subject="s", body="",
                     link=link)


def test_inbox_is_own_only(db: Session) -> None:
    ann, bob = UserFactory(), UserFactory()
    db.flush()
    note = service.send(db, actor=None, recipients=[ann.id], kind="k", subject="s", body="")[0]
    assert service.unread_count(db, actor=actor(ann)) == 1
    assert service.list_for(db, actor=actor(bob)) == []
    with pytest.raises(Forbidden):
        service.mark_read(db, actor=actor(bob), notification_id=note.id)
    with pytest.raises(Forbidden):
        service.mark_read(db, actor=actor(ann), notification_id=987654)
    service.mark_read(db, actor=actor(ann), notification_id=note.id)
    assert service.unread_count(db, actor=actor(ann)) == 0
    service.send(db, actor=None, recipients=[ann.id, ann.id], kind="k", subject="t", body="")
    service.send(db, actor=None, recipients=[ann.id], kind="k", subject="u", body="")
    assert service.mark_all_read(db, actor=actor(ann)) == 2
    assert service.list_for(db, actor=actor(ann), unread_only=True) == []


def test_deliver_sends_retries_and_gives_up(db: Session) -> None:
    ann, bob, cas = UserFactory(), UserFactory(), UserFactory()
    db.flush()
    service.set_address(db, actor=actor(ann), email="ann@example.org")
    service.set_address(db, actor=actor(bob), email="bob@example.org")
    service.send(db, actor=None, recipients=[ann.id, bob.id, cas.id], kind="k", subject="Casus 1",
                 body="Open de casus.", link="/cases/1")
    sent: list[EmailMessage] = []

    def transport(message: EmailMessage) -> None:
        if message["To"] == "bob@example.org":
            raise smtplib.SMTPRecipientsRefused({})
        sent.append(message)

    counts = delivery.deliver(db, transport=transport, sender="kz@example.org",
                              max_attempts=2)
    assert counts == {"sent": 1, "retry": 1, "failed": 0, "no_address": 1}
    assert sent[0]["Subject"] == "Casus 1" and "/cases/1" in sent[0].get_content()
    counts = delivery.deliver(db, transport=transport, sender="kz@example.org",
                              max_attempts=2)
    assert counts == {"sent": 0, "retry": 0, "failed": 1, "no_address": 0}
    assert len(sent) == 1  # nothing is sent twice
    assert delivery.deliver(db, transport=transport, sender="x@example.org",
                            max_attempts=2)["sent"] == 0
    mails = {m.recipient: m for m in service.mails_for(db, actor=actor(bob))}
    assert mails["bob@example.org"].status is MailStatus.FAILED
    assert mails["bob@example.org"].attempts == 2


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None)),
    ("smtp://u:p%40ss@mail.example.org:587", ("mail.example.org", 587, False, True, "u")),
    ("smtps://mail.example.org", ("mail.example.org", 465, True, False, None)),
    ("smtp://m.example.org:2525?starttls=yes", ("m.example.org", 2525, False, True, None)),
])
def test_parse_smtp_url(url: str, expected: tuple[object, ...]) -> None:
    cfg = delivery.parse_smtp_url(url)
    assert (cfg.host, cfg.port, cfg.ssl, cfg.starttls, cfg.username) == expected
    if cfg.username:
        assert cfg.password == "p@ss"


def test_parse_smtp_url_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="KZ_SMTP_URL"):
        delivery.parse_smtp_url("http://mail.example.org")


def test_smtp_transport_uses_smtplib(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            calls.append(("connect", host, port))

        def starttls(self) -> None:
            calls.append("starttls")

        def login(self, user: str, password: str) -> None:
            calls.append(("login", user, password))

        def send_message(self, message: EmailMessage) -> None:
            calls.append(("send", message["To"]))

        def quit(self) -> None:
            calls.append("quit")

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    message = EmailMessage()
    message["To"] = "a@example.org"
    with delivery.smtp_transport(delivery.parse_smtp_url("smtp://u:p@h.example:587")) as send:
        send(message)
    assert calls == [("connect", "h.example", 587), "starttls", ("login", "u", "p"),
                     ("send", "a@example.org"), "quit"]


def test_cli_without_smtp_keeps_mail_queued(scratch_url: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_DATABASE_URL", scratch_url)
    result = CliRunner().invoke(cli_app, ["notify", "deliver"])
    assert result.exit_code == 0, result.output
    assert "KZ_SMTP_URL is not set: 0 e-mail(s) stay queued" in result.output


def test_inbox_page_and_api(client: TestClient, db: Session) -> None:
    user = UserFactory()
    db.flush()
    service.send(db, actor=None, recipients=[user.id], kind="case.test",
                 subject="Casus 7: taak te laat", body="De termijn is verstreken.", link="/cases/7")
    login(client, user.username)
    badge = client.get("/notifications/unread")
    assert "1" in badge.text
    page = client.get("/notifications")
    assert page.status_code == 200 and "Casus 7: taak te laat" in page.text
    inbox = client.get("/api/v1/notifications").json()
    assert inbox["unread"] == 1
    note_id = inbox["items"][0]["id"]
    answer = client.post(f"/api/v1/notifications/{note_id}/read", headers=csrf_headers(client))
    assert answer.status_code == 200 and answer.json()["read_at"]
    assert client.get("/api/v1/notifications").json()["unread"] == 0
    put = client.put("/api/v1/notifications/address", json={"email": "nope"},
                     headers=csrf_headers(client))
    assert put.status_code == 422
    put = client.put("/api/v1/notifications/address", json={"email": "me@example.org"},
                     headers=csrf_headers(client))
    assert put.json() == {"email": "me@example.org"}
    assert client.get("/api/v1/notifications/mails").json()[0]["status"] == "queued"



def test_the_inbox_page_is_paged_counted_and_filtered_and_audits_only_the_page(
        client: TestClient, db: Session) -> None:
    from ketenzicht.audit.models import AuditEntry

    user, other = UserFactory(), UserFactory()
    db.flush()
    for i in range(60):
        service.send(db, actor=None, recipients=[user.id], kind="case.test",
                     subject=f"Taak {i:02d} te laat", body="")
    service.send(db, actor=None, recipients=[other.id], kind="case.test", subject="Niet van u",
                 body="")
    first = service.list_for(db, actor=actor(user), limit=100)[-1]
    service.mark_read(db, actor=actor(user), notification_id=first.id)
    db.commit()
    before = max(e.id for e in db.query(AuditEntry).all())
    login(client, user.username)
    page = client.get("/notifications")
    assert page.status_code == 200
    assert "60 meldingen" in page.text and "Niet van u" not in page.text
    assert page.text.count("<strong>Taak ") == 25 and "Taak 59 te laat" in page.text  # newest first
    last = client.get("/notifications", params={"page": 3}).text
    assert last.count("<strong>Taak ") == 10 and "Taak 00 te laat" in last and 'rel="prev"' in last
    unread = client.get("/notifications", params={"status": "unread", "per_page": 100}).text
    assert "59 meldingen" in unread and "Taak 00 te laat" not in unread
    read = client.get("/notifications", params={"status": "read"}).text
    assert "1 melding<" in read and "Taak 00 te laat" in read
    assert client.get("/notifications", params={"status": "x"}).status_code == 400
    assert client.get("/notifications", params={"page": "0"}).status_code == 400
    listed = db.query(AuditEntry).filter(
        AuditEntry.id > before, AuditEntry.resource_type == "notification",
        AuditEntry.action == "list").order_by(AuditEntry.id).all()
    # Each page's read logs its own notifications: 25, 10 (page 3), 59 (unread, 100 a page).
    assert [len(e.detail["ids"]) for e in listed] == [25, 10, 59]
