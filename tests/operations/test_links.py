"""A counterpart whose number is in an advertised network shows on both sides, and the
network page says so only to people who may know the operation exists; and a WARC capture
from the crawler imports into a conversation's chain."""

from __future__ import annotations

import io
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.core import clock
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.operations import chain, conversations
from tests.factories.auth import actor, login
from tests.factories.online import make_network
from tests.factories.operations import make_conversation, make_operation, make_team


def test_the_counterpart_shows_on_both_sides_but_not_to_an_outsider(
        app: FastAPI, db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona, handle="06-12345678")
    network = make_network(db, phone="+31612345678")
    href = f"/operations/{op.id}/conversations/{conv.id}"
    for user, sees in ((team.operator, True), (team.prosecutor, True),
                       (team.colleague, False), (team.other_prosecutor, False)):
        client = TestClient(app, raise_server_exceptions=False)
        login(client, user.username)
        page = client.get(f"/online/networks/{network.id}")
        assert page.status_code == 200, user.username
        assert (href in page.text) is sees, user.username
        assert ('id="undercover"' in page.text) is sees, user.username
    client = TestClient(app, raise_server_exceptions=False)
    login(client, team.operator.username)
    page = client.get(href).text
    assert f'href="/online/networks/{network.id}"' in page and "+31612345678" in page


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, payload in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response",
                                                      payload=io.BytesIO(payload),
                                                      http_headers=http))
    return buffer.getvalue()


def test_a_warc_capture_of_a_chat_imports_into_the_chain(db: Session) -> None:
    team = make_team(db)
    op, persona = make_operation(db, team)
    conv = make_conversation(db, team, op, persona)
    at = clock.now().replace(microsecond=0).isoformat()
    api = json.dumps({"messages": [{"at": at, "direction": "in", "text": "ben je vrij?"}]})
    html = (f'<ul><li data-direction="out" data-at="{at}">ja, <b>morgen</b></li>'
            f'<li class="ad">geen bericht</li></ul>')
    data = _warc([("https://chat.example/api/thread/9", "application/json", api.encode()),
                  ("https://chat.example/style.css", "text/css", b"li{}"),
                  ("https://chat.example/thread/9", "text/html; charset=utf-8", html.encode())])
    done = conversations.import_export(db, actor=actor(team.operator), operation_id=op.id,
                                       conversation_id=conv.id, fmt="warc", content=data)
    assert (done.count, str(done.method)) == (2, "import_warc")
    rows = conversations.messages(db, conv)
    assert [(str(m.direction), m.text) for m in rows] == [("inbound", "ben je vrij?"),
                                                          ("outbound", "ja, morgen")]
    assert chain.verify(db, conv).ok
    audit.flush_pending(db)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert [r["url"] for r in entry.detail["warc_records"]] == [
        "https://chat.example/api/thread/9", "https://chat.example/thread/9"]
    with pytest.raises(ValidationFailed, match="no chat messages"):
        conversations.import_export(db, actor=actor(team.operator), operation_id=op.id,
                                    conversation_id=conv.id, fmt="warc",
                                    content=_warc([("https://chat.example/a", "text/css", b"")]))
    with pytest.raises(ValidationFailed, match="not a WARC"):
        conversations.import_export(db, actor=actor(team.operator), operation_id=op.id,
                                    conversation_id=conv.id, fmt="warc", content=b"\x1f\x8bxx")
    assert len(conversations.messages(db, conv)) == 2
