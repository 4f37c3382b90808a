"""Factories for signals, and what the route-enumerating access test needs of this domain."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.auth.models import User
from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.core import clock
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.inbox import route_ref
from ketenzicht.signals.models import Signal, SignalDraft, SignalRoute
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.seed import withheld
from ketenzicht.signals.service import create_signal, signal_ref
from tests.factories.access import World
from tests.factories.auth import actor

LABOUR_CASE: dict[str, Any] = {
    "form": "labour", "seen": "Twaalf mensen slapen in de loods; paspoorten bij de baas.",
    "indicators": ["DR_NATURE_JOB", "DR_WAGES", "EX_EXCESSIVE_HOURS", "EX_LOW_SALARY",
                   "CD_DOCUMENTS", "CD_DEBT"],
    "place": "Westland", "region": "den-haag", "sector_isic": "A",
    "employer": "Kas Vers B.V.", "pseudonym": "Ion P.", "age": 31, "gender": "male",
    "nationality": "RO",
}


def make_signal(db: Session, user: User, **overrides: Any) -> Signal:
    """A signal reported by ``user`` through the service (screened, routed, linked)."""
    data = SignalCreate.model_validate({**LABOUR_CASE, **overrides})
    return create_signal(db, data=data, actor=actor(user))


def make_withheld(db: Session, user: User, **overrides: Any) -> Signal:
    """A signal of an organisation that withholds identities: its name, employer, address,
    phone and plate encoded at the source with the demo key, as the intake page does."""
    payload = withheld({**LABOUR_CASE, **overrides, "share_identities": False})
    return create_signal(db, data=SignalCreate.model_validate(payload), actor=actor(user))


def _signal(db: Session, w: World) -> tuple[int, ResourceRef]:
    signal = Signal(reporter_user_id=w.target_user.id, owner_org_id=w.owner.id,
                    form=ExploitationForm.LABOUR, screening={})
    db.add(signal)
    db.flush()
    return signal.id, signal_ref(signal)


def _route(db: Session, w: World) -> tuple[int, ResourceRef]:
    signal = Signal(reporter_user_id=w.target_user.id, owner_org_id=w.owner.id,
                    form=ExploitationForm.LABOUR, screening={})
    route = SignalRoute(org_id=w.owner.id, purpose="investigate",
                        deadline_at=clock.now() + timedelta(days=3))
    signal.routes.append(route)
    db.add(signal)
    db.flush()
    return route.id, route_ref(route)


def _draft(db: Session, w: World) -> tuple[int, ResourceRef]:
    draft = SignalDraft(owner_user_id=w.target_user.id, owner_org_id=w.owner.id,
                        payload={"seen": "x"})
    db.add(draft)
    db.flush()
    return draft.id, ResourceRef("signal_draft", draft.id, w.owner.id, w.target_user.id)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "signal_id": _signal, "route_id": _route, "draft_id": _draft,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", "/api/v1/signals"): lambda w: {"form": "unknown"},
    ("POST", "/api/v1/signals/screen"): lambda w: {"form": "unknown"},
    ("POST", "/api/v1/signals/drafts"): lambda w: {"payload": {"seen": "x"}},
    ("PUT", "/api/v1/signals/drafts/{draft_id}"): lambda w: {"payload": {"seen": "x"}},
    ("POST", "/api/v1/signals/routes/{route_id}/accept"): lambda w: {"version": 1},
    ("POST", "/api/v1/signals/{signal_id}/encodings"): lambda w: {"encoded_keys": [
        {"kind": "phone", "bloom": "ab" * 32, "key_version": "2026"}]},
    ("POST", "/api/v1/signals/routes/{route_id}/forward"): lambda w: {
        "version": 1, "to_org_id": w.owner.id, "reason": "niet onze regio"},
}

# Any professional may report a signal and keep drafts: the threshold is the slightest
# indication. A draft is only ever readable by its own author (the service checks that).
ACCESS_OPEN_ACTIONS = {"signal.create": "every professional may report a signal",
                       "signal.list": "lists only what signal.view allows the actor"}


FORMS = (ExploitationForm.SEXUAL, ExploitationForm.LABOUR, ExploitationForm.CRIMINAL)
REGIONS = ("amsterdam", "rotterdam", "limburg", "den-haag")


def bulk_routed(db: Session, *, reporter_id: int, reporter_org_id: int, to_org_id: int,
                n: int) -> list[int]:
    """``n`` signals routed to ``to_org_id``, written straight to the tables (a busy inbox).

    Signal ``i`` has form ``FORMS[i % 3]`` and region ``REGIONS[i % 4]``; its deadline is
    ``i - 50`` hours from now, so the first 50 are overdue. Signal ``i`` was reported
    ``1 h + i min`` ago: older than the intake limit's hour, so a busy inbox does not use up
    the reporter's own intake in a test that reports next. Returns the signal ids.
    """
    now = clock.now()
    signals = [Signal(reporter_user_id=reporter_id, owner_org_id=reporter_org_id,
                      form=FORMS[i % 3], region=REGIONS[i % 4], place=f"Plaats {i}",
                      seen="(bulk)", screening={}, created_at=now - timedelta(hours=1, minutes=i))
               for i in range(n)]
    for i, signal in enumerate(signals):
        signal.routes.append(SignalRoute(org_id=to_org_id, purpose="investigate",
                                         deadline_at=now + timedelta(hours=i - 50)))
    db.add_all(signals)
    db.flush()
    return [s.id for s in signals]
