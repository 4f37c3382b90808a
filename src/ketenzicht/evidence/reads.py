"""Read shapes of evidence: the matrix with its advice, the wage check, the dossier."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases.service import Case
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.evidence import dossier, framework, keys, service, store, wage
from ketenzicht.evidence.enums import RESTRICTED_KINDS, Coverage, ItemKind
from ketenzicht.evidence.models import EvidenceItem
from ketenzicht.evidence.schemas import (
    CellRead,
    ItemCreate,
    ItemRead,
    MatrixRead,
    RowRead,
    WageCheckIn,
    WageCheckRead,
)

ADVICE_ONLY = N_("This is advice to the investigation team, never a verdict: the court "
                 "weighs the evidence.")
COMPLETE = N_("every element of sub-clause %(sub)s is covered by evidence")
INCOMPLETE_SUB = N_("sub-clause %(sub)s: evidence still incomplete: %(elements)s not "
                    "substantiated")
NOT_CHARGED = N_("no sub-clause charged yet (the public prosecutor chooses them); closest "
                 "to proof: %(advice)s")
R_OPEN = N_("%(element)s: no evidence linked yet")
R_WEAK = N_("%(element)s: only weak evidence")
R_VICTIM = N_("%(element)s: rests only on the victim's statement")
R_FACTOR = N_("%(element)s: factor '%(factor)s' (HR BI7099) not yet substantiated")
R_BILL = N_("evaluated under %(title)s: %(status)s")
R_MINOR = N_("the victim is a minor: no means required (%(source)s)")


def _supports(items: list[EvidenceItem], suspect_id: int) -> list[framework.Support]:
    return [framework.Support(item_id=i.id, element=lk.element, strength=lk.strength,
                              victim_statement=i.kind in RESTRICTED_KINDS)
            for i in items for lk in i.links if lk.suspect_id == suspect_id]


def _alternatives(el: framework.Element, kinds_present: set[str]) -> list[dict[str, Any]]:
    return [{"kind": kind, "text": text, "present": kind in kinds_present}
            for kind, text in el.alternatives]


def _advice(row: framework.Row, label: dict[str, str]) -> str:
    """One sub-clause's state in words, naming it (``1°``)."""
    sub = f"{row.subclause.key}°"
    if row.complete:
        return gettext(COMPLETE) % {"sub": sub}
    names = list(dict.fromkeys(label[c.element] for c in row.cells
                               if c.coverage in (Coverage.OPEN, Coverage.ZWAK)))
    return gettext(INCOMPLETE_SUB) % {"sub": sub, "elements": ", ".join(names) or "—"}


def matrix_for(case: Case, items: list[EvidenceItem], suspect_id: int, *,
               framework_key: str, victim_minor: bool | None,
               charged: list[str] | None = None) -> MatrixRead:
    """The matrix of one suspect from items already loaded (no audit, no queries).

    The conclusion speaks of the sub-clauses the prosecutor charged, each by name; until
    some are charged it says so, and names the sub-clause closest to proof.
    """
    law = framework.load()
    fw = law.frameworks[framework_key]
    suspect = next(p for p in service.suspects(case) if p.id == suspect_id)
    rows = framework.evaluate(law, framework_key, _supports(items, suspect_id),
                              victim_minor=victim_minor)
    present = {str(i.kind) for i in items}
    out_rows = [RowRead(subclause=r.subclause.key, title=r.subclause.title, complete=r.complete,
                        cells=[CellRead(element=c.element, title=law.elements[c.element].title,
                                        coverage=str(c.coverage),
                                        item_ids=sorted({s.item_id for s in c.items}),
                                        open_factors=list(c.open_factors),
                                        victim_only=c.victim_only,
                                        alternatives=_alternatives(law.elements[c.element],
                                                                   present)
                                        if c.coverage in (Coverage.OPEN, Coverage.ZWAK)
                                        or c.victim_only else [])
                               for c in r.cells]) for r in rows]
    label = {k: e.label for k, e in law.elements.items()}
    reasons: list[str] = []
    chosen = [k for k in charged or () if any(r.subclause.key == k for r in rows)]
    for out in out_rows:
        out.charged = out.subclause in chosen
    focus = [r for r in rows if r.subclause.key in chosen]
    if focus:
        text = "; ".join(_advice(r, label) for r in focus)
    else:
        concl = framework.conclude(rows)
        best_row = next((r for r in rows if r.subclause.key == concl.subclause), None)
        text = gettext(NOT_CHARGED) % {"advice": _advice(best_row, label)} if best_row \
            else gettext(NOT_CHARGED) % {"advice": "—"}
        focus = [best_row] if best_row else []
    for c in (c for r in focus for c in r.cells):
        name = label[c.element]
        if c.coverage is Coverage.OPEN:
            reasons.append(gettext(R_OPEN) % {"element": name})
        elif c.coverage is Coverage.ZWAK:
            reasons.append(gettext(R_WEAK) % {"element": name})
        if c.victim_only:
            reasons.append(gettext(R_VICTIM) % {"element": name})
        for f in c.open_factors:
            reasons.append(gettext(R_FACTOR) % {"element": name,
                                                "factor": law.elements[c.element].factors[f][0]})
        if c.coverage is Coverage.NIET_VEREIST:
            reasons.append(gettext(R_MINOR) % {"source": fw.minors_source})
    if not fw.in_force:
        reasons.append(gettext(R_BILL) % {"title": fw.title, "status": fw.status})
    return MatrixRead(case_id=case.id, suspect_id=suspect_id, suspect=suspect.pseudonym,
                      framework=fw.key, framework_status=fw.status, victim_minor=victim_minor,
                      rows=out_rows, charged=chosen, conclusion=text, reasons=reasons,
                      advice_only=gettext(ADVICE_ONLY))


def matrices(session: Session, *, actor: Actor, case_id: int, framework_key: str | None = None,
             suspect_id: int | None = None) -> list[MatrixRead]:
    """The matrix per suspect of a case (over the items the actor may see); audited."""
    case = service.load_case(session, actor=actor, case_id=case_id)
    setting = service.setting_of(session, case.id)
    key = framework_key or setting.framework
    if key not in framework.load().frameworks:
        key = framework.DEFAULT_FRAMEWORK
    items = service.visible_items(session, actor=actor, case=case)
    ids = [p.id for p in service.suspects(case)]
    if suspect_id is not None:
        if suspect_id not in ids:
            raise Forbidden(REFUSED)
        ids = [suspect_id]
    audit.record_read(session, actor=actor, resource_type="evidence_item",
                      ids=[i.id for i in items])
    return [matrix_for(case, items, sid, framework_key=key, victim_minor=setting.victim_minor,
                       charged=service.charged_of(setting, sid)) for sid in ids]


def wage_check(session: Session, *, actor: Actor, case_id: int, data: WageCheckIn,
               settings: Settings | None = None) -> WageCheckRead:
    """Run the wage check for a case; saved as an evidence item when asked."""
    service.load_case(session, actor=actor, case_id=case_id,
                      action="evidence.add" if data.save else "evidence.view")
    result = wage.run_periods([wage.PeriodIn(
        on=p.on, period=p.period, hours=p.hours, pay=p.pay, pay_kind=p.pay_kind,
        holiday_paid=p.holiday_paid,
        deductions=[wage.Deduction(d.kind, d.amount, d.authorised) for d in p.deductions])
        for p in [data, *data.more_periods]], age=data.age)
    facts = result.facts()
    item_id = None
    if data.save:
        body = json.dumps({"input": data.model_dump(mode="json", exclude={"save"}),
                           "result": facts}, sort_keys=True, ensure_ascii=False,
                          default=str).encode()
        item = service.add_item(session, actor=actor, case_id=case_id, content=body,
                                settings=settings, facts=facts, data=ItemCreate(
                                    kind=ItemKind.WAGE_CHECK, title=data.title,
                                    source=data.source, obtained_on=clock.now().date(),
                                    filename=f"loontoets-{data.on.isoformat()}.json"))
        item_id = item.id
    audit.record(session, actor=actor, action="wage_check", resource_type="case",
                 resource_id=case_id, detail={"saved_as": item_id,
                                              "verdict": str(result.verdict)})
    return WageCheckRead(verdict=str(result.verdict),
                         arrears=str(result.arrears) if result.arrears is not None else None,
                         facts=facts, item_id=item_id)


def dossier_data(session: Session, *, actor: Actor, case_id: int
                 ) -> tuple[Case, list[EvidenceItem], list[MatrixRead]]:
    """What a dossier holds: the visible items and every suspect's matrix."""
    case = service.load_case(session, actor=actor, case_id=case_id, action="evidence.export")
    setting = service.setting_of(session, case.id)
    items = service.visible_items(session, actor=actor, case=case)
    mats = [matrix_for(case, items, p.id, framework_key=setting.framework,
                       victim_minor=setting.victim_minor,
                       charged=service.charged_of(setting, p.id))
            for p in service.suspects(case)]
    return case, items, mats


def export_zip(session: Session, *, actor: Actor, case_id: int, pdf: bytes,
               settings: Settings | None = None) -> bytes:
    """The signed dossier ZIP: the PDF, every visible item and the manifest; audited."""
    settings = settings or get_settings()
    case, items, _ = dossier_data(session, actor=actor, case_id=case_id)
    base = store.root(settings)
    files = [dossier.DossierFile(dossier.PDF_NAME, pdf, {"role": "index"})]
    for i in items:
        files.append(dossier.DossierFile(
            f"items/{i.id:05d}-{i.sha256[:12]}.bin", store.get(base, i.sha256),
            {"item_id": i.id, "kind": str(i.kind), "title": i.title, "source": i.source,
             "obtained_on": i.obtained_on.isoformat(), "filename": i.filename,
             "added_by_user_id": i.added_by_user_id, "stored_sha256": i.sha256}))
    key = keys.signer(session, settings=settings, organisation_id=actor.organisation_id)
    data = dossier.build_zip(key, header={
        "case_id": case.id, "created_at": clock.now().isoformat(),
        "created_by": actor.username, "organisation_id": actor.organisation_id,
        "organisation": keys.organisation_name(session, actor.organisation_id)},
        files=files, stamp=keys.stamper(settings))
    audit.record(session, actor=actor, action="export", resource_type="case",
                 resource_id=case.id, detail={"items": [i.id for i in items]})
    return data


def money(value: str | Decimal | None) -> str:
    """Euros for display (``€ 1.234,56`` style is left to the template's locale)."""
    return "—" if value is None else f"€ {Decimal(value):.2f}"


def record_export(session: Session, *, actor: Actor, case_id: int, what: str) -> None:
    """Audit a dossier download other than the ZIP (which audits itself)."""
    audit.record(session, actor=actor, action="export", resource_type="case",
                 resource_id=case_id, detail={"format": what})


def item_read(item: EvidenceItem) -> ItemRead:
    """An item for display: never its content, and whether it is a restricted statement."""
    read = ItemRead.model_validate(item)
    read.restricted = bool(item.restricted_to)
    return read


def attachment(data: bytes, name: str) -> Response:
    """Bytes as an opaque download (never sniffed, never shown inline, never run)."""
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox"})
