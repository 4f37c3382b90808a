"""The chain the category proof in tests/web/test_access.py reads in (issue 18).

One case per field category, each holding that category's marker text in every field
that carries a category: the summary, a person's details, a note, a decision, a referral
purpose, a task note, a status reason, the full minutes and the minutes' version for
those not present. Every organisation type takes part (with every role), and a second
shelter takes part only through an accepted referral for identity and shelter.

The policy below is written out here, not read from ``cases.visibility``: breaking the
decision there must make the proof fail, not move with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User
from ketenzicht.cases import coordination, notes, service
from ketenzicht.cases.conferences import service as conferences
from ketenzicht.cases.enums import FieldCategory as F
from ketenzicht.cases.referrals import service as referrals
from ketenzicht.cases.schemas import (
    ConferenceIn,
    DecisionIn,
    MinutesSummaryIn,
    NoteIn,
    PersonCreate,
    ReferralAnswer,
    TaskComplete,
    TransitionIn,
)
from ketenzicht.core import clock
from tests.factories.access import World
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.cases import make_case, make_referral

REFERRED = "opvang-verwezen"  # the shelter that takes part through a referral only
FIELDS = ("summary", "person", "note", "decision", "purpose", "tasknote", "reason",
          "minutes-summary", "minutes-full")
MARKER = re.compile(r"KZ([A-Z]+)MARK-([a-z-]+?)-END")

G, C, INV, ID, SH = F.GENERAL, F.CARE, F.INVESTIGATION, F.IDENTITY, F.SHELTER
# Who reads what (issue 18): by organisation type, and the referred shelter by its
# referral (identity and shelter) on top of its own (general and shelter).
POLICY: dict[str, frozenset[F]] = {
    "politie": frozenset({G, INV, ID}), "kmar": frozenset({G, INV, ID}),
    "arbeidsinspectie": frozenset({G, INV, ID}), "om": frozenset({G, INV, ID}),
    "zorg": frozenset({G, C, ID}), "gemeente": frozenset({G, C, ID, SH}),
    "comensha": frozenset({G, C, ID, SH}), "opvang": frozenset({G, SH}),
    REFERRED: frozenset({G, ID, SH}), "rapporteur": frozenset(), "beheer": frozenset(),
}
# Present at each conference besides its chair (the author's organisation).
ATTENDING = ("zorg", "politie")


def marker(category: F, name: str) -> str:
    """The text a field of the ``category`` case holds; unique per category and field."""
    return f"KZ{category.value.upper()}MARK-{name}-END"


@dataclass
class Seeded:
    """One category's case and the records its routes need."""

    case_id: int
    conference_id: int
    task_id: int
    referral_id: int
    present: frozenset[str]  # organisation keys present at its conference


@dataclass
class CategoryWorld:
    """Organisations by key, everyone in them, and one seeded case per category."""

    orgs: dict[str, Organisation]
    people: list[User]
    cases: dict[F, Seeded] = field(default_factory=dict)

    def key_of(self, user: User) -> str:
        """The organisation key of a person."""
        return next(k for k, o in self.orgs.items() if o.id == user.organisation_id)

    def world(self) -> World:
        """The access test's world (for the records of other domains' routes)."""
        police = self.orgs["politie"]
        target = next(u for u in self.people if u.organisation_id == police.id
                      and Role.MEDEWERKER in u.roles)
        return World(owner=police, target_user=target, others=[])

    def may_read(self, user: User, category: F, name: str) -> bool:
        """The policy: may this person read field ``name`` of the ``category`` case?"""
        key = self.key_of(user)
        if category not in POLICY[key]:
            return False
        if name == "minutes-full":
            return key in self.cases[category].present
        return True


def _coordinator(orgs: dict[str, Organisation], people: list[User], key: str) -> User:
    return next(u for u in people if u.organisation_id == orgs[key].id
                and Role.COORDINATOR in u.roles)


def seed(db: Session) -> CategoryWorld:
    """The chain and the five cases, written through the services as professionals do."""
    orgs = {str(t): OrganisationFactory(org_type=t) for t in OrgType}
    orgs[REFERRED] = OrganisationFactory(org_type=OrgType.OPVANG)
    db.flush()
    people = [UserFactory(organisation=org, roles=(role,)) for org in orgs.values()
              for role in Role]
    db.flush()
    cw = CategoryWorld(orgs, people)
    partners = [k for k in POLICY if POLICY[k] and k != REFERRED]
    for category in F:
        author_key = "politie" if category is INV else "gemeente"
        author = _coordinator(orgs, people, author_key)
        who = actor(author)
        m = lambda name, c=category: marker(c, name)  # noqa: E731 - short and local
        case = make_case(db, author, summary=m("summary"), summary_category=category,
                         participants=[{"org_id": orgs[k].id, "phase": "signalering",
                                        "raci": "informed"}
                                       for k in partners if k != author_key])
        service.add_person(db, actor=who, case_id=case.id, data=PersonCreate(
            role="witness", pseudonym="Getuige A", locations=[m("person")], category=category))
        notes.add_note(db, actor=who, case_id=case.id,
                       data=NoteIn(category=category, text=m("note")))
        coordination.add_decision(db, actor=who, case_id=case.id, data=DecisionIn(
            text=m("decision"), rationale="zie dossier", owner_org_id=orgs[author_key].id,
            category=category))
        task = service.tasks_of(db, case.id)[0]
        service.complete_task(db, actor=who, case_id=case.id, task_id=task.id,
                              data=TaskComplete(version=task.version, note=m("tasknote"),
                                                note_category=category))
        service.transition(db, actor=who, case_id=case.id, data=TransitionIn(
            version=case.version, to_status="in_behandeling", reason=m("reason"),
            category=category))
        conf = conferences.plan(db, actor=who, case_id=case.id, data=ConferenceIn(
            held_at=clock.now() + timedelta(days=2),
            attendee_org_ids=[orgs[k].id for k in ATTENDING], minutes=m("minutes-full"),
            minutes_category=category))
        conferences.approve_summary(db, actor=who, case_id=case.id, conference_id=conf.id,
                                    data=MinutesSummaryIn(text=m("minutes-summary"),
                                                          category=category))
        referral = make_referral(db, author, orgs[REFERRED].id, case=case,
                                 purpose=m("purpose"), purpose_category=category,
                                 data_categories=["identity", "shelter"])
        referrals.answer(db, actor=actor(_coordinator(orgs, people, REFERRED)),
                         referral_id=referral.id,
                         data=ReferralAnswer(version=1, to_status="accepted"))
        cw.cases[category] = Seeded(case.id, conf.id, task.id, referral.id,
                                    frozenset({author_key, *ATTENDING}))
    db.flush()
    return cw
