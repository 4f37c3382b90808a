"""Factories for cases, and what the route-enumerating access test needs of this domain."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.cases import coordination, emergency, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.models import Case, CaseReferral
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import CaseCreate, ConferenceIn, EmergencyIn, HandoverIn, ReferralIn
from ketenzicht.cases.service import case_ref
from ketenzicht.core import clock
from tests.factories.access import World
from tests.factories.auth import OrganisationFactory, actor


def make_case(db: Session, user: User, **overrides: Any) -> Case:
    """A case opened by ``user`` through the service."""
    data = CaseCreate.model_validate({"title": "Casus Westland", **overrides})
    return service.open_case(db, data=data, actor=actor(user))


def _case(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = make_case(db, w.target_user)
    return case.id, case_ref(case)


def _task(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = make_case(db, w.target_user)
    return service.tasks_of(db, case.id)[0].id, case_ref(case)


def _handover(db: Session, w: World) -> tuple[int, ResourceRef]:
    other = OrganisationFactory(org_type=OrgType.GEMEENTE)
    db.flush()
    case = make_case(db, w.target_user, participants=[
        {"org_id": other.id, "phase": "hulpverlening"}])
    row = coordination.propose_handover(db, actor=actor(w.target_user), case_id=case.id,
                                        data=HandoverIn(to_org_id=other.id, reason="overdracht"))
    return row.id, case_ref(case)


def _conference(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = make_case(db, w.target_user)
    row = conferences.plan(db, actor=actor(w.target_user), case_id=case.id, data=ConferenceIn(
        held_at=clock.now() + timedelta(days=3), agenda=["Veiligheid"], minutes="concept"))
    return row.id, case_ref(case)


def make_referral(db: Session, user: User, to_org_id: int, case: Case | None = None,
                  **overrides: Any) -> CaseReferral:
    """A referral from ``user``'s case to ``to_org_id``."""
    case = case or make_case(db, user)
    data = ReferralIn.model_validate({
        "to_org_id": to_org_id, "phase": "hulpverlening", "purpose": "Zorgcoördinatie",
        "legal_basis": "care_coordination", "data_categories": ["identity", "care"],
        **overrides})
    return referrals.send(db, actor=actor(user), case_id=case.id, data=data)


def _referral(db: Session, w: World) -> tuple[int, ResourceRef]:
    other = OrganisationFactory(org_type=OrgType.GEMEENTE)
    db.flush()
    row = make_referral(db, w.target_user, other.id)
    case = db.get(Case, row.case_id)
    assert case is not None
    return row.id, case_ref(case)


def _access(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = make_case(db, w.target_user)
    row = emergency.break_glass(db, actor=actor(w.target_user), case_id=case.id,
                                data=EmergencyIn(reason="Acuut gevaar voor het slachtoffer"))
    return row.id, case_ref(case)


def _participant(db: Session, w: World) -> tuple[int, ResourceRef]:
    other = OrganisationFactory(org_type=OrgType.ZORG)
    db.flush()
    case = make_case(db, w.target_user, participants=[
        {"org_id": other.id, "phase": "hulpverlening"}])
    row = next(p for p in case.participants if p.org_id == other.id)
    return row.id, case_ref(case)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "case_id": _case, "task_id": _task, "handover_id": _handover,
    "conference_id": _conference, "referral_id": _referral, "access_id": _access,
    "participant_id": _participant,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", "/api/v1/cases"): lambda w: {"title": "Casus"},
    ("POST", "/api/v1/cases/from-signals"): lambda w: {"title": "Casus", "signal_ids": [1]},
    ("POST", "/api/v1/cases/{case_id}/transitions"): lambda w: {
        "version": 1, "to_status": "in_behandeling", "reason": "intake klaar"},
    ("POST", "/api/v1/cases/{case_id}/persons"): lambda w: {
        "role": "witness", "pseudonym": "Getuige A"},
    ("POST", "/api/v1/cases/{case_id}/participants"): lambda w: {
        "org_id": w.owner.id, "phase": "opvang"},
    ("POST", "/api/v1/cases/{case_id}/tasks/{task_id}/assign"): lambda w: {
        "version": 1, "owner_org_id": w.owner.id},
    ("POST", "/api/v1/cases/{case_id}/tasks/{task_id}/complete"): lambda w: {"version": 1},
    ("POST", "/api/v1/cases/{case_id}/handovers"): lambda w: {
        "to_org_id": w.owner.id, "reason": "overdracht"},
    ("POST", "/api/v1/cases/{case_id}/decisions"): lambda w: {
        "text": "Opvang regelen", "rationale": "veiligheid", "owner_org_id": w.owner.id},
    ("POST", "/api/v1/cases/{case_id}/conferences"): lambda w: {
        "held_at": "2030-01-07T10:00:00+00:00", "agenda": ["Veiligheid"]},
    ("PATCH", "/api/v1/cases/{case_id}/conferences/{conference_id}"): lambda w: {
        "version": 1, "minutes": "Besproken: veiligheid"},
    ("POST", "/api/v1/cases/{case_id}/conferences/{conference_id}/finalise"): lambda w: {
        "version": 1},
    ("POST", "/api/v1/cases/{case_id}/conferences/{conference_id}/versions"): lambda w: {
        "supersedes": 1, "text": "Correctie", "reason": "typefout"},
    ("POST", "/api/v1/cases/{case_id}/conferences/{conference_id}/summary"): lambda w: {
        "text": "Samenvatting voor wie er niet was"},
    ("POST", "/api/v1/cases/{case_id}/referrals"): lambda w: {
        "to_org_id": w.owner.id, "phase": "opvang", "purpose": "Opvangplek",
        "legal_basis": "care_coordination", "data_categories": ["identity"]},
    ("POST", "/api/v1/cases/referrals/{referral_id}/answer"): lambda w: {
        "version": 1, "to_status": "accepted"},
    ("POST", "/api/v1/cases/{case_id}/notes"): lambda w: {"text": "Notitie"},
    ("POST", "/api/v1/cases/{case_id}/links"): lambda w: {
        "kind": "online_network", "ref_id": 1},
    ("POST", "/api/v1/cases/{case_id}/emergency-access"): lambda w: {
        "reason": "Acuut gevaar voor het slachtoffer"},
    ("PATCH", "/api/v1/cases/{case_id}/participants/{participant_id}"): lambda w: {
        "raci": "consulted", "reason": "rol gewijzigd"},
    ("POST", "/api/v1/cases/{case_id}/participants/{participant_id}/remove"): lambda w: {
        "reason": "niet meer nodig"},
    ("POST", "/api/v1/cases/{case_id}/handovers/{handover_id}/decline"): lambda w: {
        "reason": "geen capaciteit"},
}
