"""A list never shows what the record's own check refuses, and never hides what it allows.

For every list with a scope, and for every person of every role in every organisation
type, the list returns exactly the records on which the single-record check
(``authorize`` with the domain's ``*_ref``) allows that person. Records of several
organisations are seeded: owned, taken part in through participants, routings and
accepted placements, and a person's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User
from ketenzicht.auth.permissions import ResourceRef, authorize
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases
from ketenzicht.cases.models import Case
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden
from ketenzicht.notify import service as notify
from ketenzicht.notify.models import Notification
from ketenzicht.online.workspace import watch
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.models import Watch
from ketenzicht.shelter import manage, placement
from ketenzicht.shelter import service as shelter
from ketenzicht.shelter.enums import RequestStatus
from ketenzicht.shelter.models import PlacementRequest, ShelterLocation, ShelterOffer, ShelterUnit
from ketenzicht.signals import inbox
from ketenzicht.signals import service as signals
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.models import Signal, SignalRoute
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.cases import make_case
from tests.factories.shelter import make_location, make_offer, make_request, make_unit


@dataclass(frozen=True)
class ScopedList:
    """A list route's service call, and the single-record check it must agree with."""

    name: str
    model: type[Any]
    action: str
    ref: Callable[[Any], ResourceRef]
    listed: Callable[[Session, Actor], Sequence[Any]]
    keep: Callable[[Any], bool] = lambda record: True  # the list's own non-scope filter


LISTS = [
    ScopedList("cases", Case, "case.view", cases.case_ref,
               lambda db, a: cases.list_cases(db, actor=a)),
    ScopedList("signals", Signal, "signal.view", signals.signal_ref,
               lambda db, a: signals.list_signals(db, actor=a)),
    ScopedList("inbox", SignalRoute, "signal.handle", inbox.route_ref,
               lambda db, a: inbox.list_inbox(db, actor=a, include_closed=True)),
    ScopedList("placement requests", PlacementRequest, "shelter.request.view",
               placement.request_ref, lambda db, a: placement.list_requests(db, actor=a)),
    ScopedList("incoming offers", ShelterOffer, "shelter.offer.view", placement.offer_ref,
               lambda db, a: placement.incoming_offers(db, actor=a)),
    ScopedList("managed locations", ShelterLocation, manage.MANAGE, shelter.location_ref,
               lambda db, a: manage.managed_locations(db, actor=a)),
    ScopedList("own units", ShelterUnit, "shelter.availability.update", shelter.unit_ref,
               lambda db, a: shelter.own_units(db, actor=a)),
    ScopedList("notifications", Notification, "notification.view",
               lambda n: notify.NOTIFICATION.ref(n),
               lambda db, a: notify.list_for(db, actor=a)),
    ScopedList("watches", Watch, "online.watch", lambda w: watch.WATCH.ref(w),
               lambda db, a: [w for w, _hits in watch.list_watches(db, actor=a)],
               keep=lambda w: w.active),
]


@dataclass
class Chain:
    """One organisation of every type (two police forces, two shelters), everyone in it."""

    orgs: dict[str, Organisation]
    people: list[User]

    def first(self, key: str, role: Role = Role.MEDEWERKER) -> User:
        """The person of ``role`` at organisation ``key``."""
        return next(u for u in self.people
                    if u.organisation_id == self.orgs[key].id and role in u.roles)


def _chain(db: Session) -> Chain:
    orgs = {str(t): OrganisationFactory(org_type=t) for t in OrgType}
    orgs["politie-2"] = OrganisationFactory(org_type=OrgType.POLITIE)
    orgs["opvang-2"] = OrganisationFactory(org_type=OrgType.OPVANG)
    db.flush()
    people = [UserFactory(organisation=org, roles=(role,)) for org in orgs.values()
              for role in Role]
    db.flush()
    return Chain(orgs, people)


def _signal(db: Session, reporter: User, routed_to: list[Organisation]) -> None:
    signal = Signal(reporter_user_id=reporter.id, owner_org_id=reporter.organisation_id,
                    form=ExploitationForm.LABOUR, screening={})
    for org in routed_to:
        signal.routes.append(SignalRoute(org_id=org.id, purpose="investigate",
                                         deadline_at=clock.now() + timedelta(days=3)))
    db.add(signal)


def _seed(db: Session, c: Chain) -> None:
    o = c.orgs
    # Cases: opened by one force, with participants elsewhere; one force's case alone.
    make_case(db, c.first("politie"), participants=[
        {"org_id": o["zorg"].id, "phase": "hulpverlening"}])
    make_case(db, c.first("politie-2"))
    make_case(db, c.first("gemeente", Role.COORDINATOR), participants=[
        {"org_id": o["opvang"].id, "phase": "hulpverlening"},
        {"org_id": o["politie"].id, "phase": "opsporing"}])
    # Signals: each reporter's own; routed to handlers or not at all.
    _signal(db, c.first("zorg"), [o["politie"], o["arbeidsinspectie"]])
    _signal(db, c.first("zorg", Role.COORDINATOR), [])
    _signal(db, c.first("politie-2"), [o["politie-2"]])
    _signal(db, c.first("opvang"), [o["gemeente"]])
    # Shelter: two providers; requests accepted by one of them or still waiting.
    units = [make_unit(db, o["opvang"]), make_unit(db, o["opvang-2"]),
             make_unit(db, location=make_location(db, o["opvang"]))]
    waiting = make_request(db, c.first("comensha"))
    accepted = make_request(db, c.first("gemeente"), status=RequestStatus.ACCEPTED,
                            receiving_org_id=o["opvang-2"].id, unit_id=units[1].id)
    make_request(db, c.first("zorg", Role.COORDINATOR))
    make_offer(db, waiting, units[0], c.first("comensha"))
    make_offer(db, accepted, units[1], c.first("gemeente"))
    # Notifications and watches: each person's own.
    notify.send(db, actor=None, recipients=[c.first("politie").id, c.first("opvang").id],
                kind="test", subject="Test", link="/")
    notify.send(db, actor=None, recipients=[c.first("politie", Role.COORDINATOR).id],
                kind="test", subject="Ander", link="/")
    for n, (person, active) in enumerate([(c.first("politie"), True),
                                          (c.first("politie", Role.COORDINATOR), True),
                                          (c.first("kmar"), False)]):
        db.add(Watch(owner_user_id=person.id, owner_org_id=person.organisation_id,
                     kind=WatchKind.PHONE, value=f"+316100000{n}", label="", identifiers=[],
                     active=active, created_at=clock.now()))
    db.flush()


def _mismatches(db: Session, chain: Chain, scoped: ScopedList) -> list[str]:
    """Every person for whom the list and the single-record check disagree."""
    records = list(db.scalars(select(scoped.model)))
    assert len(records) >= 2, f"{scoped.name}: seed at least two records"
    out = []
    for person in chain.people:
        who = actor(person)
        allowed = {r.id for r in records
                   if scoped.keep(r) and authorize(who, scoped.action, scoped.ref(r)).allowed}
        try:
            listed = {r.id for r in scoped.listed(db, who)}
        except Forbidden:
            listed = set()
        if listed != allowed:
            out.append(f"{sorted(person.roles)} at {person.organisation.org_type}: "
                       f"listed {sorted(listed)}, allowed {sorted(allowed)}")
    return out


@pytest.mark.parametrize("scoped", LISTS, ids=[s.name for s in LISTS])
def test_a_list_shows_exactly_what_the_record_check_allows(db: Session,
                                                           scoped: ScopedList) -> None:
    chain = _chain(db)
    _seed(db, chain)
    assert _mismatches(db, chain, scoped) == [], scoped.name
    # Somebody sees something, and somebody sees less than everything: the seed means it.
    total = len(list(db.scalars(select(scoped.model))))
    sizes = {len(scoped.listed(db, actor(p))) for p in chain.people if _may_list(db, p, scoped)}
    assert max(sizes) > 0 and min(sizes) < total, (scoped.name, sizes, total)


def test_the_check_catches_a_list_that_forgets_the_participants(db: Session) -> None:
    """A hand-written filter of the kind the declaration replaced (owner only) is caught."""
    chain = _chain(db)
    _seed(db, chain)
    owner_only = ScopedList("cases by owner", Case, "case.view", cases.case_ref,
                            lambda db, a: list(db.scalars(select(Case).where(
                                Case.owner_org_id == a.organisation_id))))
    assert any("zorg" in m for m in _mismatches(db, chain, owner_only))


def _may_list(db: Session, person: User, scoped: ScopedList) -> bool:
    try:
        scoped.listed(db, actor(person))
    except Forbidden:
        return False
    return True
