"""Operations and their orders: who may know of them, drafting, issuing, extending, ending.

Access is two locks. The permission table (``operations.*``) admits only team leaders and
officers of police and KMar and prosecutors of the OM. Then :func:`load` admits only the
people named on the operation: the drafting team leader, the issuing prosecutor and the
operators named in the order. Everyone else gets the refusal a missing record gets, on
every route, so nobody learns that an operation exists.

An order in force (issued or extended, inside its period) allows acting; an ended or
expired order blocks every write under it and says why (:func:`check_writable`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.permissions import REFUSED, ResourceRef, authorize, enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.statemachine import StateMachine
from ketenzicht.operations import frame
from ketenzicht.operations import permissions as _permissions  # noqa: F401 - registers grants
from ketenzicht.operations.enums import LIVE, OrderStatus
from ketenzicht.operations.models import Operation, OrderVersion, Persona
from ketenzicht.operations.schemas import DraftUpdate, End, Extend, OperationCreate, OrderFields

S = OrderStatus
MACHINE: StateMachine[OrderStatus] = StateMachine.from_pairs("order", [
    (S.DRAFT, S.ISSUED), (S.DRAFT, S.ENDED),
    (S.ISSUED, S.EXTENDED), (S.EXTENDED, S.EXTENDED),
    (S.ISSUED, S.ENDED), (S.EXTENDED, S.ENDED),
    (S.ISSUED, S.EXPIRED), (S.EXTENDED, S.EXPIRED),
])

UNKNOWN_POWER = N_("Unknown power '%(power)s'; choose one of the legal frame.")
MISSING_FIELD = N_("An order under %(article)s must state: %(field)s.")
NOT_PROSECUTOR = N_("User %(id)s is not a prosecutor who can issue this order.")
NOT_OPERATOR = N_("User %(id)s cannot be named as an operator: only active officers of the "
                  "drafting organisation can.")
FOREIGN_PERSONA = N_("Persona %(id)s does not belong to this operation.")
NOT_DRAFT = N_("The order is no longer a draft; extend it instead.")
STALE = N_("The operation changed since you loaded it; reload and try again.")
ENDED = N_("The order was ended on %(date)s (%(reason)s); nothing can be recorded under it.")
EXPIRED = N_("The order expired on %(date)s; nothing can be recorded under it.")
NOT_ISSUED = N_("The order is still a draft; it must be issued before anyone acts under it.")
NOT_STARTED = N_("The order's period starts on %(date)s; nothing can be done under it yet.")
EXTEND_LATER = N_("An extension must end after the current end (%(date)s).")
ENDS_IN_PAST = N_("The order's period must end in the future.")

def ref(op: Operation) -> ResourceRef:
    """Authorisation facts: the drafting organisation owns it, the prosecutor's takes part."""
    return ResourceRef(kind="operation", id=op.id, owner_org_id=op.owner_org_id,
                       owner_user_id=op.drafted_by_user_id,
                       participant_org_ids=frozenset({op.prosecutor_org_id}))


def current(op: Operation) -> OrderVersion | None:
    """The order version in force (the latest), or None for a draft."""
    return op.versions[-1] if op.versions else None


def operators(op: Operation) -> list[int]:
    """The operators named in the current order (or in the draft)."""
    version = current(op)
    if version is not None:
        return list(version.operator_ids)
    return [int(i) for i in op.draft.get("operator_ids", [])]


def people(op: Operation) -> set[int]:
    """Everyone who may know this operation exists."""
    return {op.drafted_by_user_id, op.prosecutor_user_id, *operators(op)}


def _allowed(op: Operation, actor: Actor, action: str) -> bool:
    if actor.user_id not in people(op):
        return False
    if action == "operations.issue" and actor.user_id != op.prosecutor_user_id:
        return False
    if action == "operations.draft" and actor.user_id != op.drafted_by_user_id:
        return False
    if action == "operations.operate" and actor.user_id not in (
            {op.drafted_by_user_id, *operators(op)}):
        return False
    return authorize(actor, action, ref(op)).allowed


def may_see(op: Operation, actor: Actor) -> bool:
    """Whether ``actor`` may know that ``op`` exists (named on it, and the table allows)."""
    return _allowed(op, actor, "operations.view")


def load(session: Session, *, actor: Actor, operation_id: int,
         action: str = "operations.view") -> Operation:
    """An operation the actor is named on and may ``action``; refused alike if missing."""
    op = session.get(Operation, operation_id)
    if op is None or not _allowed(op, actor, action):
        raise Forbidden(REFUSED)
    return op


def effective_status(op: Operation, now: datetime | None = None) -> OrderStatus:
    """The status, with a live order past its end counted as expired."""
    version = current(op)
    if op.status in LIVE and version is not None and (now or clock.now()) >= version.ends_at:
        return OrderStatus.EXPIRED
    return op.status


def blocked(op: Operation, *, acting: bool, now: datetime | None = None
            ) -> tuple[str, dict[str, Any]] | None:
    """Why nothing may be written (``acting``: nothing done as the decoy) now; None if it may."""
    now = now or clock.now()
    status = effective_status(op, now)
    version = current(op)
    if status is OrderStatus.ENDED:
        at = op.closed_at or now
        return ENDED, {"date": at.date().isoformat(), "reason": op.close_reason}
    if status is OrderStatus.EXPIRED:
        end = version.ends_at if version else now
        return EXPIRED, {"date": end.date().isoformat()}
    if acting and status is OrderStatus.DRAFT:
        return NOT_ISSUED, {}
    if acting and version is not None and now < version.starts_at:
        return NOT_STARTED, {"date": version.starts_at.date().isoformat()}
    return None


def check_writable(op: Operation, *, acting: bool = False) -> None:
    """Refuse a write under an ended or expired order (or, when acting, one not in force)."""
    reason = blocked(op, acting=acting)
    if reason is not None:
        raise Conflict(reason[0], **reason[1])


def in_force(op: Operation, now: datetime | None = None) -> bool:
    """Whether the decoy may act under this order now."""
    return blocked(op, acting=True, now=now) is None


def list_operations(session: Session, *, actor: Actor) -> list[Operation]:
    """The operations the actor is named on; nobody sees any other."""
    enforce(actor, "operations.view")
    candidates = session.scalars(select(Operation).where(or_(
        Operation.owner_org_id == actor.organisation_id,
        Operation.prosecutor_org_id == actor.organisation_id)).order_by(Operation.id))
    ops = [op for op in candidates if _allowed(op, actor, "operations.view")]
    audit.record_read(session, actor=actor, resource_type="operation", ids=[o.id for o in ops])
    return ops


def get(session: Session, *, actor: Actor, operation_id: int) -> Operation:
    """One operation, read for display (audited)."""
    op = load(session, actor=actor, operation_id=operation_id)
    audit.record_read(session, actor=actor, resource_type="operation", ids=[op.id])
    return op


def _named_actor(session: Session, user_id: int, *, actor: Actor) -> Actor | None:
    # auth's read port: the account is read (and audited) under the person drafting or
    # issuing, who must name colleagues of other organisations (the prosecutor).
    user = auth_service.member(session, user_id, actor=actor)
    if user is None or user.is_system:
        return None
    return auth_service.actor_for(user) if user.is_active else None


def people_names(session: Session, *, actor: Actor, user_ids: Iterable[int | None]
                 ) -> dict[int, str]:
    """'Name (organisation)' of the people a page mentions, read through auth's port."""
    out: dict[int, str] = {}
    for uid in sorted({u for u in user_ids if u}):
        user = auth_service.member(session, uid, actor=actor)
        if user is not None:
            org = auth_service.organisation(session, user.organisation_id)
            out[uid] = f"{user.display_name} ({org.name if org else '?'})"
    return out


def nameable(session: Session, *, actor: Actor, role: str, text: str) -> list[tuple[int, str]]:
    """People a team leader may name on a draft, found by name: (user id, 'Name (org)').

    ``role`` "prosecutor": officers of justice (an OM account that may issue); "operator":
    colleagues of the drafting team who may operate. The same checks as :func:`create` and
    :func:`_check_people`; only the accounts found are read, audited under ``actor``.
    """
    enforce(actor, "operations.draft")
    if role == "prosecutor":
        orgs = [i for i, o in auth_service.directory(session).items() if o.org_type is OrgType.OM]
        action = "operations.issue"
    else:
        orgs, action = [actor.organisation_id], "operations.operate"
    out: list[tuple[int, str]] = []
    for user in auth_service.search_members(session, orgs, text, actor=actor, limit=20):
        named = auth_service.actor_for(user)
        if authorize(named, action).allowed and (role != "prosecutor"
                                                 or named.org_type is OrgType.OM):
            org = auth_service.organisation(session, user.organisation_id)
            out.append((user.id, f"{user.display_name} ({org.name if org else '?'})"))
    return out[:10]


def _check_people(session: Session, op: Operation, operator_ids: Iterable[int], *,
                  actor: Actor) -> None:
    prosecutor = _named_actor(session, op.prosecutor_user_id, actor=actor)
    if prosecutor is None or not authorize(prosecutor, "operations.issue", ref(op)).allowed:
        raise ValidationFailed(NOT_PROSECUTOR, id=op.prosecutor_user_id)
    for uid in operator_ids:
        named = _named_actor(session, uid, actor=actor)
        if named is None or not authorize(named, "operations.operate", ref(op)).allowed:
            raise ValidationFailed(NOT_OPERATOR, id=uid)


def _check_fields(session: Session, op: Operation, order: dict[str, Any], *,
                  complete: bool, actor: Actor) -> None:
    power = frame.load().powers.get(str(order.get("power")))
    if power is None:
        raise ValidationFailed(UNKNOWN_POWER, power=str(order.get("power")))
    if complete:
        for name in power.order_fields:
            if not order.get(name):
                raise ValidationFailed(MISSING_FIELD, article=power.article, field=name)
    personas = set(session.scalars(select(Persona.id).where(Persona.operation_id == op.id)))
    for pid in order.get("persona_ids", []):
        if pid not in personas:
            raise ValidationFailed(FOREIGN_PERSONA, id=pid)
    _check_people(session, op, order.get("operator_ids", []), actor=actor)


def _dump(order: OrderFields) -> dict[str, Any]:
    return order.model_dump(mode="json")


def create(session: Session, *, actor: Actor, data: OperationCreate) -> Operation:
    """A team leader drafts an operation, naming the prosecutor and the operators."""
    enforce(actor, "operations.draft")
    if data.case_id is not None:
        cases_service.load(session, actor=actor, case_id=data.case_id)
    prosecutor = _named_actor(session, data.prosecutor_user_id, actor=actor)
    if prosecutor is None or prosecutor.org_type is not OrgType.OM:
        raise ValidationFailed(NOT_PROSECUTOR, id=data.prosecutor_user_id)
    op = Operation(title=data.title, owner_org_id=actor.organisation_id,
                   drafted_by_user_id=actor.user_id,
                   prosecutor_user_id=data.prosecutor_user_id,
                   prosecutor_org_id=prosecutor.organisation_id, case_id=data.case_id,
                   status=OrderStatus.DRAFT, draft=_dump(data.order))
    session.add(op)
    session.flush()
    _check_fields(session, op, op.draft, complete=False, actor=actor)
    audit.record(session, actor=actor, action="create", resource_type="operation",
                 resource_id=op.id, detail={"power": data.order.power})
    return op


def update_draft(session: Session, *, actor: Actor, operation_id: int,
                 data: DraftUpdate) -> Operation:
    """Change the draft order (the team leader, while it is a draft)."""
    op = load(session, actor=actor, operation_id=operation_id, action="operations.draft")
    if op.status is not OrderStatus.DRAFT:
        raise Conflict(NOT_DRAFT)
    if op.version != data.version:
        raise Conflict(STALE)
    draft = _dump(data.order)
    _check_fields(session, op, draft, complete=False, actor=actor)
    op.draft = draft
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(STALE) from None
    audit.record(session, actor=actor, action="update", resource_type="operation",
                 resource_id=op.id, detail={"draft": True})
    return op


def _new_version(session: Session, op: Operation, actor: Actor, order: dict[str, Any],
                 note: str = "") -> OrderVersion:
    now = clock.now()
    version = OrderVersion(
        operation_id=op.id, version=op.current_version + 1, power=str(order["power"]),
        issued_on=now, issued_by_user_id=actor.user_id, crime=order.get("crime", ""),
        suspect=order.get("suspect", ""), grounds=order.get("grounds", ""),
        service_nature=order.get("service_nature", ""),
        services=list(order.get("services", [])),
        starts_at=datetime.fromisoformat(str(order["starts_at"])),
        ends_at=datetime.fromisoformat(str(order["ends_at"])),
        platforms=list(order.get("platforms", [])),
        operator_ids=[int(i) for i in order.get("operator_ids", [])],
        persona_ids=[int(i) for i in order.get("persona_ids", [])],
        civilian=order.get("civilian", ""), agreement=order.get("agreement", ""), note=note)
    session.add(version)
    op.current_version = version.version
    op.warned_7d = op.warned_1d = False
    session.flush()
    session.refresh(op, ["versions"])
    return version


def issue(session: Session, *, actor: Actor, operation_id: int) -> Operation:
    """The prosecutor issues the draft as version 1 of the written order."""
    op = load(session, actor=actor, operation_id=operation_id, action="operations.issue")
    MACHINE.check(op.status, OrderStatus.ISSUED)
    _check_fields(session, op, op.draft, complete=True, actor=actor)
    if datetime.fromisoformat(str(op.draft["ends_at"])) <= clock.now():
        raise ValidationFailed(ENDS_IN_PAST)
    _new_version(session, op, actor, op.draft)
    op.status, op.issued_at = OrderStatus.ISSUED, clock.now()
    session.flush()
    audit.record(session, actor=actor, action="issue", resource_type="operation",
                 resource_id=op.id, detail={"version": op.current_version})
    return op


def extend(session: Session, *, actor: Actor, operation_id: int, data: Extend) -> Operation:
    """The prosecutor extends a live order: a new immutable version with a later end."""
    op = load(session, actor=actor, operation_id=operation_id, action="operations.issue")
    check_writable(op)
    MACHINE.check(op.status, OrderStatus.EXTENDED)
    version = current(op)
    assert version is not None
    if data.ends_at <= version.ends_at:
        raise ValidationFailed(EXTEND_LATER, date=version.ends_at.date().isoformat())
    order = {c: getattr(version, c) for c in (
        "power", "crime", "suspect", "grounds", "service_nature", "services", "platforms",
        "operator_ids", "persona_ids", "civilian", "agreement")}
    order["starts_at"], order["ends_at"] = version.starts_at.isoformat(), data.ends_at.isoformat()
    for name in ("operator_ids", "persona_ids", "platforms"):
        if getattr(data, name) is not None:
            order[name] = list(getattr(data, name))
    _check_fields(session, op, order, complete=True, actor=actor)
    _new_version(session, op, actor, order, note=data.note)
    op.status = OrderStatus.EXTENDED
    session.flush()
    audit.record(session, actor=actor, action="extend", resource_type="operation",
                 resource_id=op.id, detail={"version": op.current_version,
                                            "ends_at": data.ends_at.isoformat()})
    return op


def end(session: Session, *, actor: Actor, operation_id: int, data: End) -> Operation:
    """End the order early (the prosecutor, or the team leader who drafted it)."""
    op = session.get(Operation, operation_id)
    action = ("operations.issue" if op is not None and actor.user_id == op.prosecutor_user_id
              else "operations.draft")
    op = load(session, actor=actor, operation_id=operation_id, action=action)
    check_writable(op)
    MACHINE.check(op.status, OrderStatus.ENDED)
    op.status, op.closed_at, op.close_reason = OrderStatus.ENDED, clock.now(), data.reason
    session.flush()
    audit.record(session, actor=actor, action="end", resource_type="operation",
                 resource_id=op.id, detail={"reason": data.reason})
    return op


def expire_due(session: Session, *, now: datetime | None = None) -> list[Operation]:
    """Record as expired every live order whose period is over (the periodic job)."""
    now = now or clock.now()
    done = []
    for op in session.scalars(select(Operation).where(Operation.status.in_(list(LIVE)))):
        if effective_status(op, now) is OrderStatus.EXPIRED:
            MACHINE.check(op.status, OrderStatus.EXPIRED)
            op.status, op.closed_at = OrderStatus.EXPIRED, now
            done.append(op)
            audit.record(session, actor=None, action="expire", resource_type="operation",
                         resource_id=op.id)
    session.flush()
    return done
