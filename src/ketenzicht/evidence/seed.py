"""Demo evidence: five of the demo cases with partial evidence (synthetic data only).

One case has a minor victim, one is labour exploitation with a saved wage check, one is
evaluated under bill 36 547. Runs after the cases seeder (declared in the manifest).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock
from ketenzicht.evidence import reads, service
from ketenzicht.evidence.enums import RESTRICTED_KINDS, ItemKind, Strength
from ketenzicht.evidence.schemas import ItemCreate, LinkCreate, SettingIn, WageCheckIn


class _Context(Protocol):
    def actors(self, session: Session, *, via: str = ...) -> dict[OrgType, Actor]: ...


# (title, kind, source, [(element, strength)], content)
_Item = tuple[str, ItemKind, str, list[tuple[str, Strength]], str]

PLAN: dict[int, tuple[OrgType, str, bool | None, list[_Item]]] = {
    1: (OrgType.POLITIE, "273f-sr", False, [
        ("Observatieverslag pand Demostraat", ItemKind.OBSERVATION, "Observatieteam (demo)",
         [("handeling_werven", Strength.STERK)], "Synthetisch observatieverslag."),
        ("Bankafschriften verdachte", ItemKind.FINANCIAL, "Bank, vordering (demo)",
         [("oogmerk_uitbuiting", Strength.REDELIJK)], "Synthetische transacties."),
    ]),
    2: (OrgType.POLITIE, "273f-sr", True, [
        ("BRP-uittreksel slachtoffer", ItemKind.DOCUMENT, "BRP (demo)",
         [("minderjarig", Strength.STERK)], "Synthetisch uittreksel: 16 jaar."),
        ("Historische verkeersgegevens", ItemKind.TELECOM, "Telecomaanbieder (demo)",
         [("handeling_werven", Strength.REDELIJK)], "Synthetische verkeersgegevens."),
    ]),
    3: (OrgType.POLITIE, "273f-sr", False, [
        ("Verklaring slachtoffer", ItemKind.STATEMENT_VICTIM, "Verhoor (demo)",
         [("middel", Strength.STERK), ("handeling_werven", Strength.REDELIJK)],
         "Synthetische verklaring."),
        ("Verklaring buurvrouw", ItemKind.STATEMENT_WITNESS, "Verhoor (demo)",
         [("handeling_werven", Strength.ZWAK)], "Synthetische getuigenverklaring."),
    ]),
    4: (OrgType.ARBEIDSINSPECTIE, "273f-sr", False, [
        ("Inspectierapport kwekerij", ItemKind.INSPECTION, "Arbeidsinspectie (demo)",
         [("handeling_dwingen", Strength.REDELIJK), ("uitbuiting.aard_duur", Strength.STERK)],
         "Synthetisch inspectierapport: 72 uur per week."),
    ]),
    5: (OrgType.POLITIE, "wetsvoorstel-36547", False, [
        ("Inspectierapport distributiecentrum", ItemKind.INSPECTION, "Arbeidsinspectie (demo)",
         [("arbeid_diensten", Strength.STERK), ("ernstige_benadeling", Strength.REDELIJK)],
         "Synthetisch rapport: slapen op de werkplek."),
    ]),
}


def seed(session: Session, ctx: _Context) -> None:
    """The demo seeder (declared in the manifest), after the cases seeder."""
    actors = ctx.actors(session)
    if OrgType.POLITIE in actors and OrgType.ARBEIDSINSPECTIE in actors:
        # The caller may hand its settings over (a test server with its own var/).
        given = session.info.get("settings")
        seed_evidence(session, actors,
                      given if isinstance(given, Settings) else get_settings())


def seed_evidence(session: Session, actors: dict[OrgType, Actor], settings: Settings) -> int:
    """Add partial evidence to demo cases 1-5; returns how many items were added."""
    added = 0
    obtained = clock.now().date() - timedelta(days=20)
    # The police take part in every demo case, so their list holds all of them.
    by_title = {c.title: c for c in cases_service.list_cases(
        session, actor=actors[OrgType.POLITIE], limit=500)}
    for n, (org_type, fw, minor, items) in PLAN.items():
        case = by_title.get(f"Casus demo {n}")
        actor = actors[org_type]
        if case is None:
            continue
        service.set_setting(session, actor=actor, case_id=case.id,
                            data=SettingIn(framework=fw, victim_minor=minor))
        suspect_ids = [p.id for p in service.suspects(case)]
        for title, kind, source, links, text in items:
            # A victim's statement is shown to the prosecutor too, named on it (the check
            # that they may see the case reads their account, audited under the adder).
            named = ([actors[OrgType.OM].user_id]
                     if kind in RESTRICTED_KINDS and OrgType.OM in actors else [])
            item = service.add_item(session, actor=actor, case_id=case.id, settings=settings,
                                    content=f"{title}\n{text}\n".encode(), data=ItemCreate(
                                        kind=kind, title=title, source=source,
                                        obtained_on=obtained, filename=f"{kind.value}.txt",
                                        restricted_to=named))
            added += 1
            for element, strength in links:
                service.link_item(session, actor=actor, case_id=case.id, item_id=item.id,
                                  data=LinkCreate(element=element, strength=strength,
                                                  suspect_ids=suspect_ids, note="Demo"))
        if n == 4:
            added += _wage(session, actor, case.id, suspect_ids, settings)
    return added


def _wage(session: Session, actor: Actor, case_id: int, suspect_ids: list[int],
          settings: Settings) -> int:
    """A saved wage check: 60 hours for € 420 with housing kept without authorisation."""
    result = reads.wage_check(session, actor=actor, case_id=case_id, settings=settings,
                              data=WageCheckIn(
        on=date(2026, 3, 2), hours=Decimal(60), pay=Decimal(420), age=34,
        deductions=[{"kind": "housing", "amount": Decimal(150), "authorised": False},
                    {"kind": "transport", "amount": Decimal(40), "authorised": True}],
        save=True, title="Loontoets week 10 (demo)", source="Loonstroken (demo)"))
    assert result.item_id is not None
    service.link_item(session, actor=actor, case_id=case_id, item_id=result.item_id,
                      data=LinkCreate(element="uitbuiting.voordeel", strength=Strength.STERK,
                                      suspect_ids=suspect_ids, note="Onderbetaling"))
    service.link_item(session, actor=actor, case_id=case_id, item_id=result.item_id,
                      data=LinkCreate(element="middel", strength=Strength.ZWAK,
                                      suspect_ids=suspect_ids,
                                      note="Misbruik kwetsbare positie?"))
    return 1
