"""HTML routes of the signals domain: intake form, result, list and inbox."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.core import listing
from ketenzicht.core.errors import DomainError, Forbidden, TooManyAttempts, ValidationFailed
from ketenzicht.core.i18n import N_, get_locale, gettext
from ketenzicht.signals import inbox, intake, service
from ketenzicht.signals import routing as routing_table
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.enums import AgeBand
from ketenzicht.signals.explain import grade_name
from ketenzicht.signals.permissions import HANDLERS
from ketenzicht.signals.pprl.schema import published_json as pprl_schema
from ketenzicht.signals.schemas import RouteDecision, RouteForward, SignalCreate
from ketenzicht.web.deps import FormDep, PathId, SessionDep, SettingsDep, require
from ketenzicht.web.templating import render
from ketenzicht.web.validation import messages as validation_messages

router = APIRouter(include_in_schema=False)
INVALID = N_("Some input is not valid.")
UNKNOWN = N_("Unknown")

LIST_FIELDS = ("indicators", "checklist_items", "control_methods")
BOOL_FIELDS = ("acute_danger", "no_identity")
TEXT_FIELDS = ("form", "seen", "recruiter_relation", "place", "region", "sector_isic",
               "employer", "address", "phone", "vehicle", "pseudonym", "age", "age_band",
               "gender", "nationality", "language", "registration_consent")


def _form_payload(raw: FormData) -> dict[str, Any]:
    """The form as typed: lists for the tick boxes, text as given."""
    payload: dict[str, Any] = {f: [str(v) for v in raw.getlist(f)][:120] for f in LIST_FIELDS}
    for field in TEXT_FIELDS:
        value = raw.get(field)
        payload[field] = str(value)[:10_000] if isinstance(value, str) else ""
    for field in BOOL_FIELDS:
        payload[field] = raw.get(field) == "on"
    payload["share_identities"] = raw.get("withhold_identities") != "on"
    # The profile's signs are kept as ticked, so that a form shown again shows them ticked.
    payload["signs"] = [str(v) for v in raw.getlist("signs")][:40]
    profile = raw.get("profile")
    payload["profile"] = profile if isinstance(profile, str) and profile in \
        intake.profiles() else ""
    payload["encoded_keys"] = _encoded_keys(raw.get("encodings"))
    return payload


# The identifying fields an organisation that withholds identities encodes on its own device.
IDENTITY_FIELDS = ("pseudonym", "employer", "address", "phone", "vehicle")


def _encoded_keys(value: object) -> list[Any]:
    """The intake page's encodings (``static/pprl/withhold.js``) as ``encoded_keys``.

    The page posts one JSON object in the shape ``ketenzicht linkage encode`` writes:
    ``{"schema": "v1", "key_version": "2026", "fields": {"person": "<hex>", …}}``. What is
    not of that shape is passed on as it is, so that validation refuses it by name (422).
    """
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        data = json.loads(value[:20_000])
    except ValueError:
        return [value[:100]]
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, dict):
        return [data]
    return [{"kind": kind, "bloom": bloom, "key_version": data.get("key_version")}
            for kind, bloom in fields.items()]


def _kept(payload: dict[str, Any]) -> dict[str, Any]:
    """What may be kept as a draft and shown again: never a withheld identity, never the
    encodings (the page makes them anew from what is typed, with the key)."""
    kept = {k: v for k, v in payload.items() if k != "encoded_keys"}
    if kept.get("share_identities") is False:
        kept |= dict.fromkeys(IDENTITY_FIELDS, "")
    return kept


def _to_create(payload: dict[str, Any], draft_id: int | None) -> SignalCreate:
    signs = list(payload.get("signs") or [])
    if unknown := intake.unknown_signs(signs):
        raise ValidationFailed(N_("Unknown signs on the form: %(signs)s. Reload the form."),
                               signs=", ".join(unknown)[:200])
    ticked = intake.expand(signs, payload)
    data = {k: v for k, v in {**payload, **ticked}.items()
            if v not in ("", None) and k not in ("signs", "profile")}
    if data.get("nationality"):
        data["nationality"] = str(data["nationality"]).strip().upper()
    if data.get("sector_isic"):
        data["sector_isic"] = str(data["sector_isic"]).strip().upper()
    data["draft_id"] = draft_id
    return SignalCreate.model_validate(data)


def _form_context(payload: dict[str, Any], errors: list[str], draft_id: int | None,
                  actor: Actor, asked: str | None = None) -> dict[str, Any]:
    cat = catalogue()
    tbl = routing_table.table()
    locale = get_locale()
    profile = intake.profile_for(str(actor.org_type), asked or payload.get("profile"))
    # The full lists open by themselves when something in them is ticked that the
    # profile's signs do not stand for: what was typed is never hidden.
    covered = intake.expand(payload.get("signs") or [], {})
    full_open = any(c not in covered[f] for f in intake.TICK_FIELDS
                    for c in payload.get(f) or []) or profile is None
    return {
        "form": payload, "errors": errors, "draft_id": draft_id, "cat": cat, "locale": locale,
        "profile": profile, "profiles": list(intake.profiles().values()),
        "full_open": full_open,
        "pprl_schema": pprl_schema(),
        "by_dimension": cat.indicators_by_dimension(),
        "region_options": [("", "—"), *((k, v.text(locale)) for k, v in tbl.regions.items())],
        "isic_options": [("", "—"), *((k, f"{k} {v.text(locale)}")
                                      for k, v in cat.isic_sections.items())],
        "recruiter_options": [("", "—"), *((k, v.text(locale))
                                           for k, v in cat.recruiter_relations.items())],
        "band_options": [(b.value, gettext(UNKNOWN) if b is AgeBand.UNKNOWN else b.value)
                         for b in AgeBand],
    }


@router.get("/signals")
def signals_page(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("signal.list"))],
) -> Response:
    """Signals you reported, of your organisation or routed to it: paged, filtered."""
    query = listing.parse(request.query_params, service.signals_spec())
    # A reader informed without consent sees a registration: no place (service.summary).
    page = service.page_signals(session, actor=actor, query=query).map(
        lambda s: service.summary(s, actor))
    locale = get_locale()
    regions = [(k, v.text(locale)) for k, v in routing_table.table().regions.items()]
    return render(request, "signals/list.html", {"page": page, "regions": regions})


@router.get("/signals/new")
def new_signal(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("signal.create"))],
    draft: int | None = None,
) -> Response:
    """The intake form (optionally filled from one of your drafts)."""
    payload: dict[str, Any] = {}
    if draft is not None and 0 < draft < 2**31:
        payload = dict(service.get_draft(session, actor=actor, draft_id=draft).payload)
    asked = request.query_params.get("profile")
    if asked and asked not in intake.profiles():
        raise DomainError(N_("There is no intake profile '%(profile)s'."), profile=asked[:40])
    return render(request, "signals/new.html", _form_context(payload, [], draft, actor, asked))


@router.post("/signals/new")
def submit_signal(
    request: Request, session: SessionDep, settings: SettingsDep,
    actor: Annotated[Actor, Depends(require("signal.create"))],
    raw: FormDep,
) -> Response:
    """Record the signal; a bad or partial form is kept as a draft and shown again."""
    payload = _form_payload(raw)
    draft_value = raw.get("draft_id")
    draft_id = int(draft_value) if isinstance(draft_value, str) and draft_value.isdigit() \
        and 0 < int(draft_value) < 2**31 else None
    try:
        data = _to_create(payload, draft_id)
        signal = service.create_signal(session, data=data, actor=actor,
                                       per_hour=settings.signals_intake_per_hour)
    except Forbidden:
        raise
    except (ValidationError, DomainError) as exc:
        session.rollback()
        if isinstance(exc, ValidationError):
            errors = validation_messages(exc.errors())
        else:
            errors = [exc.localized()]
        kept = _kept(payload)
        draft = service.save_draft(session, actor=actor, payload=kept, draft_id=draft_id)
        code = 429 if isinstance(exc, TooManyAttempts) else 422
        return render(request, "signals/new.html",
                      _form_context(kept, errors, draft.id, actor), status_code=code)
    return RedirectResponse(f"/signals/{signal.id}", status_code=303)


@router.get("/signals/inbox")
def inbox_page(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("signal.inbox"))],
) -> Response:
    """Signals routed to your organisation: paged, counted, filtered, most urgent first."""
    query = listing.parse(request.query_params, inbox.inbox_spec())
    page = inbox.page_inbox(session, actor=actor, query=query)
    orgs = auth_service.directory(session)
    items = page.map(lambda r: (service.route_read(r, orgs), service.summary(r.signal, actor)))
    locale = get_locale()
    regions = [(k, v.text(locale)) for k, v in routing_table.table().regions.items()]
    return render(request, "signals/inbox.html", {"page": items, "regions": regions})


def _handlers(session: SessionDep, actor: Actor) -> list[Any]:
    orgs = auth_service.directory(session)
    return sorted((o for o in orgs.values() if o.is_active and o.org_type in HANDLERS
                   and o.id != actor.organisation_id), key=lambda o: o.name)


def _forward_page(request: Request, session: SessionDep, actor: Actor, route_id: int,
                  typed: dict[str, str], errors: list[str], status_code: int = 200
                  ) -> Response:
    route = inbox.get_route(session, actor=actor, route_id=route_id)
    orgs = auth_service.directory(session)
    return render(request, "signals/forward.html", {
        "r": service.route_read(route, orgs), "s": route.signal,
        "handlers": _handlers(session, actor), "typed": typed, "errors": errors},
        status_code=status_code)


@router.get("/signals/routes/{route_id}/forward")
def forward_form(
    request: Request, session: SessionDep, route_id: PathId,
    actor: Annotated[Actor, Depends(require("signal.handle"))],
) -> Response:
    """The form to forward one routed signal, opened from its row in the inbox."""
    return _forward_page(request, session, actor, route_id, {}, [])


@router.get("/signals/drafts")
def drafts_page(
    request: Request, session: SessionDep,
    actor: Annotated[Actor, Depends(require("signal.create"))],
) -> Response:
    """My drafts: intakes kept when they could not be recorded yet, to finish later."""
    return render(request, "signals/drafts.html",
                  {"drafts": service.list_drafts(session, actor=actor)})


@router.get("/signals/{signal_id}")
def signal_detail(
    request: Request, session: SessionDep, signal_id: PathId,
    actor: Annotated[Actor, Depends(require("signal.view"))],
) -> Response:
    """One signal: emergency path first, then the explained screening, routings and links."""
    signal = service.get_signal(session, actor=actor, signal_id=signal_id)
    view = service.read_model(session, actor=actor, signal=signal)
    # The signal's cases (issue 18): that one exists, and who coordinates it, for every
    # reader of the signal; title and link only for those who may see the case.
    cases = cases_service.signal_cases(session, actor=actor, signal_id=signal.id)
    names = {i: o.name for i, o in auth_service.directory(session).items()}
    return render(request, "signals/detail.html",
                  {"s": view, "cat": catalogue(), "locale": get_locale(),
                   "grade_name": grade_name, "cases": cases, "org_names": names})



@router.post("/signals/routes/{route_id}/accept")
def accept_route(
    request: Request, session: SessionDep, route_id: PathId,
    actor: Annotated[Actor, Depends(require("signal.handle"))],
    raw: FormDep,
) -> Response:
    """Accept a routed signal from the inbox."""
    inbox.get_route(session, actor=actor, route_id=route_id)
    try:
        data = RouteDecision.model_validate({"version": raw.get("version"),
                                             "note": raw.get("note") or None})
    except ValidationError as exc:
        raise ValidationFailed(INVALID) from exc
    inbox.accept(session, actor=actor, route_id=route_id, data=data)
    return RedirectResponse("/signals/inbox", status_code=303)


@router.post("/signals/routes/{route_id}/forward")
def forward_route(
    request: Request, session: SessionDep, route_id: PathId,
    actor: Annotated[Actor, Depends(require("signal.handle"))],
    raw: FormDep,
) -> Response:
    """Forward a routed signal with the reason; a refused form is shown again as typed."""
    inbox.get_route(session, actor=actor, route_id=route_id)
    typed = {k: str(raw.get(k) or "")[:2000] for k in ("version", "to_org_id", "reason")}
    try:
        data = RouteForward.model_validate(typed)
        inbox.forward(session, actor=actor, route_id=route_id, data=data)
    except (ValidationError, ValidationFailed) as exc:
        session.rollback()
        errors = (validation_messages(exc.errors()) if isinstance(exc, ValidationError)
                  else [exc.localized()])
        return _forward_page(request, session, actor, route_id, typed, errors,
                             status_code=422)
    return RedirectResponse("/signals/inbox", status_code=303)
