"""Demo cases: about 30, in every phase and several regions, some overdue, some handed over."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import coordination, escalation, notes, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.enums import (
    CASE_MACHINE,
    CaseStatus,
    DataCategory,
    FieldCategory,
    PersonRole,
    Phase,
    Raci,
    ReferralStatus,
    TaskStatus,
)
from ketenzicht.cases.procedures import b8, legal
from ketenzicht.cases.procedures.enums import AgeGroup
from ketenzicht.cases.procedures.schemas import B8Offer, B8Step
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    CaseCreate,
    ConferenceIn,
    DecisionIn,
    HandoverIn,
    MinutesCorrectionIn,
    MinutesSummaryIn,
    NoteIn,
    ReferralAnswer,
    ReferralIn,
    TaskAssign,
    TransitionIn,
    Versioned,
)
from ketenzicht.core import clock

DEMO_CASES = 30
REGIONS = ["den-haag", "rotterdam", "amsterdam", "oost-nederland", "noord-nederland",
           "limburg", "midden-nederland", "zeeland-west-brabant"]
NATIONALITIES = ["RO", "BG", "PL", "UA", "NG", "VN", "NL", "ER"]
PATHS = [[], [CaseStatus.IN_BEHANDELING],
         [CaseStatus.IN_BEHANDELING, CaseStatus.HULPVERLENING],
         [CaseStatus.IN_BEHANDELING, CaseStatus.OPSPORING],
         [CaseStatus.IN_BEHANDELING, CaseStatus.OPSPORING_EN_HULPVERLENING],
         [CaseStatus.IN_BEHANDELING, CaseStatus.HULPVERLENING, CaseStatus.AFGESLOTEN]]
OPENERS = (OrgType.GEMEENTE, OrgType.POLITIE, OrgType.COMENSHA, OrgType.ARBEIDSINSPECTIE)


class _Context(Protocol):
    def actors(self, session: Session, *, via: str = ...) -> dict[OrgType, Actor]: ...


def seed(session: Session, ctx: _Context) -> None:
    """The demo seeder (declared in the manifest)."""
    actors = ctx.actors(session)
    if all(t in actors for t in (*OPENERS, OrgType.ZORG, OrgType.OPVANG, OrgType.OM)):
        seed_cases(session, actors)


def seed_cases(session: Session, actors: dict[OrgType, Actor], count: int = DEMO_CASES,
               seed: int = 2024) -> int:
    """Open ``count`` synthetic cases over the last five weeks and move them along."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    org = {t: a.organisation_id for t, a in actors.items()}
    start = clock.now() - timedelta(days=35)
    for i in range(count):
        opener = actors[OPENERS[i % len(OPENERS)]]
        nationality = rng.choice(NATIONALITIES)
        participants = [
            {"org_id": org[OrgType.POLITIE], "phase": Phase.OPSPORING, "raci": Raci.RESPONSIBLE},
            {"org_id": org[OrgType.ZORG], "phase": Phase.HULPVERLENING,
             "raci": Raci.RESPONSIBLE},
            {"org_id": org[OrgType.OPVANG], "phase": Phase.OPVANG, "raci": Raci.CONSULTED},
            {"org_id": org[OrgType.OM], "phase": Phase.VERVOLGING, "raci": Raci.INFORMED},
            {"org_id": org[OrgType.GEMEENTE], "phase": Phase.HULPVERLENING,
             "raci": Raci.CONSULTED}]
        data = CaseCreate.model_validate({
            "title": f"Casus demo {i + 1}", "region": REGIONS[i % len(REGIONS)],
            "summary": "Synthetische demo-casus; geen echte personen.",
            "acute_danger": rng.random() < 0.2, "participants": participants,
            "persons": [{"role": PersonRole.PRESUMED_VICTIM, "pseudonym": f"Persoon {i + 1}A",
                         "nationality": nationality},
                        {"role": PersonRole.SUSPECT, "pseudonym": f"Persoon {i + 1}V"}]})
        with clock.frozen(start + timedelta(hours=20 * i)) as frozen:
            case = service.open_case(session, data=data, actor=opener)
            for step in PATHS[i % len(PATHS)]:
                frozen.advance(timedelta(days=1))
                if step in CASE_MACHINE.allowed(case.status):
                    service.transition(session, actor=opener, case_id=case.id, data=TransitionIn(
                        version=case.version, to_status=step, reason="Demo: volgende fase"))
            _coordination(session, i, case.id, opener, actors, org, frozen.advance)
            if i == 1:
                _assign_to_person(session, case.id, opener)
            if i % 5 == 0 and nationality != "NL":
                _b8(session, case, actors[OrgType.POLITIE], i, frozen.advance)
            if i % 7 == 3 and opener.organisation_id != org[OrgType.GEMEENTE]:
                coordination.propose_handover(session, actor=opener, case_id=case.id,
                                              data=HandoverIn(to_org_id=org[OrgType.GEMEENTE],
                                                              reason="Zorgcoördinatie neemt "
                                                                     "de regie over"))
    escalation.run(session)
    return count


def _b8(session: Session, case: service.Case, police: Actor, i: int,
        advance: Callable[[timedelta], object]) -> None:
    """The police offer the B8 reflection period; some accept, and then it runs."""
    person = case.persons[0]
    row = b8.offer(session, actor=police, case_id=case.id, data=B8Offer(
        person_id=person.id, age_group=AgeGroup.ADULT,
        note="Demo: EU-burger zonder verblijfsrecht (niet economisch actief)"
        if legal.b8().variant_for(person.nationality).key == "eu_eea_ch" else ""))
    for to in ("accepted", "running")[: 2 if i % 10 == 0 else 1]:
        advance(timedelta(hours=2))
        b8.step(session, actor=police, case_id=case.id, procedure_id=row.id,
                data=B8Step(version=row.version, to_state=to))


def _assign_to_person(session: Session, case_id: int, coordinator: Actor) -> None:
    """Give the case's first open task to one of the coordinator's own people by name
    (the check that they work there reads their account, audited under the coordinator)."""
    task = next((t for t in service.tasks_of(session, case_id)
                 if t.status is TaskStatus.OPEN), None)
    if task is not None:
        service.assign_task(session, actor=coordinator, case_id=case_id, task_id=task.id,
                            data=TaskAssign(version=task.version,
                                            owner_org_id=coordinator.organisation_id,
                                            assignee_user_id=coordinator.user_id))


def _coordination(session: Session, i: int, case_id: int, opener: Actor,
                  actors: dict[OrgType, Actor], org: dict[OrgType, int],
                  advance: Callable[[timedelta], object]) -> None:
    """Notes in each category, some referrals (a few unanswered) and conferences."""
    notes.add_note(session, actor=actors[OrgType.ZORG], case_id=case_id, data=NoteIn(
        category=FieldCategory.CARE, text="Synthetisch: huisarts bezocht, verdere zorg nodig."))
    notes.add_note(session, actor=actors[OrgType.POLITIE], case_id=case_id, data=NoteIn(
        category=FieldCategory.INVESTIGATION, text="Synthetisch: advertenties gevonden."))
    if i % 3 == 1 and opener.organisation_id != org[OrgType.OPVANG]:
        row = referrals.send(session, actor=opener, case_id=case_id, data=ReferralIn(
            to_org_id=org[OrgType.OPVANG], phase=Phase.OPVANG, purpose="Veilige opvangplek",
            legal_basis="consent", legal_basis_note="Demo: toestemming bij intake",
            data_categories=[DataCategory.IDENTITY, DataCategory.SHELTER]))
        if i % 2 == 0:
            advance(timedelta(hours=2))
            referrals.answer(session, actor=actors[OrgType.OPVANG], referral_id=row.id,
                             data=ReferralAnswer(version=row.version,
                                                 to_status=ReferralStatus.ACCEPTED))
    if i % 4 == 2:
        conf = conferences.plan(session, actor=opener, case_id=case_id, data=ConferenceIn(
            held_at=clock.now() + timedelta(days=1), agenda=["Veiligheid", "Opvang"],
            attendee_org_ids=[org[OrgType.POLITIE], org[OrgType.ZORG]],
            minutes="Demo: veiligheid besproken; opvang wordt geregeld."))
        # Organisations not at the table read the version the chair approved for them.
        conferences.approve_summary(session, actor=opener, case_id=case_id,
                                    conference_id=conf.id, data=MinutesSummaryIn(
                                        text="Demo: opvang wordt geregeld.",
                                        category=FieldCategory.GENERAL))
        coordination.add_decision(session, actor=opener, case_id=case_id, data=DecisionIn(
            text="Opvang regelen", rationale="Veiligheid op de huidige plek is onzeker",
            owner_org_id=org[OrgType.ZORG], conference_id=conf.id))
        if i % 8 == 2:
            conferences.finalise(session, actor=opener, case_id=case_id,
                                 conference_id=conf.id, data=Versioned(version=conf.version))
            advance(timedelta(hours=1))
            conferences.correct(session, actor=actors[OrgType.ZORG], case_id=case_id,
                                conference_id=conf.id, data=MinutesCorrectionIn(
                                    supersedes=1, reason="Demo: opvangregio stond verkeerd",
                                    text="Demo: veiligheid besproken; opvang in regio Oost "
                                         "wordt geregeld."))
