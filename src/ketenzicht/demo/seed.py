"""Fill an empty database with synthetic organisations, accounts and domain data.

Nothing here describes a real person. Passwords are random per seed and kept in
``var/demo-accounts.json`` (outside git), so the repository holds no secrets.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation
from ketenzicht.auth.schemas import OrganisationCreate, UserCreate
from ketenzicht.cases import seed as cases_seed
from ketenzicht.evidence import seed as evidence_seed
from ketenzicht.monitor import seed as monitor_seed
from ketenzicht.online import seed as online_seed
from ketenzicht.operations import seed as operations_seed
from ketenzicht.shelter import seed as shelter_seed
from ketenzicht.signals import seed as signals_seed

ACCOUNTS_FILE = "demo-accounts.json"

# One organisation, and one account, per organisation type. Names say "demo" so
# that nobody mistakes a demo instance for a real one.
DEMO_ORGANISATIONS: tuple[tuple[OrgType, str, str, tuple[Role, ...]], ...] = (
    (OrgType.POLITIE, "politie-demo", "Politie, eenheid Demostad (demo)", (Role.MEDEWERKER,)),
    (OrgType.KMAR, "kmar-demo", "Koninklijke Marechaussee, brigade Demostad (demo)",
     (Role.MEDEWERKER,)),
    (OrgType.ARBEIDSINSPECTIE, "arbeidsinspectie-demo", "Arbeidsinspectie, team Demostad (demo)",
     (Role.MEDEWERKER,)),
    (OrgType.OM, "om-demo", "Openbaar Ministerie, parket Demostad (demo)", (Role.MEDEWERKER,)),
    (OrgType.ZORG, "zorg-demo", "GGZ Demostad (demo)", (Role.MEDEWERKER,)),
    (OrgType.GEMEENTE, "gemeente-demo", "Gemeente Demostad, zorgcoördinatie (demo)",
     (Role.COORDINATOR,)),
    (OrgType.OPVANG, "opvang-demo", "Opvang Demostad (demo)", (Role.MEDEWERKER,)),
    (OrgType.COMENSHA, "comensha-demo", "CoMensha (demo)", (Role.COORDINATOR,)),
    (OrgType.RAPPORTEUR, "rapporteur-demo", "Nationaal Rapporteur, onderzoek (demo)",
     (Role.MEDEWERKER,)),
    (OrgType.BEHEER, "beheer-demo", "Ketenzicht beheer (demo)", (Role.BEHEERDER,)),
)


@dataclass
class DemoAccount:
    """A demo login, as printed by ``ketenzicht demo accounts``."""

    username: str
    password: str
    organisation: str
    organisation_type: str
    roles: list[str] = field(default_factory=list)


@dataclass
class SeedContext:
    """What the core seeder made, for the domain seeders that follow it."""

    organisations: dict[OrgType, Organisation] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)


Seeder = Callable[[Session, SeedContext], None]


def _seed_core(session: Session, ctx: SeedContext) -> None:
    for org_type, code, name, roles in DEMO_ORGANISATIONS:
        org = auth_service.create_organisation(
            session, data=OrganisationCreate(code=code, name=name, org_type=org_type), actor=None)
        ctx.organisations[org_type] = org
        username = f"{org_type.value}-demo"
        password = "demo-" + secrets.token_urlsafe(12)
        auth_service.create_user(
            session,
            data=UserCreate(username=username, display_name=f"Demo {name}",
                            organisation_id=org.id, roles=list(roles), password=password),
            actor=None,
        )
        ctx.accounts.append(DemoAccount(username=username, password=password,
                                        organisation=name, organisation_type=org_type.value,
                                        roles=[r.value for r in roles]))


# Domains append their seeders here as they land; they run in this order.
SEEDERS: list[Seeder] = [_seed_core]
SEEDERS.append(shelter_seed.seed_shelter)
SEEDERS.append(signals_seed.seed)
SEEDERS.append(cases_seed.seed)
SEEDERS.append(monitor_seed.seed)
SEEDERS.append(evidence_seed.seed)
SEEDERS.append(online_seed.seed)
SEEDERS.append(operations_seed.seed)


def is_empty(session: Session) -> bool:
    """True when no organisation exists yet."""
    return not session.scalar(select(func.count()).select_from(Organisation))


def seed(session: Session) -> SeedContext:
    """Run every seeder on an empty database (the caller commits)."""
    ctx = SeedContext()
    for seeder in SEEDERS:
        seeder(session, ctx)
    return ctx


def save_accounts(var_dir: Path, accounts: list[DemoAccount]) -> Path:
    """Write the demo logins where only this machine's user can read them."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / ACCOUNTS_FILE
    path.write_text(json.dumps([asdict(a) for a in accounts], indent=2, ensure_ascii=False))
    os.chmod(path, 0o600)
    return path


def load_accounts(var_dir: Path) -> list[DemoAccount]:
    """Read the demo logins written by the last seed."""
    path = var_dir / ACCOUNTS_FILE
    return [DemoAccount(**row) for row in json.loads(path.read_text())]
