"""Factories for the monitor, and what the route-enumerating access test needs of it.

The monitor's routes take no path parameters and its two write routes read a form, so
``ACCESS_RECORDS`` and ``ACCESS_BODIES`` are empty; every route is refused to, e.g., a
medewerker of the police (``monitor.view`` is for the Rapporteur, CoMensha and
coordinators).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.signals.enums import AgeBand, ExploitationForm, Gender
from ketenzicht.signals.schemas import RegistrationRow
from tests.factories.access import World
from tests.factories.auth import OrganisationFactory, UserFactory

FIGURES_CSV = """year,stage,form,count
2024,signals,all,1200
2024,cases,all,600
2024,investigations,all,280
2024,prosecutions,all,190
2024,convictions,all,120
2024,convictions,forced_begging,3
"""


def analyst(db: Session, org_type: OrgType = OrgType.RAPPORTEUR,
            role: Role = Role.MEDEWERKER) -> User:
    """A user of the Rapporteur (or another type) who may see the dashboard."""
    user: User = UserFactory(organisation=OrganisationFactory(org_type=org_type),
                             roles=(role,))
    db.flush()
    return user


def registration_rows(people: int, lists: tuple[str, ...] = ("politie", "kmar", "comensha"),
                      *, seed: int = 7, minor_share: float = 0.3, year: int = 2025,
                      p_seen: float = 0.45) -> list[RegistrationRow]:
    """Synthetic pseudonymised registrations: each person seen by each list with ``p_seen``."""
    rng = random.Random(seed)
    rows = []
    for i in range(people):
        band = AgeBand.A12_17 if rng.random() < minor_share else AgeBand.A23_29
        form = ExploitationForm.SEXUAL if i % 2 else ExploitationForm.LABOUR
        for org_type in lists:
            if rng.random() < p_seen:
                rows.append(RegistrationRow(
                    signal_id=None, person_key=f"p{i:05d}", registered_month=f"{year}-03",
                    form=form, age_band=band, gender=Gender.FEMALE, nationality="RO",
                    reporting_org_type=org_type, region=None))
    return rows


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {}
ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, Any]]] = {}
