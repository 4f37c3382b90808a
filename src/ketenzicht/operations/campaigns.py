"""Deterrence and outreach campaigns, run under an operation's order in force.

A campaign has a public name (what the monitor shows; it must not reveal the operation), a
help link and the triggers it answers. In a conversation, a warning may be sent only after
a trigger fired on a counterpart's message (:mod:`.triggers`); the warning is a decoy-side
message in the conversation's chain like any other (the guard checks it, and the operator's
click is the confirmation, with a reason naming the campaign and the trigger), and the
delivery records which trigger and why.

The help link is ``/hulp/<token>``, a public redirect: it adds one to the campaign's
counter and stores nothing else, not the time, address or browser of whoever clicked.
Outreach to the number in a crawled ad is off until the issuing prosecutor switches it on
with a reason; each message then stores only the ad it came from and its language.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.monitor.schemas import shown
from ketenzicht.online.collection import public as collection
from ketenzicht.operations import conversations, service, triggers
from ketenzicht.operations.enums import Direction
from ketenzicht.operations.models import (
    Campaign,
    CampaignDelivery,
    CampaignOutreach,
    Conversation,
    Message,
    Operation,
)
from ketenzicht.operations.schemas import (
    CampaignCreate,
    CampaignFigures,
    MessageIn,
    OutreachAuthorise,
    OutreachIn,
    WarningIn,
)

NO_TRIGGER = N_("No trigger of this campaign fired on a counterpart message that has not "
                "been answered with a warning yet; nothing was sent.")
OUTREACH_OFF = N_("Outreach is not switched on for this campaign; the issuing prosecutor "
                  "must authorise it first.")
NO_NUMBER = N_("Ad %(id)s has no phone number to reach out to.")
ALREADY_ON = N_("Outreach is already switched on for this campaign.")
CONFIRM = ("Afschrikwaarschuwing van campagne %(campaign)s (vaste tekst, %(language)s), na "
           "trigger %(trigger)s in bericht %(seq)s: %(reason)s")


def help_link(campaign: Campaign, settings: Settings | None = None) -> str:
    """The campaign's counted help link (public, absolute)."""
    return f"{(settings or get_settings()).operations_public_url}/hulp/{campaign.token}"


def selfcheck_link(language: str, settings: Settings | None = None) -> str:
    """The public selfcheck, under its Dutch name for Dutch messages."""
    base = (settings or get_settings()).operations_public_url
    return f"{base}/zelftest" if language == "nl" else f"{base}/selfcheck"


def of_operation(session: Session, op: Operation) -> list[Campaign]:
    """The campaigns of an operation."""
    return list(session.scalars(select(Campaign).where(Campaign.operation_id == op.id)
                                .order_by(Campaign.id)))


def load(session: Session, *, actor: Actor, operation_id: int, campaign_id: int,
         action: str = "operations.view") -> tuple[Operation, Campaign]:
    """An operation and one of its campaigns; refused alike when either is missing."""
    op = service.load(session, actor=actor, operation_id=operation_id, action=action)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.operation_id != op.id:
        raise Forbidden(REFUSED)
    return op, campaign


def create(session: Session, *, actor: Actor, operation_id: int,
           data: CampaignCreate) -> Campaign:
    """Start a campaign under the order in force (the team leader or a named operator)."""
    op = service.load(session, actor=actor, operation_id=operation_id,
                      action="operations.operate")
    service.check_writable(op, acting=True)
    campaign = Campaign(operation_id=op.id, public_label=data.public_label,
                        help_url=data.help_url, token=secrets.token_urlsafe(24),
                        triggers=list(dict.fromkeys(data.triggers)),
                        created_by_user_id=actor.user_id)
    session.add(campaign)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="operation_campaign",
                 resource_id=campaign.id, detail={"operation": op.id,
                                                  "triggers": campaign.triggers})
    return campaign


def authorise_outreach(session: Session, *, actor: Actor, operation_id: int, campaign_id: int,
                       data: OutreachAuthorise) -> Campaign:
    """The issuing prosecutor switches outreach to numbers in ads on, with the reason."""
    op, campaign = load(session, actor=actor, operation_id=operation_id,
                        campaign_id=campaign_id, action="operations.issue")
    service.check_writable(op, acting=True)
    if campaign.outreach_enabled:
        raise Conflict(ALREADY_ON)
    campaign.outreach_enabled = True
    campaign.outreach_authorised_by_user_id = actor.user_id
    campaign.outreach_authorised_at = clock.now()
    campaign.outreach_reason = data.reason
    session.flush()
    audit.record(session, actor=actor, action="authorise_outreach",
                 resource_type="operation_campaign", resource_id=campaign.id,
                 detail={"reason": data.reason})
    return campaign


def pending(session: Session, conv: Conversation, campaign: Campaign) -> list[triggers.Hit]:
    """Triggers of ``campaign`` on the conversation's counterpart messages not yet answered."""
    answered = set(session.scalars(select(CampaignDelivery.trigger_seq).where(
        CampaignDelivery.campaign_id == campaign.id,
        CampaignDelivery.conversation_id == conv.id)))
    hits: list[triggers.Hit] = []
    for seq, text in session.execute(select(Message.seq, Message.text).where(
            Message.conversation_id == conv.id, Message.direction == Direction.INBOUND)
            .order_by(Message.seq)):
        if seq not in answered:
            hits.extend(triggers.classify(text, int(seq), campaign.triggers))
    return hits


def deliver(session: Session, *, actor: Actor, operation_id: int, conversation_id: int,
            data: WarningIn, settings: Settings | None = None) -> CampaignDelivery:
    """Send the campaign's warning for the latest unanswered trigger in the conversation."""
    op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                  conversation_id=conversation_id,
                                  action="operations.operate")
    _op, campaign = load(session, actor=actor, operation_id=op.id,
                         campaign_id=data.campaign_id, action="operations.operate")
    service.check_writable(op, acting=True)
    hits = pending(session, conv, campaign)
    if not hits:
        raise ValidationFailed(NO_TRIGGER)
    hit = hits[-1]
    text = triggers.render(hit.kind, data.language, link=help_link(campaign, settings))
    reason = CONFIRM % {"campaign": campaign.id, "language": data.language,
                        "trigger": hit.kind, "seq": hit.seq,
                        "reason": gettext(hit.reason) % hit.params}
    message = conversations.record(session, actor=actor, operation_id=op.id,
                                   conversation_id=conv.id, settings=settings,
                                   data=MessageIn(direction=Direction.OUTBOUND, text=text,
                                                  confirm_reason=reason[:2000]))
    delivery = CampaignDelivery(campaign_id=campaign.id, conversation_id=conv.id,
                                message_id=message.id, trigger=hit.kind, trigger_seq=hit.seq,
                                reason=hit.reason, params=dict(hit.params),
                                language=data.language, at=clock.now())
    session.add(delivery)
    session.flush()
    audit.record(session, actor=actor, action="warn", resource_type="operation_campaign",
                 resource_id=campaign.id, detail={"conversation": conv.id, "seq": message.seq,
                                                  "trigger": hit.kind})
    return delivery


@dataclass(frozen=True)
class Outreach:
    """What the operator sends from the undercover phone: shown once, the number not kept."""

    to: str
    text: str
    language: str
    record: CampaignOutreach


def outreach(session: Session, *, actor: Actor, operation_id: int, campaign_id: int,
             data: OutreachIn, settings: Settings | None = None) -> Outreach:
    """Prepare one outreach message to the number in an ad; store only the ad and language."""
    op, campaign = load(session, actor=actor, operation_id=operation_id,
                        campaign_id=campaign_id, action="operations.operate")
    service.check_writable(op, acting=True)
    if not campaign.outreach_enabled:
        raise Conflict(OUTREACH_OFF)
    contact = collection.ad_contact(session, ad_id=data.ad_id)
    if contact is None:
        raise ValidationFailed(NO_NUMBER, id=data.ad_id)
    phone, ad_language = contact
    language = data.language or (ad_language if ad_language in triggers.LANGUAGES else "en")
    text = triggers.render(triggers.OUTREACH, language, link=help_link(campaign, settings),
                           selfcheck=selfcheck_link(language, settings))
    row = CampaignOutreach(campaign_id=campaign.id, ad_id=data.ad_id, language=language,
                           sent_by_user_id=actor.user_id, at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="outreach", resource_type="operation_campaign",
                 resource_id=campaign.id, detail={"ad": data.ad_id, "language": language})
    return Outreach(phone, text, language, row)


def count_click(session: Session, *, token: str) -> str | None:
    """Count one click on a help link; the help address, or None for an unknown token.

    One UPDATE of a counter: no row per click, no time, nothing about the clicker.
    """
    url = session.scalar(select(Campaign.help_url).where(Campaign.token == token))
    if url is None:
        return None
    session.execute(update(Campaign).where(Campaign.token == token)
                    .values(clicks=Campaign.clicks + 1))
    return str(url)


def figures(session: Session, campaigns: list[Campaign]) -> list[CampaignFigures]:
    """Exact outcome figures per campaign (suppress small cells before showing them)."""
    if not campaigns:
        return []
    ids = [c.id for c in campaigns]
    def counted(query: Select[int, int]) -> dict[int, int]:
        return {int(k): int(n) for k, n in session.execute(query)}

    warned = counted(select(CampaignDelivery.campaign_id, func.count()).where(
        CampaignDelivery.campaign_id.in_(ids)).group_by(CampaignDelivery.campaign_id))
    convs = counted(select(CampaignDelivery.campaign_id,
                           func.count(func.distinct(CampaignDelivery.conversation_id)))
                    .where(CampaignDelivery.campaign_id.in_(ids))
                    .group_by(CampaignDelivery.campaign_id))
    referred = counted(
        select(CampaignDelivery.campaign_id, func.count(func.distinct(Conversation.id)))
        .join(Conversation, Conversation.id == CampaignDelivery.conversation_id)
        .where(CampaignDelivery.campaign_id.in_(ids),
               (Conversation.signal_id.is_not(None))
               | (Conversation.exported_case_id.is_not(None)))
        .group_by(CampaignDelivery.campaign_id))
    reached = counted(select(CampaignOutreach.campaign_id, func.count()).where(
        CampaignOutreach.campaign_id.in_(ids)).group_by(CampaignOutreach.campaign_id))
    return [CampaignFigures(campaign_id=c.id, label=c.public_label, year=c.created_at.year,
                            conversations=convs.get(c.id, 0), warnings=warned.get(c.id, 0),
                            referrals=referred.get(c.id, 0), clicks=c.clicks,
                            outreach=reached.get(c.id, 0)) for c in campaigns]


FIELDS = ("conversations", "warnings", "referrals", "clicks", "outreach")


def shown_figures(rows: list[CampaignFigures]) -> list[dict[str, Any]]:
    """Figures for display with the monitor's rule: 1 to 4 shown as "<5". No total is shown
    beside them, so no complement has to be withheld (the monitor, which shows one, does)."""
    return [{"id": r.campaign_id, "label": r.label, "year": r.year,
             **{f: shown(getattr(r, f)) for f in FIELDS}} for r in rows]


def figures_for_monitor(session: Session) -> list[dict[str, Any]]:
    """Port handler (``core.ports.CAMPAIGN_FIGURES``): every campaign's exact figures under
    its public name only; the monitor suppresses small cells as it does for all counts."""
    campaigns = list(session.scalars(select(Campaign).order_by(Campaign.id)))
    return [r.model_dump(exclude={"campaign_id"}) for r in figures(session, campaigns)]
