"""Case conferences: minutes immutable once approved, corrections as new versions, decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases import coordination, reads, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.enums import ConferenceStatus, TaskStatus
from ketenzicht.cases.schemas import (
    ConferenceIn,
    DecisionIn,
    MinutesCorrectionIn,
    MinutesIn,
    Versioned,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from tests.cases.conftest import open_team_case
from tests.factories.auth import actor
from tests.stale import stale

LATER = datetime(2030, 1, 7, 10, tzinfo=UTC)


def _plan(db: Session, team: dict[str, Any]) -> tuple[int, int]:
    case = open_team_case(db, team)
    o = team["orgs"]
    row = conferences.plan(db, actor=actor(team["coord"]), case_id=case.id, data=ConferenceIn(
        held_at=LATER, agenda=["Veiligheid", "Opvang"],
        attendee_org_ids=[o[OrgType.POLITIE].id, o[OrgType.ZORG].id]))
    return case.id, row.id


def test_minutes_are_immutable_once_final(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord, police = actor(team["coord"]), actor(team["police"])
    row = conferences.edit_minutes(db, actor=police, case_id=case_id, conference_id=conf_id,
                                   data=MinutesIn(version=1, minutes="Besproken: veiligheid."))
    with pytest.raises(Conflict, match=stale(2, 1)):
        conferences.edit_minutes(db, actor=police, case_id=case_id, conference_id=conf_id,
                                 data=MinutesIn(version=1, minutes="oud"))
    with pytest.raises(Forbidden):  # only the coordinator approves
        conferences.finalise(db, actor=police, case_id=case_id, conference_id=conf_id,
                             data=Versioned(version=row.version))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=row.version))
    assert row.status is ConferenceStatus.FINAL and row.finalised_by_user_id == team["coord"].id
    with pytest.raises(Conflict):
        conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                                 data=MinutesIn(version=row.version, minutes="herschreven"))
    # The model refuses too, should a write ever go around the service.
    row.minutes = "stiekem"
    with pytest.raises(ValueError, match="final"):
        db.flush()
    db.rollback()


def _approved(db: Session, team: dict[str, Any], text: str = "Afspraak: opvang regelen."
              ) -> tuple[int, int]:
    case_id, conf_id = _plan(db, team)
    coord = actor(team["coord"])
    conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                             data=MinutesIn(version=1, minutes=text))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=2))
    return case_id, conf_id


def _fix(supersedes: int, text: str = "Afspraak: opvang in regio Oost regelen.",
         reason: str = "regio stond verkeerd") -> MinutesCorrectionIn:
    return MinutesCorrectionIn(supersedes=supersedes, text=text, reason=reason)


def test_a_correction_is_a_new_version_that_points_to_the_old(db: Session,
                                                               team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord, care = actor(team["coord"]), actor(team["care"])
    with pytest.raises(ValidationFailed):  # a draft is edited, not corrected
        conferences.correct(db, actor=coord, case_id=case_id, conference_id=conf_id,
                            data=_fix(1))
    conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                             data=MinutesIn(version=1, minutes="Afspraak: opvang regelen."))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=2))
    first = conferences.current_version(db, conf_id)
    assert first is not None and (first.number, first.text, first.supersedes_id,
                                  first.author_user_id) == (
        1, "Afspraak: opvang regelen.", None, team["coord"].id)
    second = conferences.correct(db, actor=care, case_id=case_id, conference_id=conf_id,
                                 data=_fix(1))
    assert (second.number, second.supersedes_id, second.author_user_id, second.reason) == (
        2, first.id, team["care"].id, "regio stond verkeerd")
    db.expire_all()
    assert first.text == "Afspraak: opvang regelen."  # the old version is stored unchanged

    view = reads.case_read(db, actor=coord, case_id=case_id)
    conf = view.conferences[0]
    assert (conf.minutes, conf.current_version) == ("Afspraak: opvang in regio Oost regelen.", 2)
    assert [(v.number, v.current, v.superseded_by_id) for v in conf.versions] == [
        (1, False, second.id), (2, True, None)]
    care_org = team["orgs"][OrgType.ZORG].name
    assert (conf.versions[1].author_org_name, conf.versions[1].reason) == (
        care_org, "regio stond verkeerd")
    assert conf.versions[0].text == "Afspraak: opvang regelen."
    minutes = [i.text for i in view.timeline if i.kind == "minutes"]
    assert len(minutes) == 2 and care_org in minutes[1] and care_org not in minutes[0]
    assert "regio stond verkeerd" in minutes[1]


def test_correcting_a_version_that_was_corrected_is_refused(db: Session,
                                                            team: dict[str, Any]) -> None:
    case_id, conf_id = _approved(db, team)
    police, care = actor(team["police"]), actor(team["care"])
    conferences.correct(db, actor=care, case_id=case_id, conference_id=conf_id, data=_fix(1))
    with pytest.raises(Conflict) as refused:  # police read version 1 too, and was second
        conferences.correct(db, actor=police, case_id=case_id, conference_id=conf_id,
                            data=_fix(1, text="Afspraak: opvang in Venlo.", reason="plaats"))
    assert refused.value.params == {"current": 2, "edited": 1}
    with pytest.raises(ValidationFailed):  # nothing changed
        conferences.correct(db, actor=police, case_id=case_id, conference_id=conf_id,
                            data=_fix(2, text="Afspraak: opvang in regio Oost regelen.\r\n"))
    with pytest.raises(Forbidden):  # not taking part
        conferences.correct(db, actor=actor(team["outsider"]), case_id=case_id,
                            conference_id=conf_id, data=_fix(2, text="x"))
    third = conferences.correct(db, actor=police, case_id=case_id, conference_id=conf_id,
                                data=_fix(2, text="Afspraak: opvang in Venlo.", reason="plaats"))
    assert [v.number for v in conferences.versions_of(db, [conf_id])] == [1, 2, 3]
    assert third.number == 3


def test_two_corrections_of_one_version_cannot_both_win(db: Session, team: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The loser of a race read the same version as the winner; the database refuses it."""
    case_id, conf_id = _approved(db, team)
    stale = conferences.current_version(db, conf_id)
    conferences.correct(db, actor=actor(team["care"]), case_id=case_id, conference_id=conf_id,
                        data=_fix(1))
    monkeypatch.setattr(conferences, "current_version", lambda _s, _c: stale)
    with pytest.raises(Conflict) as refused:
        conferences.correct(db, actor=actor(team["police"]), case_id=case_id,
                            conference_id=conf_id, data=_fix(1, text="Anders.", reason="plaats"))
    assert refused.value.params == {"current": 2, "edited": 1}
    assert [v.author_user_id for v in conferences.versions_of(db, [conf_id])] == [
        team["coord"].id, team["care"].id]


def test_versions_cannot_change_in_the_database(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _approved(db, team)
    conferences.correct(db, actor=actor(team["care"]), case_id=case_id, conference_id=conf_id,
                        data=_fix(1))
    first = conferences.versions_of(db, [conf_id])[0]
    for statement in ("UPDATE case_minutes_version SET text = 'stiekem' WHERE id = :id",
                      "DELETE FROM case_minutes_version WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            db.execute(text(statement), {"id": first.id})
    # Removing the whole conference (as with its case) still takes its versions along.
    gone = db.begin_nested()
    db.execute(text("DELETE FROM case_conference WHERE id = :id"), {"id": conf_id})
    assert db.scalar(text("SELECT count(*) FROM case_minutes_version "
                          "WHERE conference_id = :id"), {"id": conf_id}) == 0
    gone.rollback()
    first.text = "stiekem"
    with pytest.raises(ValueError, match="approved"):  # the model refuses before the database
        db.flush()
    db.rollback()


def test_finalising_completes_the_conference_task(db: Session, team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    conferences.edit_minutes(db, actor=actor(team["coord"]), case_id=case_id,
                             conference_id=conf_id, data=MinutesIn(version=1, minutes="ok"))
    conferences.finalise(db, actor=actor(team["coord"]), case_id=case_id,
                         conference_id=conf_id, data=Versioned(version=2))
    task = next(t for t in service.tasks_of(db, case_id) if t.task_key == "case_conference")
    assert task.status is TaskStatus.DONE


def test_decisions_in_a_conference_record_who_and_why(db: Session,
                                                      team: dict[str, Any]) -> None:
    case_id, conf_id = _plan(db, team)
    coord = actor(team["coord"])
    care_org = team["orgs"][OrgType.ZORG].id
    row = coordination.add_decision(db, actor=coord, case_id=case_id, data=DecisionIn(
        text="Opvang regelen", rationale="acuut gevaar op de huidige plek",
        owner_org_id=care_org, due_at=clock.now() + timedelta(days=2), conference_id=conf_id))
    assert (row.decided_by_user_id, row.rationale, row.conference_id) == (
        team["coord"].id, "acuut gevaar op de huidige plek", conf_id)
    conferences.edit_minutes(db, actor=coord, case_id=case_id, conference_id=conf_id,
                             data=MinutesIn(version=1, minutes="Besluit genomen."))
    conferences.finalise(db, actor=coord, case_id=case_id, conference_id=conf_id,
                         data=Versioned(version=2))
    with pytest.raises(Conflict):  # no decisions are added to final minutes
        coordination.add_decision(db, actor=coord, case_id=case_id, data=DecisionIn(
            text="Nog iets", rationale="vergeten", owner_org_id=care_org,
            conference_id=conf_id))
    other = open_team_case(db, team)
    with pytest.raises(ValidationFailed):  # a conference of another case
        coordination.add_decision(db, actor=coord, case_id=other.id, data=DecisionIn(
            text="Nog iets", rationale="vergeten", owner_org_id=care_org,
            conference_id=conf_id))
    view = reads.case_read(db, actor=coord, case_id=case_id)
    assert [d.text for d in view.conferences[0].decisions] == ["Opvang regelen"]


def test_attendees_must_take_part_and_times_need_a_zone(db: Session,
                                                        team: dict[str, Any]) -> None:
    case = open_team_case(db, team)
    coord = actor(team["coord"])
    with pytest.raises(ValidationFailed):
        conferences.plan(db, actor=coord, case_id=case.id, data=ConferenceIn(
            held_at=LATER, attendee_org_ids=[team["outside"].id]))
    with pytest.raises(ValidationFailed):
        conferences.plan(db, actor=coord, case_id=case.id, data=ConferenceIn(
            held_at=LATER.replace(tzinfo=None)))
    with pytest.raises(Forbidden):
        conferences.plan(db, actor=actor(team["outsider"]), case_id=case.id,
                         data=ConferenceIn(held_at=LATER))
