"""Factories for the procedures (B8, meldcode), and what the access test needs of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.cases.models import Case
from ketenzicht.cases.procedures import b8
from ketenzicht.cases.procedures.models import CaseProcedure
from ketenzicht.cases.procedures.schemas import B8Offer
from ketenzicht.cases.service import case_ref
from tests.factories.access import World
from tests.factories.auth import actor
from tests.factories.cases import make_case


def case_with_victim(db: Session, user: User, nationality: str = "UA",
                     **overrides: Any) -> Case:
    """A case of ``user`` with one presumed victim of ``nationality``."""
    return make_case(db, user, persons=[{"role": "presumed_victim", "pseudonym": "Olena K.",
                                         "nationality": nationality}], **overrides)


def offer_b8(db: Session, police: User, case: Case, **overrides: Any) -> CaseProcedure:
    """The police's B8 offer to the case's first person."""
    data = B8Offer.model_validate({"person_id": case.persons[0].id, "age_group": "adult",
                                   **overrides})
    return b8.offer(db, actor=actor(police), case_id=case.id, data=data)


def _procedure(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = case_with_victim(db, w.target_user)  # the owner is a police organisation
    return offer_b8(db, w.target_user, case).id, case_ref(case)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "procedure_id": _procedure,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", "/api/v1/cases/{case_id}/b8"): lambda w: {"person_id": 1},
    ("POST", "/api/v1/cases/{case_id}/b8/{procedure_id}/steps"): lambda w: {
        "version": 1, "to_state": "accepted"},
    ("POST", "/api/v1/cases/{case_id}/meldcode"): lambda w: {},
    ("POST", "/api/v1/cases/{case_id}/meldcode/{procedure_id}/steps"): lambda w: {
        "version": 1, "step": "signs"},
    ("POST", "/api/v1/cases/{case_id}/plans"): lambda w: {"kind": "triage", "text": "Triage"},
}
