"""The registration export in the shape of CoMensha's national registration.

The pseudonymised variant drops signal ids and gives each presumed victim a stable key
(the person links between signals, joined into groups, hashed with the platform key), so it
can serve as list input for the dark-number estimation (``monitor``): the reporting
organisation type is the list.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.linkage import link_key
from ketenzicht.signals.models import Signal, SignalLink
from ketenzicht.signals.schemas import RegistrationRow


def _person_groups(session: Session) -> dict[int, int]:
    """Signal id -> smallest signal id of its group of person links (union-find)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in session.execute(select(SignalLink.signal_id, SignalLink.other_signal_id)
                                .where(SignalLink.kind == LinkKind.PERSON)):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def registration(session: Session, *, actor: Actor | None, pseudonymised: bool
                 ) -> list[RegistrationRow]:
    """Every signal with indicators present, as registration rows; the export is audited."""
    if actor is not None:
        enforce(actor, "signal.export_pseudonymised" if pseudonymised else "signal.export")
    orgs = auth_service.directory(session)
    groups = _person_groups(session) if pseudonymised else {}
    key = link_key()
    rows = []
    signals = session.scalars(select(Signal).where(Signal.indicators_present.is_(True))
                              .order_by(Signal.id))
    for s in signals:
        person = None
        if pseudonymised:
            root = groups.get(s.id, s.id)
            person = hmac.new(key, f"person:{root}".encode(), hashlib.sha256).hexdigest()[:16]
        rows.append(RegistrationRow(
            signal_id=None if pseudonymised else s.id, person_key=person,
            registered_month=s.created_at.strftime("%Y-%m"), form=s.form, age_band=s.age_band,
            gender=s.gender, nationality=s.nationality or "unknown",
            reporting_org_type=str(orgs[s.owner_org_id].org_type), region=s.region))
    audit.record(session, actor=actor, action="export", resource_type="signal",
                 detail={"rows": len(rows), "pseudonymised": pseudonymised})
    return rows


def to_csv(rows: list[RegistrationRow]) -> str:
    """Rows as CSV with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(RegistrationRow.model_fields))
    writer.writeheader()
    for row in rows:
        writer.writerow(row.model_dump(mode="json"))
    return out.getvalue()
