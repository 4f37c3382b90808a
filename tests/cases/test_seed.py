"""The demo seeder of cases runs through every coordination feature."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.cases import seed
from ketenzicht.cases.enums import ConferenceStatus, ReferralStatus
from ketenzicht.cases.models import CaseConference, CaseNote, CaseReferral
from ketenzicht.cases.procedures.models import CaseProcedure
from tests.factories.auth import OrganisationFactory, UserFactory, actor


def test_seed_cases(db: Session) -> None:
    actors = {t: actor(UserFactory(organisation=OrganisationFactory(org_type=t),
                                   roles=(Role.COORDINATOR,)))
              for t in (*seed.OPENERS, OrgType.ZORG, OrgType.OPVANG, OrgType.OM, OrgType.KMAR)}
    db.flush()
    assert seed.seed_cases(db, actors, count=12) == 12
    statuses = set(db.scalars(select(CaseReferral.status)))
    assert {ReferralStatus.SENT, ReferralStatus.ACCEPTED} <= statuses
    conf = set(db.scalars(select(CaseConference.status)))
    assert conf == {ConferenceStatus.DRAFT, ConferenceStatus.FINAL}
    assert db.scalar(select(func.count()).select_from(CaseNote)) == 24
    # B8: the police offered it in some demo cases; some accepted and it runs.
    states = set(db.scalars(select(CaseProcedure.state).where(CaseProcedure.kind == "b8")))
    assert states and states <= {"offered", "accepted", "running"}
