"""Demo signals: about 300, from every organisation type, several about the same employers,
persons, addresses and phones, so that linkage and the inboxes have something to show."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.signals import synthetic
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.chain import chain
from ketenzicht.signals.enums import ExploitationForm, Gender
from ketenzicht.signals.pprl import demo as pprl_demo
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.service import create_signal

DEMO_SIGNALS = 300
SECTORS = ["A", "C", "F", "H", "I", "N", "S", "T"]
NATIONALITIES = ["RO", "BG", "PL", "UA", "NG", "VN", "NL", "NL", "ER", "MA", "CN", "HU"]
FORMS = [ExploitationForm.LABOUR] * 5 + [ExploitationForm.SEXUAL] * 4 + [
    ExploitationForm.CRIMINAL, ExploitationForm.CRIMINAL, ExploitationForm.FORCED_BEGGING,
    ExploitationForm.FORCED_MARRIAGE, ExploitationForm.UNKNOWN]
SEEN = {
    ExploitationForm.LABOUR: "Werknemers slapen in de loods en werken zes dagen van twaalf uur.",
    ExploitationForm.SEXUAL: "Jonge vrouw wordt 's avonds gebracht en gehaald; telefoon is van "
                             "een ander.",
    ExploitationForm.CRIMINAL: "Jongen vervoert pakketjes en zegt een schuld af te betalen.",
}

AccountFor = Callable[[OrgType], Actor]
# Most demo signals come from Demostad, whose region (Midden-Nederland, Veilig Thuis Utrecht)
# the demo organisations serve (chain.yaml ``demo``); the others show routing elsewhere
# (to CoMensha, to forward, when no organisation of the region is registered).
DEMO_TOWNS = ["Demostad"] * 5 + synthetic.TOWNS


def _town(rng: random.Random) -> tuple[str, str | None]:
    """A demo place and the police unit it lies in."""
    town = rng.choice(DEMO_TOWNS)
    return town, chain().police_of_place(town)


class _Account(Protocol):
    username: str
    organisation_type: str


class _Context(Protocol):
    def actors(self, session: Session, *, via: str = ...) -> dict[OrgType, Actor]: ...


def _payload(rng: random.Random, pools: dict[str, list[tuple[int, str]]],
             people: list[synthetic.Registration]) -> dict[str, Any]:
    cat = catalogue()
    form = rng.choice(FORMS)
    codes = list(cat.indicators)
    items = list(cat.items)
    age = rng.choice([None, rng.randint(14, 17), rng.randint(18, 55), rng.randint(18, 55)])
    town, region = _town(rng)
    payload: dict[str, Any] = {
        "form": form.value, "seen": SEEN.get(form, "Zorgen over de situatie van deze persoon."),
        "indicators": rng.sample(codes, rng.randint(0, 6)),
        "checklist_items": rng.sample(items, rng.randint(0, 4)),
        "sector_isic": rng.choice(SECTORS),
        "acute_danger": rng.random() < 0.05, "age": age,
        "gender": rng.choice(list(Gender)).value,
        "nationality": rng.choice([*NATIONALITIES, None]),
        "share_identities": rng.random() > 0.15, "place": town, "region": region,
        "registration_consent": rng.choice(["yes", "yes", "no", "unknown"]),
    }
    for field in ("employer", "address", "phone", "vehicle"):
        if rng.random() < {"employer": 0.6}.get(field, 0.3):
            entity, value = rng.choice(pools[field])
            payload[field] = value
            if field in ("employer", "address") and rng.random() < 0.85:
                # Where the business or address is: the same for every signal about it.
                place = random.Random(f"{field}-{entity}")  # noqa: S311 - synthetic
                payload["place"], payload["region"] = _town(place)
                if field == "employer":
                    payload["sector_isic"] = place.choice(SECTORS)
    if rng.random() < 0.7:
        # The same person as another organisation registered them: the name spelt otherwise,
        # and nationality, gender and age band as that registration has them.
        person = rng.choice(people)
        payload |= {"pseudonym": person.name, "nationality": person.nationality,
                    "gender": person.gender or "unknown", "age": None,
                    "age_band": person.age_band or "unknown"}
    return withheld(payload)


IDENTITIES = {"pseudonym": "person", "employer": "employer", "address": "address",
              "phone": "phone", "vehicle": "vehicle"}


def withheld(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload of an organisation that withholds identities: encoded at the source.

    As the intake page does in the browser, with the published demo key (``pprl.demo``):
    the raw values leave, the encodings and the key's year stay.
    """
    if payload.get("share_identities", True):
        return payload
    record = {IDENTITIES[f]: str(payload.pop(f)) for f in IDENTITIES if payload.get(f)}
    return payload | {"encoded_keys": pprl_demo.encoded_keys(record)}


def seed_signals(session: Session, account_for: AccountFor, count: int = DEMO_SIGNALS,
                 seed: int = 2009) -> int:
    """Report ``count`` synthetic signals, spread over the hours before now."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    kinds = {"employer": "employer", "address": "address", "phone": "phone",
             "vehicle": "vehicle"}
    # Few distinct values, written in several ways, so that signals link across organisations.
    pools = {field: [(r.entity, r.value) for r in synthetic.records(kind, 40, (2, 5),
                                                                    seed=seed)]
             for field, kind in kinds.items()}
    people = synthetic.registrations(60, per_entity=(2, 5), seed=seed)
    reporters = [t for t in OrgType if t is not OrgType.BEHEER]
    # Spread over the last two and a half days: some routings are already overdue.
    start = clock.now() - timedelta(hours=60)
    for i in range(count):
        org_type = reporters[i % len(reporters)]
        data = SignalCreate.model_validate(_payload(rng, pools, people))
        with clock.frozen(start + timedelta(hours=60 * i / count)):
            create_signal(session, data=data, actor=account_for(org_type), per_hour=10_000)
    return count


def seed(session: Session, ctx: _Context) -> None:
    """The demo seeder (declared in the manifest): signals by each demo account."""
    actors = ctx.actors(session)
    if actors:
        seed_signals(session, lambda t: actors.get(t) or next(iter(actors.values())))
