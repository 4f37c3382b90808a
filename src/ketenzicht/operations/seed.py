"""Demo operation (synthetic data only): one order, two personas, four conversations.

One conversation is clean (the counterpart proposes first), one holds a decoy message the
guard flagged and the operator confirmed, one produced a signal, and in one a would-be
buyer's question triggered the demo deterrence campaign's warning (the prosecutor has
also authorised the campaign's outreach to numbers in ads). A police team leader
account drafts it (drafting is a coordinator's task); it is not listed among the demo
logins, which hold one account per organisation type: log in as ``politie-demo`` (the
named operator) or ``om-demo`` (the prosecutor) to see the operation.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import Actor, UserCreate
from ketenzicht.core import clock
from ketenzicht.operations import campaigns, conversations, flows, personas, service
from ketenzicht.operations.enums import Direction
from ketenzicht.operations.schemas import (
    CampaignCreate,
    ConversationCreate,
    DraftUpdate,
    MessageIn,
    OperationCreate,
    OrderFields,
    OutreachAuthorise,
    PersonaCreate,
    WarningIn,
)
from ketenzicht.signals.schemas import SignalCreate


class _Context(Protocol):
    accounts: list[Any]
    organisations: dict[OrgType, Any]


def _actor(session: Session, username: str) -> Actor | None:
    user = auth_service.find_user(session, username)
    return auth_service.actor_for(user) if user is not None else None


def _team_leader(session: Session, ctx: _Context) -> Actor:
    org = ctx.organisations[OrgType.POLITIE]
    password = "demo-" + secrets.token_urlsafe(12)
    auth_service.create_user(session, actor=None, data=UserCreate(
        username="politie-tl-demo", display_name="Demo teamleider lokprofielen",
        organisation_id=org.id, roles=[Role.COORDINATOR], password=password))
    actor = _actor(session, "politie-tl-demo")
    assert actor is not None
    return actor


_CLEAN = [(Direction.INBOUND, "hoi, ben je beschikbaar vanavond? wat kost een uurtje"),
          (Direction.OUTBOUND, "hoi! wat had je in gedachten?"),
          (Direction.INBOUND, "seks, 150 euro voor een uur, kan dat?"),
          (Direction.OUTBOUND, "150 euro is goed, waar wil je afspreken?")]
_FLAGGED = [(Direction.INBOUND, "hey, ben je nieuw hier?"),
            (Direction.OUTBOUND, "ja, net begonnen. 100 euro per uur?")]
_WARNED = [(Direction.INBOUND, "hoi schat, wat kost een uur met jou vanavond?")]
_SIGNAL = [(Direction.INBOUND, "ik heb meisjes beschikbaar, 120 euro per uur, ik regel alles"),
           (Direction.OUTBOUND, "ok, wie regelt de afspraak dan?"),
           (Direction.INBOUND, "ik, zij spreekt geen nederlands. ik houd haar paspoort")]


def seed(session: Session, ctx: _Context) -> None:
    """The demo seeder (``demo.seed.SEEDERS``)."""
    operator = _actor(session, "politie-demo")
    prosecutor = _actor(session, "om-demo")
    if operator is None or prosecutor is None or OrgType.POLITIE not in ctx.organisations:
        return
    lead = _team_leader(session, ctx)
    now = clock.now()
    order = {"power": "126i", "crime": "Mensenhandel (art. 273f Sr), seksuele uitbuiting via "
             "advertenties op Demoplatform (synthetisch)",
             "suspect": "Onbekende exploitant achter advertenties met telefoon 06-00000000",
             "grounds": "Signalen en gelinkte advertenties in de online-werkruimte (demo).",
             "service_nature": "Pseudo-dienstverlening: afspraken maken als klant, zonder "
             "betaling", "services": ["sexual_services", "meeting"],
             "starts_at": (now - timedelta(days=10)).isoformat(),
             "ends_at": (now + timedelta(days=6)).isoformat(),
             "platforms": ["Demoplatform", "Demochat"], "operator_ids": [operator.user_id]}
    op = service.create(session, actor=lead, data=OperationCreate(
        title="Lokprofielen Demostad (demo)", prosecutor_user_id=prosecutor.user_id,
        order=OrderFields.model_validate(order)))
    made = [personas.create(session, actor=lead, operation_id=op.id, data=PersonaCreate(
        name=name, stated_age=age, description=desc, handles={"Demoplatform": handle}))
        for name, age, desc, handle in (
            ("Lisa (demo)", 24, "Synthetisch profiel; geen echte foto.", "lisa_demo"),
            ("Mark (demo)", 41, "Synthetisch profiel van een 'klant'.", "mark_demo"))]
    order["persona_ids"] = [p.id for p in made]
    service.update_draft(session, actor=lead, operation_id=op.id,
                         data=DraftUpdate(version=op.version,
                                          order=OrderFields.model_validate(order)))
    service.issue(session, actor=prosecutor, operation_id=op.id)
    plan = ((made[0], "klant_demo_1", _CLEAN, ""),
            (made[0], "klant_demo_2", _FLAGGED, "Bevestigd voor de demo: de lokpersoon noemde "
             "als eerste een prijs (synthetisch voorbeeld van een vlag)."),
            (made[1], "regelaar_demo", _SIGNAL, ""),
            (made[0], "koper_demo", _WARNED, ""))
    for n, (persona, handle, lines, reason) in enumerate(plan):
        conv = conversations.open_conversation(session, actor=operator, operation_id=op.id,
                                               data=ConversationCreate(
                                                   persona_id=persona.id,
                                                   platform="Demoplatform",
                                                   counterpart_handle=handle))
        for i, (direction, text) in enumerate(lines):
            conversations.record(session, actor=operator, operation_id=op.id,
                                 conversation_id=conv.id, data=MessageIn(
                                     direction=direction, text=text, confirm_reason=reason,
                                     at=now - timedelta(days=5 - n, minutes=60 - 5 * i)))
        if lines is _WARNED:
            campaign = campaigns.create(session, actor=operator, operation_id=op.id,
                                        data=CampaignCreate(
                                            public_label="Preventiecampagne Demostad (demo)",
                                            help_url="https://hulp.example.org/stop-uitbuiting"))
            campaigns.deliver(session, actor=operator, operation_id=op.id,
                              conversation_id=conv.id,
                              data=WarningIn(campaign_id=campaign.id, language="nl"))
            campaigns.authorise_outreach(
                session, actor=prosecutor, operation_id=op.id, campaign_id=campaign.id,
                data=OutreachAuthorise(reason="Demo: advertenties in het netwerk van de "
                                              "regelaar wijzen op dwang."))
        if lines is _SIGNAL:
            flows.raise_signal(session, actor=operator, operation_id=op.id,
                               conversation_id=conv.id, data=SignalCreate(
                                   form="sexual", place="Demostad",
                                   seen="Uit undercovergesprek (demo): de regelaar houdt het "
                                        "paspoort van een vrouw die geen Nederlands spreekt."))
