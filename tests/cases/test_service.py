"""Opening, need-to-know, status, tasks, reminders and the coordinator hand-over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.cases import coordination, flows, reads, service
from ketenzicht.cases.enums import CaseStatus, HandoverStatus, TaskStatus
from ketenzicht.cases.schemas import (
    CaseFromSignals,
    DecisionIn,
    HandoverIn,
    TaskAssign,
    TransitionIn,
)
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.cases import make_case
from tests.factories.signals import make_signal
from tests.stale import stale

MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def chain(db: Session) -> dict[str, object]:
    gemeente = OrganisationFactory(org_type=OrgType.GEMEENTE)
    politie = OrganisationFactory(org_type=OrgType.POLITIE)
    zorg = OrganisationFactory(org_type=OrgType.ZORG)
    comensha = OrganisationFactory(org_type=OrgType.COMENSHA)
    return {
        "coord": UserFactory(organisation=gemeente, roles=(Role.COORDINATOR,)),
        "police": UserFactory(organisation=politie), "care": UserFactory(organisation=zorg),
        "outsider": UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE)),
        "national": UserFactory(organisation=comensha, roles=(Role.COORDINATOR,)),
        "politie": politie, "zorg": zorg, "comensha": comensha,
    }


def _open(db: Session, chain: dict[str, object], **kw: object):  # type: ignore[no-untyped-def]
    return make_case(db, chain["coord"], participants=[  # type: ignore[arg-type]
        {"org_id": chain["politie"].id, "phase": "opsporing"},  # type: ignore[attr-defined]
        {"org_id": chain["zorg"].id, "phase": "hulpverlening"}], **kw)  # type: ignore[attr-defined]


def test_open_creates_the_tasks_of_the_template(db: Session, chain: dict) -> None:
    with clock.frozen(MONDAY):
        case = _open(db, chain, acute_danger=True, persons=[
            {"role": "presumed_victim", "pseudonym": "A.", "nationality": "RO"},
            {"role": "suspect", "pseudonym": "V."}])
    tasks = {t.task_key: t for t in service.tasks_of(db, case.id)}
    # The end of the B8 period is not a task yet: it counts from acceptance (issue 18),
    # see tests/cases/test_b8.py.
    assert set(tasks) == {"case_conference", "safety_assessment", "care_contact", "b8_offer"}
    assert tasks["safety_assessment"].due_at == MONDAY + timedelta(hours=24)
    assert tasks["safety_assessment"].owner_org_id == chain["politie"].id
    assert tasks["care_contact"].owner_org_id == chain["zorg"].id
    assert tasks["care_contact"].due_at == MONDAY + timedelta(days=2)
    # Ten working days from Monday 23 November: Monday 7 December.
    assert tasks["case_conference"].due_at == datetime(2026, 12, 7, 9, tzinfo=UTC)
    assert case.status is CaseStatus.AANGEMELD


def test_only_participants_see_a_case(db: Session, chain: dict) -> None:
    case = _open(db, chain)
    for who in ("coord", "police", "care", "national"):
        assert service.get_case(db, actor=actor(chain[who]), case_id=case.id).id == case.id
        assert case.id in [c.id for c in service.list_cases(db, actor=actor(chain[who]))]
    with pytest.raises(Forbidden):
        service.get_case(db, actor=actor(chain["outsider"]), case_id=case.id)
    assert case.id not in [c.id for c in service.list_cases(db, actor=actor(chain["outsider"]))]


def test_transition_needs_coordinator_current_version_and_table(db: Session,
                                                                chain: dict) -> None:
    case = _open(db, chain)
    coord = actor(chain["coord"])
    step = TransitionIn(version=case.version, to_status=CaseStatus.IN_BEHANDELING,
                        reason="intake klaar")
    with pytest.raises(Forbidden):
        service.transition(db, actor=actor(chain["police"]), case_id=case.id, data=step)
    with pytest.raises(ValidationFailed):
        service.transition(db, actor=coord, case_id=case.id, data=TransitionIn(
            version=case.version, to_status=CaseStatus.HEROPEND, reason="waarom niet"))
    with pytest.raises(Conflict, match=stale(case.version, case.version + 1)):
        service.transition(db, actor=coord, case_id=case.id, data=TransitionIn(
            version=case.version + 1, to_status=CaseStatus.IN_BEHANDELING, reason="oud"))
    assert case.status is CaseStatus.AANGEMELD
    service.transition(db, actor=coord, case_id=case.id, data=step)
    history = service.status_history(db, case.id)
    assert [(h.to_status, h.reason) for h in history][-1] == (CaseStatus.IN_BEHANDELING,
                                                              "intake klaar")


def test_handover_needs_acceptance(db: Session, chain: dict) -> None:
    case = _open(db, chain)
    row = coordination.propose_handover(db, actor=actor(chain["coord"]), case_id=case.id,
                                        data=HandoverIn(to_org_id=chain["politie"].id,
                                                        reason="opsporing leidt"))
    assert case.coordinator_org_id == chain["coord"].organisation_id
    with pytest.raises(Conflict):
        coordination.propose_handover(db, actor=actor(chain["coord"]), case_id=case.id,
                                      data=HandoverIn(to_org_id=chain["zorg"].id, reason="x" * 3))
    with pytest.raises(Forbidden):
        coordination.accept_handover(db, actor=actor(chain["care"]), case_id=case.id,
                                     handover_id=row.id)
    coordination.accept_handover(db, actor=actor(chain["police"]), case_id=case.id,
                                 handover_id=row.id)
    assert case.coordinator_org_id == chain["politie"].id
    assert row.status is HandoverStatus.ACCEPTED
    raci = reads.case_read(db, actor=actor(chain["police"]), case_id=case.id).raci
    assert {r.accountable for r in raci} == {chain["politie"].name}
    with pytest.raises(ValidationFailed):  # outsiders cannot be proposed
        coordination.propose_handover(db, actor=actor(chain["police"]), case_id=case.id,
                                      data=HandoverIn(
                                          to_org_id=chain["outsider"].organisation_id,
                                          reason="zomaar"))


def test_assign_task_only_to_participants(db: Session, chain: dict) -> None:
    case = _open(db, chain)
    task = service.tasks_of(db, case.id)[0]
    coord = actor(chain["coord"])
    with pytest.raises(ValidationFailed):
        service.assign_task(db, actor=coord, case_id=case.id, task_id=task.id, data=TaskAssign(
            version=task.version, owner_org_id=chain["outsider"].organisation_id))
    service.assign_task(db, actor=coord, case_id=case.id, task_id=task.id,
                        data=TaskAssign(version=task.version, owner_org_id=chain["zorg"].id,
                                        assignee_user_id=chain["care"].id))
    assert task.owner_org_id == chain["zorg"].id


def test_reminders_escalate_and_are_sent_once(db: Session, chain: dict) -> None:
    with clock.frozen(MONDAY):
        case = _open(db, chain, acute_danger=True)
    assert service.remind(db, now=MONDAY + timedelta(hours=23)) == {"reminded": 0,
                                                                    "escalated": 0}
    assert service.remind(db, now=MONDAY + timedelta(hours=25)) == {"reminded": 1,
                                                                    "escalated": 0}
    assert service.remind(db, now=MONDAY + timedelta(hours=26))["reminded"] == 0
    counts = service.remind(db, now=MONDAY + timedelta(hours=37))
    assert counts == {"reminded": 0, "escalated": 1}
    sent = {(r.level, r.recipient_org_id) for r in
            __import__("ketenzicht.cases.tasks", fromlist=["x"]).reminders_for(db, case.id)}
    assert (1, case.coordinator_org_id) in sent
    assert (2, service.strategic_org_id(db)) in sent
    assert service.remind(db, now=MONDAY + timedelta(hours=40)) == {"reminded": 0,
                                                                    "escalated": 0}


def test_done_tasks_do_not_escalate(db: Session, chain: dict) -> None:
    with clock.frozen(MONDAY):
        case = _open(db, chain, acute_danger=True)
    for task in service.tasks_of(db, case.id):
        task.status = TaskStatus.DONE
    db.flush()
    assert service.remind(db, now=MONDAY + timedelta(days=200)) == {"reminded": 0,
                                                                    "escalated": 0}


def test_decision_due_date_in_the_past_is_refused(db: Session, chain: dict) -> None:
    case = _open(db, chain)
    data = DecisionIn(text="Opvang regelen", rationale="veiligheid eerst",
                      owner_org_id=chain["zorg"].id, due_at=clock.now() - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        coordination.add_decision(db, actor=actor(chain["coord"]), case_id=case.id, data=data)
    row = coordination.add_decision(db, actor=actor(chain["coord"]), case_id=case.id,
                                    data=data.model_copy(update={"due_at": None}))
    assert row.decided_by_user_id == chain["coord"].id


def test_unknown_organisation_is_refused(db: Session, chain: dict) -> None:
    with pytest.raises(ValidationFailed):
        make_case(db, chain["coord"], participants=[{"org_id": 987654, "phase": "opvang"}])


def test_open_from_signals(db: Session, chain: dict) -> None:
    signal = make_signal(db, chain["coord"], acute_danger=True)
    case = flows.open_from_signals(db, actor=actor(chain["coord"]), data=CaseFromSignals(
        signal_ids=[signal.id], title="Kas Vers"))
    assert [s.signal_id for s in case.signal_links] == [signal.id]
    assert [p.pseudonym for p in case.persons] == ["Ion P."]
    assert "safety_assessment" in {t.task_key for t in service.tasks_of(db, case.id)}
    with pytest.raises(Forbidden):  # a signal the actor may not see
        flows.open_from_signals(db, actor=actor(chain["outsider"]), data=CaseFromSignals(
            signal_ids=[signal.id], title="Kas Vers"))
