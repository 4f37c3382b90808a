"""Need-to-know on every field of a case: the summary, persons, minutes, decisions,
referral purposes, task notes and status reasons (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import coordination, flows, notes, reads, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.enums import FieldCategory as F
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    CaseFromSignals,
    ConferenceIn,
    DecisionIn,
    MinutesIn,
    MinutesSummaryIn,
    NoteIn,
    ParticipantIn,
    PersonCreate,
    ReferralAnswer,
    TaskComplete,
    TransitionIn,
    Versioned,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden
from ketenzicht.signals.models import SignalRoute
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor, csrf_headers, login
from tests.factories.cases import make_case, make_referral
from tests.factories.signals import make_signal

GGZ = "GGZ: psychose, medicatie Haldol"


def _read(db: Session, user: Any, case_id: int) -> Any:
    return reads.case_read(db, actor=actor(user), case_id=case_id)


def test_a_nurses_signal_becomes_a_care_summary_the_police_does_not_read(
        db: Session, team: dict[str, Any]) -> None:
    o = team["orgs"]
    signal = make_signal(db, team["care"], seen=GGZ)
    case = flows.open_from_signals(db, actor=actor(team["care"]), data=CaseFromSignals(
        signal_ids=[signal.id], title="Casus SEH", participants=[
            ParticipantIn(org_id=o[OrgType.POLITIE].id, phase="opsporing"),
            ParticipantIn(org_id=o[OrgType.GEMEENTE].id, phase="hulpverlening")]))
    assert case.summary_category is F.CARE
    assert _read(db, team["care"], case.id).summary == GGZ
    assert _read(db, team["coord"], case.id).summary == GGZ
    police = _read(db, team["police"], case.id)
    assert police.summary == "" and police.summary_hidden
    assert GGZ not in police.model_dump_json()
    # The victim's details are identity: police reads them, the pseudonym is general.
    assert police.persons[0].nationality == "RO" and not police.persons[0].details_hidden


def test_a_nurses_observations_stay_care_whoever_opens_the_case(
        db: Session, team: dict[str, Any]) -> None:
    signal = make_signal(db, team["care"], seen=GGZ)
    # Routed to the police too, which opens the case from it.
    signal.routes.append(SignalRoute(org_id=team["orgs"][OrgType.POLITIE].id,
                                     purpose="investigate",
                                     deadline_at=clock.now() + timedelta(days=1)))
    db.flush()
    opener = team["police"]
    case = flows.open_from_signals(db, actor=actor(opener), data=CaseFromSignals(
        signal_ids=[signal.id], title="Casus SEH", participants=[
            ParticipantIn(org_id=team["orgs"][OrgType.ZORG].id, phase="hulpverlening")]))
    assert case.summary_category is F.CARE
    assert _read(db, opener, case.id).summary_hidden
    assert _read(db, team["care"], case.id).summary == GGZ
    # A police officer's own observations are written for the chain.
    own = make_signal(db, team["police"], seen="Gezien in de kas")
    case = flows.open_from_signals(db, actor=actor(team["police"]), data=CaseFromSignals(
        signal_ids=[own.id], title="Casus kas"))
    assert case.summary_category is F.GENERAL


def test_a_referral_grants_exactly_its_data_categories(db: Session,
                                                       team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    o, shelter = team["orgs"], team["shelter"]
    notes.add_note(db, actor=actor(team["care"]), case_id=case.id,
                   data=NoteIn(category=F.CARE, text=GGZ))
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=F.IDENTITY, text="paspoort RO 123"))
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=F.SHELTER, text="opvang De Haven"))
    service.add_person(db, actor=actor(team["coord"]), case_id=case.id, data=PersonCreate(
        role="presumed_victim", pseudonym="Ana M.", nationality="RO", locations=["Venlo"]))
    row = make_referral(db, team["coord"], o[OrgType.OPVANG].id, case=case,
                        purpose="Veilige opvang, identiteit bekend",
                        purpose_category="identity", data_categories=["identity", "shelter"])
    # Before accepting the shelter only sees the referral, with the purpose it is granted.
    incoming = [reads.incoming_read(r, actor(shelter))
                for r in referrals.incoming(db, actor=actor(shelter))]
    assert [r.purpose for r in incoming] == ["Veilige opvang, identiteit bekend"]
    with pytest.raises(Forbidden):
        _read(db, shelter, case.id)
    referrals.answer(db, actor=actor(shelter), referral_id=row.id,
                     data=ReferralAnswer(version=1, to_status="accepted"))
    view = _read(db, shelter, case.id)
    assert {n.category for n in view.notes} == {F.IDENTITY, F.SHELTER}
    assert GGZ not in view.model_dump_json()
    assert view.persons[-1].locations == ["Venlo"]
    # A shelter referred for shelter only does not read identity details.
    other = make_case(db, team["coord"])
    service.add_person(db, actor=actor(team["coord"]), case_id=other.id, data=PersonCreate(
        role="presumed_victim", pseudonym="Ana M.", nationality="RO", locations=["Venlo"]))
    second = make_referral(db, team["coord"], o[OrgType.OPVANG].id, case=other,
                           purpose="Plek nodig", data_categories=["shelter"])
    referrals.answer(db, actor=actor(shelter), referral_id=second.id,
                     data=ReferralAnswer(version=1, to_status="accepted"))
    person = _read(db, shelter, other.id).persons[-1]
    assert person.details_hidden and person.locations == [] and person.nationality is None


def test_a_revoked_referral_grants_nothing(db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    o, shelter = team["orgs"], team["shelter"]
    notes.add_note(db, actor=actor(team["coord"]), case_id=case.id,
                   data=NoteIn(category=F.IDENTITY, text="paspoort RO 123"))
    row = make_referral(db, team["coord"], o[OrgType.OPVANG].id, case=case,
                        data_categories=["identity"])
    referrals.answer(db, actor=actor(shelter), referral_id=row.id,
                     data=ReferralAnswer(version=1, to_status="accepted"))
    assert [n.category for n in _read(db, shelter, case.id).notes] == [F.IDENTITY]
    referrals.answer(db, actor=actor(team["coord"]), referral_id=row.id,
                     data=ReferralAnswer(version=2, to_status="revoked"))
    assert _read(db, shelter, case.id).notes == []


def _conference(db: Session, team: dict[str, Any], case_id: int, **kw: Any) -> Any:
    o = team["orgs"]
    return conferences.plan(db, actor=actor(team["coord"]), case_id=case_id, data=ConferenceIn(
        held_at=clock.now() + timedelta(days=1), attendee_org_ids=[o[OrgType.ZORG].id],
        minutes="Volledig verslag: GGZ-behandeling besproken", **kw))


def test_minutes_are_for_those_present_and_an_approved_version_for_others(
        db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    conf = _conference(db, team, case.id)
    assert conf.chair_org_id == team["orgs"][OrgType.GEMEENTE].id
    full = "Volledig verslag"
    assert full in _read(db, team["coord"], case.id).conferences[0].minutes  # the chair
    assert full in _read(db, team["care"], case.id).conferences[0].minutes  # present
    police = _read(db, team["police"], case.id).conferences[0]
    assert police.minutes == "" and not police.minutes_visible
    assert police.summary_for_others is None
    with pytest.raises(Forbidden):  # who was not present does not write them either
        conferences.edit_minutes(db, actor=actor(team["police"]), case_id=case.id,
                                 conference_id=conf.id, data=MinutesIn(version=1, minutes="x"))
    with pytest.raises(Forbidden):  # present, but not the chair nor an author
        conferences.approve_summary(db, actor=actor(team["care"]), case_id=case.id,
                                    conference_id=conf.id,
                                    data=MinutesSummaryIn(text="Samenvatting"))
    conferences.approve_summary(db, actor=actor(team["coord"]), case_id=case.id,
                                conference_id=conf.id, data=MinutesSummaryIn(
                                    text="Afgesproken: opvang regelen", category="general"))
    police = _read(db, team["police"], case.id).conferences[0]
    assert police.summary_for_others is not None
    assert police.summary_for_others.text == "Afgesproken: opvang regelen"
    assert full not in _read(db, team["police"], case.id).model_dump_json()
    # A summary in the care category is not for the police either.
    conferences.approve_summary(db, actor=actor(team["coord"]), case_id=case.id,
                                conference_id=conf.id, data=MinutesSummaryIn(
                                    text="Zorgplan afgesproken", category="care"))
    assert _read(db, team["police"], case.id).conferences[0].summary_for_others is None
    conferences.finalise(db, actor=actor(team["coord"]), case_id=case.id,
                         conference_id=conf.id, data=Versioned(version=1))
    assert full not in _read(db, team["police"], case.id).model_dump_json()
    assert full in _read(db, team["care"], case.id).conferences[0].versions[0].text


def test_decisions_task_notes_and_status_reasons_carry_their_category(
        db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    zorg = team["orgs"][OrgType.ZORG].id
    made = coordination.add_decision(db, actor=actor(team["care"]), case_id=case.id,
                                     data=DecisionIn(text="Opname GGZ", rationale="psychose",
                                                     owner_org_id=zorg))
    assert made.category is F.CARE  # a care organisation writes care by default
    coordination.add_decision(db, actor=actor(team["police"]), case_id=case.id,
                              data=DecisionIn(text="Verhoor plannen", rationale="aangifte",
                                              owner_org_id=zorg, category="investigation"))
    task = service.tasks_of(db, case.id)[0]
    service.complete_task(db, actor=actor(team["coord"]), case_id=case.id, task_id=task.id,
                          data=TaskComplete(version=task.version, note="Huisarts: diabetes",
                                            note_category="care"))
    service.transition(db, actor=actor(team["coord"]), case_id=case.id, data=TransitionIn(
        version=case.version, to_status="in_behandeling", reason="Zorgindicatie GGZ",
        category="care"))
    police, care = _read(db, team["police"], case.id), _read(db, team["care"], case.id)
    assert [d.text for d in police.decisions] == ["Verhoor plannen"]
    assert [d.text for d in care.decisions] == ["Opname GGZ"]
    seen = police.model_dump_json()
    assert "Huisarts" not in seen and "Zorgindicatie" not in seen and "psychose" not in seen
    assert "Huisarts: diabetes" in care.model_dump_json()
    assert "Zorgindicatie GGZ" in " ".join(i.text for i in care.timeline)
    assert "Verhoor" not in care.model_dump_json()


def test_nobody_writes_in_a_category_they_may_not_read(db: Session,
                                                       team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    zorg = team["orgs"][OrgType.ZORG].id
    with pytest.raises(Forbidden):
        coordination.add_decision(db, actor=actor(team["police"]), case_id=case.id,
                                  data=DecisionIn(text="x y z", rationale="x y z",
                                                  owner_org_id=zorg, category="care"))
    with pytest.raises(Forbidden):
        service.add_person(db, actor=actor(team["care"]), case_id=case.id, data=PersonCreate(
            role="suspect", pseudonym="X", category="investigation"))
    with pytest.raises(Forbidden):
        _conference(db, team, case.id, minutes_category="investigation")


def _client(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username)
    return client


def test_the_page_offers_the_category_and_shows_its_badge(app: FastAPI, db: Session,
                                                          team: dict[str, Any]) -> None:
    case = open_team_case(db, team, summary=GGZ, summary_category="care")
    care = _client(app, team["care"].username)
    page = care.get(f"/cases/{case.id}")
    assert page.status_code == 200 and GGZ in page.text
    assert 'data-category="care"' in page.text
    # The decision form proposes care to a care organisation, labelled in its words.
    assert '<option value="care" selected>zorg of medisch</option>' in page.text
    police = _client(app, team["police"].username)
    page = police.get(f"/cases/{case.id}")
    assert GGZ not in page.text
    assert "Niet zichtbaar voor uw organisatie (zorg of medisch)" in page.text
    assert '<option value="care"' not in page.text  # it cannot write care either
    assert GGZ not in police.get(f"/api/v1/cases/{case.id}").text
    police.get("/lang/en")
    assert "Not visible to your organisation (care or medical)" in police.get(
        f"/cases/{case.id}").text


def test_the_chair_approves_the_minutes_for_those_not_present_in_html(
        app: FastAPI, db: Session, team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    conf = _conference(db, team, case.id)
    police = _client(app, team["police"].username)
    assert "Volledig verslag" not in police.get(f"/cases/{case.id}").text
    coord = _client(app, team["coord"].username)
    page = coord.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/conferences/{conf.id}/summary"' in page
    answer = coord.post(f"/cases/{case.id}/conferences/{conf.id}/summary", data={
        "text": "Afgesproken: veilige opvang", "category": "general",
        "csrf_token": coord.cookies.get("kz_csrf")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = police.get(f"/cases/{case.id}").text
    assert "Afgesproken: veilige opvang" in page and "Volledig verslag" not in page
    assert f'action="/cases/{case.id}/conferences/{conf.id}/summary"' not in page
    refused = police.post(f"/api/v1/cases/{case.id}/conferences/{conf.id}/summary",
                          json={"text": "Mijn versie"},
                          headers=csrf_headers(police))
    assert refused.status_code == 403
