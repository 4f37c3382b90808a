"""The one place where the selfcheck writes: an anonymous signal, only when the person asks.

The signal goes through the signals domain's own service, so it is screened, routed by
``signals/data/routing.yaml`` (form ``labour``: the Labour Inspectorate) and audited like
any other. It is recorded by a dedicated system account (``KZ_SELFCHECK_SIGNAL_ACCOUNT``);
the audit entry names that account and nothing about the visitor. The signal holds no
identity at all: no name, no contact, no exact age, no nationality, no amounts; only the
problem findings (as ILO/EC indicators and their titles in Dutch), the sector and town if
the person chose to give them, and the age band. The age band is what routes it: an
adult's band sends it to the Labour Inspectorate, a minor's band (0-11 or 12-17, never the
age) to the police and youth protection as well, as the chain wants. An unknown age is its
own value in the routing table (issue 18): the adult route and youth protection.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.i18n import translations
from ketenzicht.selfcheck.assess import Outcome
from ketenzicht.selfcheck.i18n import DOMAIN
from ketenzicht.signals import service as signals_service
from ketenzicht.signals.enums import AgeBand, ExploitationForm
from ketenzicht.signals.schemas import SignalCreate

#: Organisation types whose system account may send the selfcheck's signals.
ACCOUNT_ORG_TYPES = frozenset({OrgType.BEHEER, OrgType.ARBEIDSINSPECTIE})

#: Selfcheck findings that match an ILO/EC operational indicator (2009) one to one.
INDICATORS: dict[str, str] = {
    "unpaid": "EX_LOW_SALARY", "wage_below": "EX_LOW_SALARY", "not_paid": "EX_LOW_SALARY",
    "hours": "EX_EXCESSIVE_HOURS",
    "housing_over_cap": "EX_WAGE_MANIPULATION", "no_authorisation": "EX_WAGE_MANIPULATION",
    "deduction_below_minimum": "EX_WAGE_MANIPULATION", "fines": "EX_WAGE_MANIPULATION",
    "passport": "CD_DOCUMENTS", "debt_bondage": "CD_DEBT", "not_free": "CD_ISOLATION",
    "threats": "CD_THREAT_VIOLENCE", "deceived": "DR_CONDITIONS",
}

#: ISIC Rev.4 sections a worker can choose from (the sectors where labour migrants work).
SECTORS = ("A", "C", "F", "H", "I", "N")


def signal_actor(session: Session, username: str) -> Actor | None:
    """The system account that sends selfcheck signals, or None when there is none to use."""
    if not username:
        return None
    user = auth_service.find_user(session, username)
    if user is None or not (user.is_system and user.is_active and user.organisation.is_active) \
            or user.organisation.org_type not in ACCOUNT_ORG_TYPES:
        return None
    return auth_service.actor_for(user, via="system")


def age_band(age: int | None) -> AgeBand:
    """The registration age band (a minor's band too: the routing needs it); unknown when
    no age was given."""
    if age is None:
        return AgeBand.UNKNOWN
    return signals_service.band_of(age)


def signal_text(outcome: Outcome) -> str:
    """What was seen, in Dutch for the inspectorate: the titles of the problem findings."""
    nl = translations("nl", DOMAIN)
    lines = ["Anonieme melding via de publieke zelftest van Ketenzicht. "
             "Zonder naam of contactgegevens; terugkoppeling is niet mogelijk.",
             "Wat de antwoorden laten zien:"]
    lines += [f"- {nl.gettext(f.title)}" for f in outcome.problems]
    return "\n".join(lines)


def send_signal(session: Session, *, actor: Actor, outcome: Outcome, age: int | None,
                sector: str | None, place: str | None, per_hour: int) -> None:
    """Record the anonymous signal; flushes, the request's transaction commits it."""
    data = SignalCreate(
        form=ExploitationForm.LABOUR, seen=signal_text(outcome),
        indicators=sorted({INDICATORS[f.code] for f in outcome.problems
                           if f.code in INDICATORS}),
        sector_isic=sector if sector in SECTORS else None, place=place or "",
        age_band=age_band(age), no_identity=True, share_identities=False)
    signals_service.create_signal(session, data=data, actor=actor, per_hour=per_hour)
