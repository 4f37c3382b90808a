"""The steps that had only an API, now on the page (issue 18): each form changes what it
says, keeps what was typed when it is refused, and says why in a 4xx answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import coordination, service
from ketenzicht.cases.enums import HandoverStatus, Phase, Raci, TaskStatus
from ketenzicht.cases.models import Case, CaseHandover, EmergencyAccess
from ketenzicht.cases.schemas import HandoverIn, TaskAssign
from ketenzicht.core import clock
from ketenzicht.signals.models import SignalRoute
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, login
from tests.factories.signals import make_signal


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Accept-Language"] = "en"
    login(client, username)
    return client


def _post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    data = {**data, "csrf_token": client.cookies.get("kz_csrf")}
    return client.post(url, data=data, follow_redirects=False)


def _audit(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_open_a_case_from_a_signal_and_warn_the_second_organisation(
        app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    gemeente = team["orgs"][OrgType.GEMEENTE]
    signal = make_signal(db, team["police"], seen="Vrouw met blauwe plekken op de SEH.")
    # Routed to the gemeente too, so that a second organisation may see the signal.
    db.add(SignalRoute(signal_id=signal.id, org_id=gemeente.id, purpose="care",
                       deadline_at=clock.now() + timedelta(days=2)))
    db.flush()
    police = _client(app, team["police"].username)
    page = police.get(f"/signals/{signal.id}").text
    assert "No case has been opened from this signal." in page
    assert f'href="/cases/from-signal/{signal.id}"' in page
    refused = _post(police, f"/cases/from-signal/{signal.id}", {"title": "ab"})
    assert refused.status_code == 422 and 'value="ab"' in refused.text
    assert "Please correct the following" in refused.text
    done = _post(police, f"/cases/from-signal/{signal.id}", {"title": "Casus SEH"})
    assert done.status_code == 303, done.text
    first = int(done.headers["location"].rsplit("/", 1)[1])
    db.expire_all()
    assert [s.signal_id for s in db.get(Case, first).signal_links] == [signal.id]
    page = police.get(f"/signals/{signal.id}").text
    assert f'href="/cases/{first}">Case {first}: Casus SEH</a>' in page

    # The gemeente sees that a case exists and who coordinates it, not its title.
    coord = _client(app, team["coord"].username)
    page = coord.get(f"/signals/{signal.id}").text
    assert f"Case {first}" in page and "Casus SEH" not in page
    assert "your organisation does not take part" in page
    form = coord.get(f"/cases/from-signal/{signal.id}").text
    assert f"This signal already has case {first}" in form and 'name="confirm_related"' in form
    unconfirmed = _post(coord, f"/cases/from-signal/{signal.id}", {"title": "Zorgcasus"})
    assert unconfirmed.status_code == 409
    assert "A case was already opened from this signal" in unconfirmed.text
    assert 'value="Zorgcasus"' in unconfirmed.text
    assert db.scalar(select(Case).where(Case.title == "Zorgcasus")) is None
    confirmed = _post(coord, f"/cases/from-signal/{signal.id}",
                      {"title": "Zorgcasus", "confirm_related": "on"})
    assert confirmed.status_code == 303, confirmed.text
    second = db.scalar(select(Case).where(Case.title == "Zorgcasus"))
    assert second is not None and second.coordinator_org_id == gemeente.id
    created = [e for e in _audit(db, "create") if e.resource_id == str(second.id)]
    assert created[0].detail["related_cases"] == [first]
    # Each case page names the other: the police may not open the gemeente's case.
    page = police.get(f"/cases/{first}").text
    assert f'href="/signals/{signal.id}"' in page
    assert f"Case {second.id}" in page and f'href="/cases/{second.id}"' not in page
    page = coord.get(f"/cases/{second.id}").text
    assert f"Case {first}" in page and "Other cases from the same signal" in page


def test_the_api_warns_too(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    signal = make_signal(db, team["police"])
    police = _client(app, team["police"].username)
    police.get("/")
    headers = {"X-CSRF-Token": police.cookies["kz_csrf"]}
    body: dict[str, Any] = {"signal_ids": [signal.id], "title": "Casus"}
    assert police.post("/api/v1/cases/from-signals", json=body,
                       headers=headers).status_code == 201
    again = police.post("/api/v1/cases/from-signals", json=body, headers=headers)
    assert again.status_code == 409 and "already opened" in again.json()["detail"]
    assert police.post("/api/v1/cases/from-signals", json={**body, "confirm_related": True},
                       headers=headers).status_code == 201
    listed = police.get(f"/api/v1/cases/of-signal/{signal.id}").json()
    assert [(c["visible"], c["title"]) for c in listed] == [(True, "Casus"), (True, "Casus")]
    outsider = _client(app, team["outsider"].username)  # may not see the signal
    assert outsider.get(f"/api/v1/cases/of-signal/{signal.id}").status_code == 403


def test_complete_a_task(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    police_org = team["orgs"][OrgType.POLITIE]
    task = service.tasks_of(db, case.id)[0]
    service.assign_task(db, actor=actor(team["coord"]), case_id=case.id, task_id=task.id,
                        data=TaskAssign(version=task.version, owner_org_id=police_org.id))
    db.flush()
    police = _client(app, team["police"].username)
    page = police.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/tasks/{task.id}/complete"' in page
    url = f"/cases/{case.id}/tasks/{task.id}/complete"
    stale = _post(police, url, {"version": "99", "note": "Aangifte opgenomen"})
    assert stale.status_code == 409 and "Someone else changed this first" in stale.text
    assert "Aangifte opgenomen</textarea>" in stale.text  # the note is kept
    om = _client(app, team["om"].username)
    assert _post(om, url, {"version": str(task.version)}).status_code == 403
    done = _post(police, url, {"version": str(task.version), "note": "Aangifte opgenomen"})
    assert done.status_code == 303
    db.expire_all()
    assert (task.status, task.note) == (TaskStatus.DONE, "Aangifte opgenomen")
    assert url not in police.get(f"/cases/{case.id}").text  # a done task has no button


def test_decline_a_hand_over_with_a_reason(app: FastAPI, db: Session,
                                           team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    police_org = team["orgs"][OrgType.POLITIE]
    row = coordination.propose_handover(db, actor=actor(team["coord"]), case_id=case.id,
                                        data=HandoverIn(to_org_id=police_org.id,
                                                        reason="Opsporing leidt"))
    db.flush()
    police = _client(app, team["police"].username)
    assert f"/handover/{row.id}/decline" in police.get(f"/cases/{case.id}").text
    url = f"/cases/{case.id}/handover/{row.id}/decline"
    form = police.get(url).text
    assert "Proposed because: Opsporing leidt" in form
    empty = _post(police, url, {"reason": "  "})
    assert empty.status_code == 422 and "Say why you decline" in empty.text
    assert _post(police, url, {"reason": "Geen capaciteit"}).status_code == 303
    db.expire_all()
    stored = db.get(CaseHandover, row.id)
    assert stored is not None
    assert (stored.status, stored.decline_reason) == (HandoverStatus.DECLINED, "Geen capaciteit")
    coord = _client(app, team["coord"].username)
    assert "Geen capaciteit" in coord.get(f"/cases/{case.id}").text  # on the timeline
    assert _post(police, url, {"reason": "nog eens"}).status_code == 403  # answered


def test_the_api_asks_a_reason_to_decline(app: FastAPI, db: Session,
                                          team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    row = coordination.propose_handover(
        db, actor=actor(team["coord"]), case_id=case.id,
        data=HandoverIn(to_org_id=team["orgs"][OrgType.POLITIE].id, reason="Opsporing leidt"))
    db.flush()
    police = _client(app, team["police"].username)
    police.get("/")
    headers = {"X-CSRF-Token": police.cookies["kz_csrf"]}
    url = f"/api/v1/cases/{case.id}/handovers/{row.id}/decline"
    bare = police.post(url, headers=headers)
    assert bare.status_code == 422 and "Say why you decline" in bare.json()["detail"]
    answer = police.post(url, json={"reason": "Geen capaciteit"}, headers=headers)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["decline_reason"]) == (
        "declined", "Geen capaciteit")


def test_the_coordinator_withdraws_without_a_reason(app: FastAPI, db: Session,
                                                    team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    row = coordination.propose_handover(
        db, actor=actor(team["coord"]), case_id=case.id,
        data=HandoverIn(to_org_id=team["orgs"][OrgType.ZORG].id, reason="Zorg leidt"))
    db.flush()
    coord = _client(app, team["coord"].username)
    url = f"/cases/{case.id}/handover/{row.id}/decline"
    assert "Withdraw the hand-over" in coord.get(url).text
    assert _post(coord, url, {}).status_code == 303
    db.expire_all()
    assert db.get(CaseHandover, row.id).status is HandoverStatus.WITHDRAWN  # type: ignore[union-attr]


def test_end_emergency_access_early(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    outsider = _client(app, team["outsider"].username)
    assert _post(outsider, f"/cases/{case.id}/emergency",
                 {"reason": "Slachtoffer staat aan de balie, acuut gevaar"}).status_code == 303
    page = outsider.get(f"/cases/{case.id}").text
    access = db.scalar(select(EmergencyAccess).where(EmergencyAccess.case_id == case.id))
    assert access is not None
    assert f'action="/cases/{case.id}/emergency/{access.id}/end"' in page
    other = _client(app, team["police"].username)  # not theirs to end
    assert _post(other, f"/cases/{case.id}/emergency/{access.id}/end", {}).status_code == 403
    ended = _post(outsider, f"/cases/{case.id}/emergency/{access.id}/end", {})
    assert ended.status_code == 303 and ended.headers["location"] == "/cases"
    db.expire_all()
    assert access.ended_at is not None
    assert outsider.get(f"/cases/{case.id}").status_code == 403


def test_change_and_end_a_participation_with_a_reason(app: FastAPI, db: Session,
                                                      team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    o = team["orgs"]
    care = next(p for p in case.participants if p.org_id == o[OrgType.ZORG].id)
    om = next(p for p in case.participants if p.org_id == o[OrgType.OM].id)
    own = next(p for p in case.participants if p.org_id == o[OrgType.GEMEENTE].id)
    coord = _client(app, team["coord"].username)
    page = coord.get(f"/cases/{case.id}").text
    assert f"/cases/{case.id}/participants/{care.id}/change" in page
    url = f"/cases/{case.id}/participants/{care.id}/change"
    refused = _post(coord, url, {"phase": "hulpverlening", "raci": "consulted", "reason": ""})
    assert refused.status_code == 422
    assert '<option value="consulted" selected>' in refused.text  # the choice is kept
    assert _post(coord, url, {"phase": "hulpverlening", "raci": "consulted",
                              "reason": "Zorg adviseert alleen"}).status_code == 303
    db.expire_all()
    assert (care.phase, care.raci) == (Phase.HULPVERLENING, Raci.CONSULTED)
    entry = _audit(db, "change_participant")[-1]
    assert entry.detail["reason"] == "Zorg adviseert alleen"
    assert entry.detail["before"] == {"phase": "hulpverlening", "raci": "responsible"}

    police = _client(app, team["police"].username)  # only the coordinator
    assert _post(police, f"/cases/{case.id}/participants/{om.id}/remove",
                 {"reason": "weg"}).status_code == 403
    gone = _post(coord, f"/cases/{case.id}/participants/{om.id}/remove",
                 {"reason": "OM is niet meer betrokken"})
    assert gone.status_code == 303
    db.expire_all()
    assert o[OrgType.OM].id not in service.case_ref(case).participant_org_ids
    assert _audit(db, "remove_participant")[-1].detail["reason"] == "OM is niet meer betrokken"
    mine = _post(coord, f"/cases/{case.id}/participants/{own.id}/remove",
                 {"reason": "Wij stoppen"})
    assert mine.status_code == 422 and "hand the coordinator role over first" in mine.text
    assert "Wij stoppen</textarea>" in mine.text


def test_an_organisation_with_open_tasks_stays(app: FastAPI, db: Session,
                                               team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    police_org = team["orgs"][OrgType.POLITIE]
    task = service.tasks_of(db, case.id)[0]
    service.assign_task(db, actor=actor(team["coord"]), case_id=case.id, task_id=task.id,
                        data=TaskAssign(version=task.version, owner_org_id=police_org.id))
    part = next(p for p in case.participants if p.org_id == police_org.id)
    db.flush()
    coord = _client(app, team["coord"].username)
    answer = _post(coord, f"/cases/{case.id}/participants/{part.id}/remove",
                   {"reason": "Politie stopt"})
    assert answer.status_code == 409 and "still owns open tasks" in answer.text


def test_my_drafts(app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    care = _client(app, team["care"].username)
    answer = _post(care, "/signals/new", {"seen": "Kind op de SEH, verhaal klopt niet",
                                          "place": "Venlo"})
    assert answer.status_code == 422
    page = care.get("/signals/drafts").text
    draft = re.search(r'href="/signals/new\?draft=(\d+)"', page)
    assert draft and "Kind op de SEH, verhaal klopt niet" in page and "Venlo" in page
    assert 'href="/signals/drafts"' in care.get("/signals").text
    again = care.get(f"/signals/new?draft={draft.group(1)}").text
    assert "Kind op de SEH, verhaal klopt niet" in again  # the typed text comes back
    other = _client(app, team["om"].username)
    assert "Kind op de SEH" not in other.get("/signals/drafts").text
    assert "You have no drafts." in other.get("/signals/drafts").text


def test_a_refused_new_case_keeps_what_was_typed(app: FastAPI, db: Session,
                                                 team: dict[str, Any]) -> None:
    coord = _client(app, team["coord"].username)
    answer = _post(coord, "/cases/new", {
        "title": "ab", "summary": "Twee vrouwen in de kapsalon", "acute_danger": "on",
        "role": "witness", "pseudonym": "Getuige Z.", "nationality": "pl"})
    assert answer.status_code == 422
    page = answer.text
    assert 'value="ab"' in page and "Twee vrouwen in de kapsalon</textarea>" in page
    assert 'value="Getuige Z."' in page and 'value="pl"' in page
    assert 'name="acute_danger" checked' in page
    assert '<option value="witness" selected>' in page
