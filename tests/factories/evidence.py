"""Factories for evidence, and what the route-enumerating access test needs of this domain."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.cases.models import Case
from ketenzicht.cases.service import case_ref
from ketenzicht.evidence import service
from ketenzicht.evidence.enums import ItemKind
from ketenzicht.evidence.models import EvidenceItem
from ketenzicht.evidence.schemas import ItemCreate
from tests.factories.access import World
from tests.factories.auth import actor
from tests.factories.cases import make_case


def make_evidence_case(db: Session, user: User, *, suspects: int = 1,
                       participants: list[dict[str, Any]] | None = None) -> Case:
    """A case opened by ``user`` with a presumed victim and ``suspects`` suspects."""
    persons = [{"role": "presumed_victim", "pseudonym": "Slachtoffer A"}]
    persons += [{"role": "suspect", "pseudonym": f"Verdachte {n + 1}"} for n in range(suspects)]
    return make_case(db, user, persons=persons, participants=participants or [])


def make_item(db: Session, user: User, case: Case, *, content: bytes = b"bewijs",
              kind: ItemKind = ItemKind.DOCUMENT, **overrides: Any) -> EvidenceItem:
    """An item added by ``user`` through the service."""
    data = ItemCreate.model_validate({"kind": kind, "title": "Bankafschrift",
                                      "source": "Bank (test)",
                                      "obtained_on": date(2026, 11, 1), **overrides})
    return service.add_item(db, actor=actor(user), case_id=case.id, data=data, content=content)


def _item(db: Session, w: World) -> tuple[int, ResourceRef]:
    case = make_evidence_case(db, w.target_user)
    return make_item(db, w.target_user, case).id, case_ref(case)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "item_id": _item,
}

_PREFIX = "/api/v1/cases/{case_id}/evidence"
ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", f"{_PREFIX}/items"): lambda w: {
        "kind": "document", "title": "Huurcontract", "source": "Verhuurder",
        "obtained_on": "2026-11-01", "content_base64": "aHV1cg=="},
    ("POST", f"{_PREFIX}/items/{{item_id}}/links"): lambda w: {
        "element": "middel", "suspect_ids": [1], "strength": "zwak"},
    ("PUT", f"{_PREFIX}/setting"): lambda w: {"framework": "273f-sr"},
    ("PUT", f"{_PREFIX}/charges"): lambda w: {"suspect_id": 1, "subclauses": ["1"]},
    ("POST", f"{_PREFIX}/wage-check"): lambda w: {"on": "2026-01-05", "hours": "40",
                                                   "pay": "500"},
}

ACCESS_PUBLIC = {("GET", "/evidence/keys"): "published dossier-signing public keys (issue 24)",
                 ("GET", "/evidence/keys/{key_id}.pem"): "one published public key (issue 24)"}
