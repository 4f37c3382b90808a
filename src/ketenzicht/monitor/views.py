"""HTML routes of the monitor: funnel, registrations, dark number, official figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.monitor import display, service
from ketenzicht.monitor.enums import ALL_FORMS, FUNNEL_ORDER, SUPPRESS_BELOW
from ketenzicht.monitor.figures import FORMS, parse_figures
from ketenzicht.monitor.schemas import shown
from ketenzicht.web.deps import FormDep, SessionDep, require
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)
View = Annotated[Actor, Depends(require("monitor.view"))]
# A string, so that "all years" (an empty value) is not a 422; see _year.
Year = Annotated[str | None, Query(max_length=8)]
MAX_UPLOAD = 1_000_000
DIMENSIONS = ("form", "age_band", "nationality", "reporting_org_type")


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _year(value: str | None) -> int | None:
    """A year from the query string; empty or nonsense means "all years"."""
    if value and value.isdigit() and 1990 <= int(value) <= 2100:
        return int(value)
    return None


def _form(value: str | None) -> str:
    return value if value in FORMS else ALL_FORMS


@router.get("/monitor")
def funnel_page(request: Request, session: SessionDep, actor: View, year: Year = None,
                form: str | None = None) -> Response:
    """The chain's funnel per year and form, from the platform and imported figures."""
    rows = service.funnel(session, actor=actor)
    years = sorted({r.year for r in rows}, reverse=True)
    wanted = _year(year)
    chosen = wanted if wanted in years else (years[0] if years else None)
    chosen_form = _form(form)
    chart = display.funnel_chart(rows, chosen, chosen_form) if chosen is not None else None
    headers, table = display.funnel_table(rows, chosen_form)
    return render(request, "monitor/funnel.html", {
        "section": "funnel", "chart": chart, "years": years, "year": chosen,
        "form": chosen_form, "forms": [(f, display.form_label(f)) for f in display.FORM_LABELS],
        "all_headers": headers, "all_rows": table, "threshold": SUPPRESS_BELOW,
        **_campaigns(session, actor)})


def _campaigns(session: SessionDep, actor: Actor) -> dict[str, object]:
    """The deterrence campaigns' table: every count through ``shown`` (small cells hidden)."""
    rows = service.campaign_figures(session, actor=actor)
    headers = [gettext("Campaign"), gettext("Year"), gettext("Conversations"),
               gettext("Warnings delivered"), gettext("Referrals to investigation"),
               gettext("Help-link clicks"), gettext("Outreach messages")]
    table = [[gettext("All campaigns") if r["label"] == service.ALL_CAMPAIGNS else r["label"],
              r["year"], *(shown(r[f]) for f in service.CAMPAIGN_FIELDS)] for r in rows]
    return {"campaign_headers": headers, "campaign_rows": table}


@router.get("/monitor/funnel.csv")
def funnel_csv(session: SessionDep, actor: View, form: str | None = None) -> Response:
    """The funnel of every year and source (one form), small cells suppressed."""
    headers, table = display.funnel_table(service.funnel(session, actor=actor), _form(form))
    return _csv(display.to_csv(headers, table), f"funnel-{_form(form)}.csv")


@router.get("/monitor/registrations")
def registrations_page(request: Request, session: SessionDep, actor: View,
                       year: Year = None) -> Response:
    """Registered presumed victims by form, age band, nationality and reporting type."""
    chosen = _year(year)
    rows = service.registrations(session, actor=actor, year=chosen)
    return render(request, "monitor/registrations.html", {
        "section": "registrations", "charts": display.registration_charts(rows, chosen),
        "years": service.years(session), "year": chosen, "threshold": SUPPRESS_BELOW})


@router.get("/monitor/registrations.csv")
def registrations_csv(session: SessionDep, actor: View, by: str = "form",
                      year: Year = None) -> Response:
    """One dimension of the registrations as CSV, small cells suppressed."""
    dim = by if by in DIMENSIONS else "form"
    rows = [r for r in service.registrations(session, actor=actor, year=_year(year))
            if r.dimension == dim]
    table = [[r.value, shown(r.count)] for r in rows]
    return _csv(display.to_csv([dim, "registrations"], table), f"registrations-{dim}.csv")


@router.get("/monitor/dark-number")
def dark_number_page(request: Request, session: SessionDep, actor: View) -> Response:
    """The stored MSE estimates: per year and group, with interval and visibility rate."""
    rows = service.estimates(session, actor=actor)
    headers, table = display.estimate_rows(rows)
    return render(request, "monitor/dark_number.html", {
        "section": "dark", "chart": display.dark_number_chart(rows), "all_headers": headers,
        "all_rows": table, "computed_at": rows[0].computed_at if rows else None,
        "threshold": SUPPRESS_BELOW})


@router.get("/monitor/dark-number.csv")
def dark_number_csv(session: SessionDep, actor: View) -> Response:
    """Every stored estimate as CSV, small cells suppressed."""
    headers, table = display.estimate_rows(service.estimates(session, actor=actor), 100_000)
    return _csv(display.to_csv(headers, table), "dark-number.csv")


@router.post("/monitor/dark-number/refresh")
def refresh(session: SessionDep,
            actor: Annotated[Actor, Depends(require("monitor.refresh"))]) -> Response:
    """Recompute the estimates from the pseudonymised registration export (slow)."""
    service.refresh_estimates(session, actor=actor)
    return RedirectResponse("/monitor/dark-number", status_code=303)


def _figures_page(request: Request, session: SessionDep, actor: Actor, errors: list[str],
                  source: str = "", imported: int | None = None,
                  status_code: int = 200) -> Response:
    return render(request, "monitor/figures.html", {
        "section": "figures", "sources": service.sources(session, actor=actor),
        "errors": errors, "source": source, "imported": imported,
        "stages": [s.value for s in FUNNEL_ORDER], "forms": sorted(FORMS),
        "threshold": SUPPRESS_BELOW},
        status_code=status_code)


@router.get("/monitor/figures")
def figures_page(request: Request, session: SessionDep, actor: View) -> Response:
    """Imported official figures, and the form to import more."""
    return _figures_page(request, session, actor, [])


@router.post("/monitor/figures")
def import_figures(request: Request, session: SessionDep, raw: FormDep,
                   actor: Annotated[Actor, Depends(require("monitor.import"))]) -> Response:
    """Import a CSV of official annual figures under a named source."""
    upload, source = raw.get("file"), str(raw.get("source") or "").strip()[:300]
    errors: list[str] = []
    if not source:
        errors.append(gettext(N_("Name the source of the figures.")))
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append(gettext(N_("Choose a CSV file.")))
        return _figures_page(request, session, actor, errors, source, status_code=422)
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        errors.append(gettext(N_("The file is larger than 1 MB.")))
    try:
        rows = parse_figures(data.decode("utf-8"))
    except UnicodeDecodeError:
        errors.append(gettext(N_("The file is not UTF-8 text.")))
    except ValidationFailed as exc:
        errors.extend(p.localized() for p in getattr(exc, "problems", [exc]))
    if errors:
        return _figures_page(request, session, actor, errors, source, status_code=422)
    count = service.import_figures(session, actor=actor, rows=rows, source=source)
    return _figures_page(request, session, actor, [], "", imported=count)
