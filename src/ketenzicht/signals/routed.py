"""Routing a new signal to the organisations of its region, and reading a routing back.

``route_signal`` turns the routing table's decision (``routing.decide``) into routings:
each party's organisation for the signal's region (``chain``), one routing per
organisation, deadlines of a day or more by the Algemene termijnenwet. ``route_read`` says
per routing why it was made and whom to contact; ``anonymised_for`` decides when an
organisation informed for registration reads a signal without its identifying details.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock, termijnen
from ketenzicht.core.formatting import format_datetime
from ketenzicht.core.i18n import N_, get_locale, gettext
from ketenzicht.signals import routing as routing_table
from ketenzicht.signals.chain import chain
from ketenzicht.signals.enums import RegistrationConsent, RouteCause, RouteStatus
from ketenzicht.signals.models import Signal, SignalRoute
from ketenzicht.signals.schemas import ContactRead, RouteRead

if TYPE_CHECKING:
    from ketenzicht.auth.service import Organisation


def _resolve(orgs: dict[int, Organisation], target: routing_table.Target
             ) -> tuple[Organisation | None, str]:
    """The organisation for one target, and how it was found (``Target.via`` or a fallback).

    The region's own organisation first; a national party may be any active organisation
    of its type; then the fallback (the Landelijke Eenheid for the police); then CoMensha,
    which forwards it. Only when even CoMensha is missing does any active organisation of
    the type take it, so that nothing is lost. Never the first organisation of the type
    while the region has its own: a Limburg signal does not go to another region's unit.
    """
    active = sorted((o for o in orgs.values() if o.is_active), key=lambda o: o.id)
    by_code = {o.code: o for o in active}
    for code in target.codes:
        if code in by_code and by_code[code].org_type == target.org_type:
            return by_code[code], target.via
    of_type = [o for o in active if o.org_type == target.org_type]
    if target.via == "national" and of_type:
        return of_type[0], "national"
    for code in target.fallback_codes:
        if code in by_code:
            return by_code[code], "fallback-national"
    coordinator = routing_table.table().escalation_target
    ref = chain()
    named = [by_code[c] for c in ref.codes(ref.national[coordinator].code) if c in by_code]
    coordinators = named or [o for o in active if o.org_type == coordinator]
    if coordinators:
        return coordinators[0], "fallback-coordinator"
    return (of_type[0], "fallback-any") if of_type else (None, "")


def _reporter_region(orgs: dict[int, Organisation], org_id: int) -> str | None:
    org = orgs.get(org_id)
    return chain().region_of_code(org.code) if org is not None else None


def route_signal(session: Session, signal: Signal, orgs: dict[int, Organisation], *,
           minor: bool | None, now: datetime) -> None:
    tbl = routing_table.table()
    decision = routing_table.decide(
        tbl, form=signal.form, minor=minor, acute=signal.acute_danger, region=signal.region,
        place=signal.place, indicators=tuple(signal.indicators),
        presumed_victim=signal.indicators_present,
        reporter_region=_reporter_region(orgs, signal.owner_org_id))
    signal.routing_version, signal.routing_rule = decision.version, decision.rule_id[:64]
    by_org: dict[int, SignalRoute] = {}
    for target in decision.targets:  # most pressing purpose first
        org, via = _resolve(orgs, target)
        if org is None:
            continue
        deadline = termijnen.term_after(now, target.deadline_hours)  # days follow the Atw
        route = by_org.get(org.id)
        if route is None:  # one organisation named as two parties gets one routing
            route = by_org[org.id] = SignalRoute(
                org_id=org.id, purpose=target.purpose, deadline_at=deadline,
                party=target.party, rules="+".join(target.rule_ids)[:200], via=via)
            signal.routes.append(route)
        else:
            route.deadline_at = min(route.deadline_at, deadline)
            route.rules = "+".join([*route.rules.split("+"), *target.rule_ids])[:200]


# How a routing's organisation was found (SignalRoute.via), in words.
VIA = {
    "national": N_("a national organisation"),
    "region": N_("the organisation for region %(area)s"),
    "place": N_("the place named %(area)s"),
    "unit-default": N_("the place was not in the list: %(area)s, the first region of the "
                       "police unit; forward it if that is wrong"),
    "no-region": N_("no region given"),
    "reporter": N_("no region or known place given: the reporting organisation's region, "
                   "%(area)s"),
    "fallback-national": N_("no organisation registered for the region: the national unit"),
    "fallback-coordinator": N_("no organisation registered for the region: CoMensha, to "
                               "forward"),
    "fallback-any": N_("no organisation registered for the region and no CoMensha"),
}


def _why(route: SignalRoute, locale: str, orgs: dict[int, Organisation]) -> list[str]:
    """Each rule's reason, then how the organisation was found."""
    tbl = routing_table.table()
    out = []
    for rule_id in (r for r in route.rules.split("+") if r):
        rule = tbl.rule(rule_id)
        out.append(rule.reason.text(locale) if rule else rule_id)
    if route.via:
        party = tbl.parties.get(route.party)
        area = routing_table.area(
            party, route.signal.region, route.signal.place,
            reporter_region=_reporter_region(orgs, route.signal.owner_org_id)) if party else ""
        out.append(gettext(VIA.get(route.via, route.via)) % {"area": area})
    return out


def contact_of(org: Organisation) -> ContactRead | None:
    """Whom to contact at an organisation: a function and a channel (chain reference data)."""
    entry = chain().by_code(org.code)
    if entry is None or not entry.contact.function:
        return None
    return ContactRead(function=entry.contact.function, phone=entry.contact.phone,
                       channel=entry.contact.channel)


def _held_because(route: SignalRoute, orgs: dict[int, Organisation]) -> str:
    """Who has this routing and how it came there (routed, forwarded, added on escalation),
    in words a professional can check."""
    by_id = {r.id: r for r in route.signal.routes}
    before = by_id.get(route.previous_route_id) if route.previous_route_id else None
    before_org = orgs[before.org_id].name if before is not None else ""
    if route.cause == RouteCause.ESCALATED and before is not None:
        why = gettext(N_("Added because %(org)s did not accept or forward it before its "
                         "deadline (%(when)s); %(org)s keeps the signal.")) % {
            "org": before_org, "when": format_datetime(before.deadline_at)}
    elif route.cause == RouteCause.FORWARDED and before is not None:
        why = gettext(N_("Forwarded by %(org)s: %(reason)s")) % {
            "org": before_org, "reason": before.reason or ""}
    else:
        # The rule's id is a code, not words: the table's version lets anyone look it up.
        why = gettext(N_("Routed at intake by the routing table, version %(version)s.")) % {
            "version": route.signal.routing_version}
    if route.escalated_at is not None:
        added = [orgs[r.org_id].name for r in route.signal.routes
                 if r.previous_route_id == route.id and r.cause == RouteCause.ESCALATED]
        why += " " + gettext(N_("The deadline passed on %(when)s: %(added)s was added to see "
                                "that it is taken on; this organisation keeps it.")) % {
            "when": format_datetime(route.escalated_at), "added": ", ".join(added)}
    return why


def route_read(route: SignalRoute, orgs: dict[int, Organisation]) -> RouteRead:
    """A routing for display: its unit, why it was made, whom to contact, and if overdue."""
    org = orgs[route.org_id]
    locale = get_locale()
    party = routing_table.table().parties.get(route.party) or next(
        (p for p in routing_table.table().parties.values() if p.org_type == org.org_type), None)
    return RouteRead(
        id=route.id, signal_id=route.signal_id, org_id=org.id, org_name=org.name,
        org_type=str(org.org_type), unit=party.unit.text(locale) if party else "",
        purpose=route.purpose, status=route.status, deadline_at=route.deadline_at,
        decided_at=route.decided_at, reason=route.reason,
        overdue=route.status is RouteStatus.OPEN and route.deadline_at < clock.now(),
        version=route.version, party=route.party, why=_why(route, locale, orgs),
        contact=contact_of(org), cause=RouteCause(route.cause),
        escalated_at=route.escalated_at, held_because=_held_because(route, orgs))


# What an anonymised registration leaves out (``seen`` and ``place`` are emptied too); it
# keeps what the registration counts: form, age band, gender, nationality, region, indicators.
ANONYMISED = ("pseudonym", "employer", "address", "phone", "vehicle", "age", "language")


def anonymised_for(actor: Actor, signal: Signal) -> bool:
    """Whether ``actor`` reads ``signal`` only as a registration without consent.

    CoMensha is informed of every presumed victim (routing rule ``inform``). Without the
    person's consent to registration by name (``registration_consent`` other than yes) the
    informed organisation reads the signal anonymised: the registration counts and the
    chain's overview need the facts, not who it is. An organisation with any other routing
    of the signal (it must act on it) or that reported it reads it in full.
    """
    if signal.registration_consent is RegistrationConsent.YES \
            or actor.organisation_id == signal.owner_org_id:
        return False
    mine = [r for r in signal.routes if r.org_id == actor.organisation_id]
    return bool(mine) and all(r.purpose == "inform" for r in mine)
