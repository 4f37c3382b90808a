"""HTML routes of the evidence domain: the matrix page, items, links, wage check, dossier."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock, listing, pdf
from ketenzicht.core.errors import NotFound, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.i18n import gettext as _
from ketenzicht.evidence import framework, keys, reads, service
from ketenzicht.evidence.enums import KIND_LABELS, PLATFORM_KINDS, ItemKind, Strength
from ketenzicht.evidence.schemas import ChargesIn, ItemCreate, LinkCreate, SettingIn, WageCheckIn
from ketenzicht.selfcheck.schemas import PayKind, Period, parse_number
from ketenzicht.web.deps import FormDep, PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render, render_document
from ketenzicht.web.validation import messages as validation_messages

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")
NO_FILE = N_("Choose a file to upload.")
DEDUCTION_KINDS = ("housing", "insurance", "transport", "fines", "other")

Viewer = Annotated[Actor, Depends(require("evidence.view"))]
Adder = Annotated[Actor, Depends(require("evidence.add"))]
Exporter = Annotated[Actor, Depends(require("evidence.export"))]
Prosecutor = Annotated[Actor, Depends(require("evidence.charge"))]


def _back(case_id: int, anchor: str = "", item_id: int | None = None) -> RedirectResponse:
    # ``item``: the page of the list that holds that item, whichever page that is.
    focus = f"?item={item_id}" if item_id is not None else ""
    return RedirectResponse(f"/cases/{case_id}/evidence{focus}{anchor}", status_code=303)


def _validate(model: Any, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc


def _element_options() -> list[tuple[str, str]]:
    law = framework.load()
    out = []
    for key, el in law.elements.items():
        out.append((key, el.title))
        out.extend((f"{key}.{f}", f"{el.title} — {title}") for f, (title, _src)
                   in el.factors.items())
    return out


@router.get("/cases/{case_id}/evidence")
def evidence_page(request: Request, session: SessionDep, settings: SettingsDep,
                  case_id: PathId, actor: Viewer) -> Response:
    """The matrix per suspect, the items, and the forms to add and link evidence."""
    case = service.load_case(session, actor=actor, case_id=case_id)
    law = framework.load()
    fw = request.query_params.get("framework")
    mats = reads.matrices(session, actor=actor, case_id=case_id,
                          framework_key=fw if fw in law.frameworks else None)
    query = listing.parse(request.query_params, service.items_spec())
    focus = request.query_params.get("item", "")
    page = service.page_items(session, actor=actor, case=case, query=query,
                              focus=int(focus) if focus.isdigit() else None)
    items = page.items
    setting = service.setting_of(session, case.id)
    # Pages name people, not account numbers: who added each item, who may see a statement.
    people = service.people_names(session, actor=actor, user_ids=[
        uid for i in items for uid in (i.added_by_user_id, *i.restricted_to)])
    return render(request, "evidence/page.html", {
        "people": people,
        "seen_by": {i.id: [people.get(u, "?") for u in i.restricted_to] for i in items
                    if i.restricted_to},
        "case": case, "matrices": mats, "page": page.map(reads.item_read),
        "all_items": page.total,
        "suspects": service.suspects(case), "law": law, "setting": setting,
        "current_fw": law.frameworks[mats[0].framework if mats else setting.framework],
        "element_options": _element_options(),
        "max_upload_bytes": settings.evidence_max_upload_bytes,
        "max_upload_mb": service.megabytes(settings.evidence_max_upload_bytes),
        "kinds": [k for k in ItemKind if k not in PLATFORM_KINDS],
        "kind_labels": KIND_LABELS,
        "kind_choices": [(k.value, _(KIND_LABELS[k])) for k in ItemKind],
        "strengths": list(Strength), "today": clock.now().date().isoformat()})


@router.get("/cases/{case_id}/evidence/people")
def people_picker(request: Request, session: SessionDep, case_id: PathId, actor: Adder,
                  q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Search-as-you-type (htmx): people who may be named on a victim's statement."""
    case = service.load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    found = service.nameable(session, actor=actor, case=case, text=q)
    return render(request, "evidence/_people.html", {"found": found, "q": q.strip()})


@router.post("/cases/{case_id}/evidence/items")
def add_item(request: Request, session: SessionDep, settings: SettingsDep,
             case_id: PathId, actor: Adder, form: FormDep) -> Response:
    """Upload an item (multipart); refused whole when the file is over the limit.

    A body declaring more than the limit is refused before it is read
    (``web.limits.limit_for``); the page's script refuses such a file before it is sent,
    so the form keeps what was typed.
    """
    service.load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed(NO_FILE)
    # The picker sends one ``restricted_to`` per person chosen (a user id as its value).
    restricted = [v for raw in form.getlist("restricted_to")
                  for v in str(raw).replace(",", " ").split() if v]
    data = _validate(ItemCreate, {
        "kind": form.get("kind"), "title": form.get("title") or "",
        "source": form.get("source") or "", "obtained_on": form.get("obtained_on"),
        "filename": (upload.filename or "item.bin")[-200:], "note": form.get("note") or "",
        "restricted_to": restricted})
    # Streamed from the server's spooled upload into the store: never whole in memory.
    item = service.add_item(session, actor=actor, case_id=case_id, data=data,
                            content=upload.file, settings=settings)
    return _back(case_id, f"#item-{item.id}", item.id)


@router.post("/cases/{case_id}/evidence/items/{item_id}/links")
def link_item(request: Request, session: SessionDep, case_id: PathId, item_id: PathId,
              actor: Adder, form: FormDep) -> Response:
    """Link an item to an element for the chosen suspects."""
    service.load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    data = _validate(LinkCreate, {
        "element": form.get("element") or "", "strength": form.get("strength"),
        "suspect_ids": [v for v in form.getlist("suspect_ids") if v],
        "note": form.get("note") or ""})
    service.link_item(session, actor=actor, case_id=case_id, item_id=item_id, data=data)
    return _back(case_id, "#matrix")


@router.post("/cases/{case_id}/evidence/charges")
async def charges(request: Request, session: SessionDep, case_id: PathId,
                  actor: Prosecutor) -> Response:
    """The public prosecutor chooses the sub-clauses charged against one suspect."""
    service.load_case(session, actor=actor, case_id=case_id, action="evidence.charge")
    form = await request.form()
    data = _validate(ChargesIn, {"suspect_id": form.get("suspect_id") or "",
                                 "subclauses": [str(v) for v in form.getlist("subclauses")]})
    service.set_charges(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id, f"#matrix-{data.suspect_id}")


@router.post("/cases/{case_id}/evidence/setting")
def setting(request: Request, session: SessionDep, case_id: PathId,
            actor: Adder, form: FormDep) -> Response:
    """Choose the framework and say whether the victim is a minor."""
    service.load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    minor = {"yes": True, "no": False}.get(str(form.get("victim_minor") or ""))
    data = _validate(SettingIn, {"framework": form.get("framework") or "",
                                 "victim_minor": minor})
    service.set_setting(session, actor=actor, case_id=case_id, data=data)
    return _back(case_id)


@router.get("/cases/{case_id}/evidence/items/{item_id}/content")
def item_content(session: SessionDep, settings: SettingsDep, case_id: PathId,
                 item_id: PathId, actor: Viewer) -> Response:
    """Download an item's bytes (never shown inline)."""
    item, data = service.item_content(session, actor=actor, case_id=case_id, item_id=item_id,
                                      settings=settings)
    return reads.attachment(data, f"item-{item.id}-{item.sha256[:12]}.bin")


def _wage_context(case_id: int, result: Any = None, errors: list[str] | None = None,
                  values: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "result": result, "errors": errors or [],
            "values": values or {}, "periods": list(Period), "pay_kinds": list(PayKind),
            "deduction_kinds": DEDUCTION_KINDS, "money": reads.money}


@router.get("/cases/{case_id}/evidence/wage")
def wage_form(request: Request, session: SessionDep, case_id: PathId,
              actor: Viewer) -> Response:
    """The wage check form."""
    service.load_case(session, actor=actor, case_id=case_id)
    return render(request, "evidence/wage.html", _wage_context(case_id))


@router.post("/cases/{case_id}/evidence/wage")
def wage_submit(request: Request, session: SessionDep, settings: SettingsDep,
                case_id: PathId, actor: Viewer, form: FormDep) -> Response:
    """Run the wage check; save it as an evidence item when asked."""
    service.load_case(session, actor=actor, case_id=case_id)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    deductions: list[dict[str, Any]] = []
    errors: list[str] = []
    # Amounts as people type them ("150,50", "1.250,00", "€ 450"), read like the selfcheck
    # reads them; an unreadable one is an error, never silently left out of the arrears.
    numbers: dict[str, Decimal | None] = {}
    for name, money in (("hours", False), ("pay", True), ("holiday_paid", True),
                        *((f"ded_{kind}", True) for kind in DEDUCTION_KINDS)):
        try:
            numbers[name] = parse_number(values.get(name, ""), money=money)
        except ValueError:
            errors.append(_("%(field)s: not a number: %(value)s")
                          % {"field": name, "value": values.get(name, "")})
    for kind in DEDUCTION_KINDS:
        amount = numbers.get(f"ded_{kind}")
        if amount:
            deductions.append({"kind": kind, "amount": amount,
                               "authorised": form.get(f"auth_{kind}") == "on"})
    try:
        data = WageCheckIn.model_validate({
            "on": form.get("on"), "period": form.get("period"), "hours": numbers.get("hours"),
            "pay": numbers.get("pay"), "pay_kind": form.get("pay_kind"),
            "holiday_paid": numbers.get("holiday_paid") or 0,
            "age": form.get("age") or None, "deductions": deductions,
            "save": form.get("save") == "on"})
    except ValidationError as exc:
        errors += validation_messages(exc.errors())
    if errors:
        return render(request, "evidence/wage.html",
                      _wage_context(case_id, errors=errors, values=values), status_code=422)
    result = reads.wage_check(session, actor=actor, case_id=case_id, data=data,
                              settings=settings)
    return render(request, "evidence/wage.html",
                  _wage_context(case_id, result=result, values=values))


def _pdf(request: Request, session: SessionDep, actor: Actor, case_id: int) -> bytes:
    case, items, mats = reads.dossier_data(session, actor=actor, case_id=case_id)
    html = render_document("evidence/dossier_pdf.html", {
        "case": case, "items": items, "matrices": mats, "law": framework.load(),
        "kind_labels": KIND_LABELS})
    return pdf.render(html)


@router.get("/cases/{case_id}/evidence/dossier.pdf")
def dossier_pdf(request: Request, session: SessionDep, case_id: PathId,
                actor: Exporter) -> Response:
    """The dossier as PDF: index, matrix per suspect and the items."""
    body = _pdf(request, session, actor, case_id)
    reads.record_export(session, actor=actor, case_id=case_id, what="pdf")
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="dossier-{case_id}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/cases/{case_id}/evidence/dossier.zip")
def dossier_zip(request: Request, session: SessionDep, settings: SettingsDep,
                case_id: PathId, actor: Exporter) -> Response:
    """The signed dossier ZIP: PDF, items and a manifest of their SHA-256."""
    pdf = _pdf(request, session, actor, case_id)
    data = reads.export_zip(session, actor=actor, case_id=case_id, pdf=pdf, settings=settings)
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="dossier-{case_id}.zip"',
        "Cache-Control": "no-store"})


@router.get("/evidence/keys")
def signing_keys(request: Request, session: SessionDep) -> Response:
    """Public: every organisation's dossier-signing public key, to verify a dossier with."""
    return render(request, "evidence/keys.html", {"keys": keys.published(session)})


@router.get("/evidence/keys/{key_id}.pem")
def signing_key_pem(session: SessionDep, key_id: str) -> Response:
    """Public: one public key as PEM, for ``ketenzicht evidence verify --public-key``."""
    for k in keys.published(session):
        if k.key_id == key_id:
            return Response(k.pem, media_type="application/x-pem-file", headers={
                "Content-Disposition": f'attachment; filename="{key_id}.pem"',
                "X-Content-Type-Options": "nosniff"})
    raise NotFound(N_("No published key has this id."))
