"""Factories for operations, and what the route-enumerating access test needs of this domain.

A *team* is a police organisation with a team leader (drafts) and a named operator, an OM
organisation with the issuing prosecutor, and, for the need-to-know tests, a colleague of
each who is allowed by the permission table but not named on the operation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.core import clock
from ketenzicht.operations import campaigns, conversations, personas, service
from ketenzicht.operations.enums import Direction
from ketenzicht.operations.models import Campaign, Conversation, Operation, Persona
from ketenzicht.operations.schemas import (
    CampaignCreate,
    ConversationCreate,
    DraftUpdate,
    MessageIn,
    OperationCreate,
    OrderFields,
    PersonaCreate,
)
from tests.factories.access import World
from tests.factories.auth import OrganisationFactory, UserFactory, actor


@dataclass
class Team:
    """The people of one operation, and colleagues who are not named on it."""

    leader: User
    operator: User
    prosecutor: User
    colleague: User  # a police officer of the same team organisation, not named
    other_leader: User  # another team leader of the same organisation, not named
    other_prosecutor: User  # a prosecutor of the same OM organisation, not named


def make_team(db: Session, police_org: Any = None) -> Team:
    """A police organisation (or ``police_org``) and an OM organisation with their people."""
    police = police_org or OrganisationFactory(org_type=OrgType.POLITIE)
    om = OrganisationFactory(org_type=OrgType.OM)
    team = Team(
        leader=UserFactory(organisation=police, roles=(Role.COORDINATOR,)),
        operator=UserFactory(organisation=police, roles=(Role.MEDEWERKER,)),
        prosecutor=UserFactory(organisation=om, roles=(Role.MEDEWERKER,)),
        colleague=UserFactory(organisation=police, roles=(Role.MEDEWERKER,)),
        other_leader=UserFactory(organisation=police, roles=(Role.COORDINATOR,)),
        other_prosecutor=UserFactory(organisation=om, roles=(Role.MEDEWERKER,)))
    db.flush()
    return team


def order(team: Team, *, days: int = 30, power: str = "126i", start: datetime | None = None,
          **overrides: Any) -> OrderFields:
    """A complete order naming the team's operator, running ``days`` from ``start``."""
    start = start or clock.now() - timedelta(days=1)
    return OrderFields.model_validate({
        "power": power, "crime": "Mensenhandel (273f Sr), synthetisch",
        "suspect": "Onbekende exploitant", "grounds": "Gelinkte advertenties (test)",
        "service_nature": "Afspraken als klant", "services": ["sexual_services", "meeting"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(days=days)).isoformat(),
        "platforms": ["Testplatform"], "operator_ids": [team.operator.id], **overrides})


def make_operation(db: Session, team: Team, *, issue: bool = True, age: int = 24,
                   **order_overrides: Any) -> tuple[Operation, Persona]:
    """A drafted (and by default issued) operation with one allowed persona."""
    draft = order(team, **order_overrides)
    op = service.create(db, actor=actor(team.leader), data=OperationCreate(
        title="Operatie Test", prosecutor_user_id=team.prosecutor.id, order=draft))
    persona = personas.create(db, actor=actor(team.leader), operation_id=op.id,
                              data=PersonaCreate(name="Lisa (test)", stated_age=age))
    full = draft.model_copy(update={"persona_ids": [persona.id]})
    service.update_draft(db, actor=actor(team.leader), operation_id=op.id,
                         data=DraftUpdate(version=op.version, order=full))
    if issue:
        service.issue(db, actor=actor(team.prosecutor), operation_id=op.id)
    return op, persona


def make_conversation(db: Session, team: Team, op: Operation, persona: Persona,
                      lines: list[tuple[Direction, str]] | None = None,
                      handle: str = "klant_1") -> Conversation:
    """A conversation of the persona, with ``lines`` recorded by the operator."""
    conv = conversations.open_conversation(db, actor=actor(team.operator), operation_id=op.id,
                                           data=ConversationCreate(
                                               persona_id=persona.id, platform="Testplatform",
                                               counterpart_handle=handle))
    for direction, text in lines or []:
        conversations.record(db, actor=actor(team.operator), operation_id=op.id,
                             conversation_id=conv.id,
                             data=MessageIn(direction=direction, text=text))
    return conv


def make_campaign(db: Session, team: Team, op: Operation) -> Campaign:
    """A deterrence campaign under the operation's order, started by the operator."""
    return campaigns.create(db, actor=actor(team.operator), operation_id=op.id,
                            data=CampaignCreate(public_label="Campagne Teststad",
                                                help_url="https://hulp.example/stop"))


@dataclass
class _Made:
    """One operation of the access test's world, with a record for each path parameter."""

    op: Operation
    persona: Persona
    conversation: Conversation
    campaign: Campaign


# The route-enumerating access test asks for a record per path parameter of every route
# (about 30 routes here, twice): one operation per world serves them all, since nobody it
# lets in changes it. Keyed by the world's id, holding the world so the id is not reused.
_MADE: dict[int, tuple[World, _Made]] = {}


def _made(db: Session, w: World) -> _Made:
    kept = _MADE.get(id(w))
    if kept is not None and kept[0] is w:
        return kept[1]
    # The access test's owner organisation holds the operation; its target user is not
    # named on it, so the table may allow them while the operation still refuses them.
    team = make_team(db, police_org=w.owner)
    op, persona = make_operation(db, team)
    made = _Made(op, persona, make_conversation(db, team, op, persona),
                 make_campaign(db, team, op))
    _MADE.clear()
    _MADE[id(w)] = (w, made)
    return made


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "operation_id": lambda db, w: (_made(db, w).op.id, service.ref(_made(db, w).op)),
    "persona_id": lambda db, w: (_made(db, w).persona.id, service.ref(_made(db, w).op)),
    "conversation_id": lambda db, w: (_made(db, w).conversation.id,
                                      service.ref(_made(db, w).op)),
    "campaign_id": lambda db, w: (_made(db, w).campaign.id, service.ref(_made(db, w).op)),
}
ACCESS_PUBLIC = {("GET", "/hulp/{token}"): "a campaign's help link, counted anonymously "
                                           "(issue 17)"}

_P = "/api/v1/operations"
_C = f"{_P}/{{operation_id}}/conversations/{{conversation_id}}"
_WHEN = "2026-12-01T00:00:00+00:00"
ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", _P): lambda w: {"title": "Operatie", "prosecutor_user_id": w.target_user.id,
                             "order": {"power": "126i", "starts_at": _WHEN,
                                       "ends_at": "2027-01-01T00:00:00+00:00"}},
    ("PUT", f"{_P}/{{operation_id}}/draft"): lambda w: {
        "version": 1, "order": {"power": "126i", "starts_at": _WHEN,
                                "ends_at": "2027-01-01T00:00:00+00:00"}},
    ("POST", f"{_P}/{{operation_id}}/extend"): lambda w: {"ends_at": "2027-06-01T00:00:00+00:00"},
    ("POST", f"{_P}/{{operation_id}}/end"): lambda w: {"reason": "Klaar"},
    ("POST", f"{_P}/{{operation_id}}/personas"): lambda w: {"name": "X", "stated_age": 30},
    ("POST", f"{_P}/{{operation_id}}/personas/{{persona_id}}/images"): lambda w: {
        "filename": "a.png", "provenance": "synthetic", "note": "gegenereerd",
        "content_base64": "iVBORw0KGgo="},
    ("POST", f"{_P}/{{operation_id}}/conversations"): lambda w: {
        "persona_id": 1, "platform": "Testplatform", "counterpart_handle": "k"},
    ("POST", f"{_C}/messages"): lambda w: {"direction": "inbound", "text": "hoi"},
    ("POST", f"{_C}/import"): lambda w: {"format": "json", "content": "[]"},
    ("POST", f"{_C}/export"): lambda w: {"case_id": 1},
    ("POST", f"{_C}/signal"): lambda w: {"form": "sexual"},
}
