"""Queries and writes of the monitor: the funnel, registrations, figures and estimates.

Everything leaving here is an aggregate; suppression of small cells happens at the edges
(``schemas.shown``), so that the sums stay exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.cases.enums import CaseStatus
from ketenzicht.core import clock, ports
from ketenzicht.monitor import permissions as _permissions  # noqa: F401 - registers grants
from ketenzicht.monitor.darknumber import estimate_all
from ketenzicht.monitor.enums import ALL_FORMS, FunnelStage
from ketenzicht.monitor.models import OfficialFigure, StoredEstimate
from ketenzicht.monitor.schemas import (
    CountRow,
    EstimateRead,
    FigureIn,
    FunnelRow,
    SourceRead,
    protect,
)
from ketenzicht.signals import service as signals_service

PLATFORM = "Ketenzicht"
INVESTIGATING = (CaseStatus.OPSPORING, CaseStatus.OPSPORING_EN_HULPVERLENING)
DIMENSIONS = ("form", "age_band", "nationality", "reporting_org_type")


def _with_totals(counts: Counter[tuple[int, str, FunnelStage]]) -> list[FunnelRow]:
    totals: Counter[tuple[int, str, FunnelStage]] = Counter()
    for (year, _form, stage), n in counts.items():
        totals[(year, ALL_FORMS, stage)] += n
    return [FunnelRow(source=PLATFORM, year=y, form=f, stage=s, count=n)
            for (y, f, s), n in sorted({**counts, **totals}.items())]


def _protected(rows: list[FunnelRow]) -> list[FunnelRow]:
    """Rows for publication: each source, year and stage is one group whose forms add up
    to its "all" row, so a lone small cell gets a withheld complement."""
    groups: dict[tuple[str, int, FunnelStage], list[FunnelRow]] = {}
    for r in rows:
        groups.setdefault((r.source, r.year, r.stage), []).append(r)
    return [r.model_copy(update={"count": n}) for group in groups.values()
            for r, n in zip(group, protect([r.count for r in group]), strict=True)]


def platform_funnel(session: Session) -> list[FunnelRow]:
    """Signals, cases and investigations recorded on the platform, per year and form.

    The counting happens in SQL inside the domains that own the rows (a case's form is that
    of its first linked signal, else of its first presumed victim); the monitor only asks.
    """
    counts: Counter[tuple[int, str, FunnelStage]] = Counter()
    for (year, form), n in signals_service.count_by_year_form(session).items():
        counts[(year, form, FunnelStage.SIGNALS)] += n
    cases, investigations = cases_service.count_by_year_form(
        session, signal_forms=signals_service.form_of_signal(), investigating=INVESTIGATING)
    for (year, form), n in cases.items():
        counts[(year, form, FunnelStage.CASES)] += n
    for (year, form), n in investigations.items():
        counts[(year, form, FunnelStage.INVESTIGATIONS)] += n
    return _with_totals(counts)


def funnel(session: Session, *, actor: Actor) -> list[FunnelRow]:
    """The chain's funnel: the platform's own counts, then every imported source."""
    enforce(actor, "monitor.view")
    rows = _protected(platform_funnel(session))
    figures = session.scalars(select(OfficialFigure).order_by(
        OfficialFigure.source, OfficialFigure.year, OfficialFigure.form, OfficialFigure.id))
    # Imported figures too: a source may publish a small cell beside its total (or the
    # import may hold one), and shown here it would be worked out by subtraction.
    rows.extend(_protected([FunnelRow(source=f.source, year=f.year, form=f.form,
                                      stage=f.stage, count=f.count) for f in figures]))
    return rows


CAMPAIGN_FIELDS = ("conversations", "warnings", "referrals", "clicks", "outreach")
ALL_CAMPAIGNS = "all"


def campaign_figures(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    """Deterrence campaigns' outcome figures per campaign and year, with each year's total.

    The figures are asked through a port (``core.ports.CAMPAIGN_FIGURES``): the domain that
    runs the campaigns may not be imported. Each column of a year is one group whose total
    is shown, so a lone small cell gets a withheld complement (:func:`protect`).
    """
    enforce(actor, "monitor.view")
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in ports.ask(ports.CAMPAIGN_FIGURES, session):
        by_year.setdefault(int(row["year"]), []).append(row)
    out: list[dict[str, Any]] = []
    for year in sorted(by_year, reverse=True):
        rows = sorted(by_year[year], key=lambda r: str(r["label"]))
        rows.append({"label": ALL_CAMPAIGNS, "year": year,
                     **{f: sum(int(r[f]) for r in rows) for f in CAMPAIGN_FIELDS}})
        columns = {f: protect([int(r[f]) for r in rows]) for f in CAMPAIGN_FIELDS}
        out += [{"label": r["label"], "year": year,
                 **{f: columns[f][i] for f in CAMPAIGN_FIELDS}} for i, r in enumerate(rows)]
    return out


def registrations(session: Session, *, actor: Actor, year: int | None) -> list[CountRow]:
    """Registered presumed victims (signals with indicators) by form, age band, nationality
    and reporting organisation type; one year, or all when ``year`` is None."""
    enforce(actor, "monitor.view")
    org_type = {i: str(o.org_type) for i, o in auth_service.directory(session).items()}
    counts: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    for form, band, nationality, org_id, n in signals_service.registration_counts(
            session, year=year):
        for dim, value in zip(DIMENSIONS, (form, band, nationality, org_type[org_id]),
                              strict=True):
            counts[dim][value] += n
    out: list[CountRow] = []
    for d in DIMENSIONS:
        # Every dimension counts the same registrations, so each one's total is public.
        ordered = sorted(counts[d].items(), key=lambda x: (-x[1], x[0]))
        out += [CountRow(dimension=d, value=v, count=n) for (v, _), n in
                zip(ordered, protect([n for _, n in ordered]), strict=True)]
    return out


def years(session: Session) -> list[int]:
    """Years that have signals, cases, imported figures or estimates, newest first."""
    found = signals_service.years(session) | cases_service.years(session)
    found |= set(session.scalars(select(OfficialFigure.year).distinct()))
    found |= set(session.scalars(select(StoredEstimate.year).distinct()))
    return sorted(found, reverse=True)


def import_figures(session: Session, *, actor: Actor | None, rows: Sequence[FigureIn],
                   source: str) -> int:
    """Store official figures under ``source``; a figure already there is replaced."""
    if actor is not None:
        enforce(actor, "monitor.import")
    existing = {(f.year, f.stage, f.form): f for f in session.scalars(
        select(OfficialFigure).where(OfficialFigure.source == source))}
    now = clock.now()
    for row in rows:
        figure = existing.get((row.year, row.stage, row.form))
        if figure is None:
            figure = OfficialFigure(year=row.year, stage=row.stage, form=row.form, source=source)
            session.add(figure)
        figure.count = row.count
        figure.uploaded_by_user_id = actor.user_id if actor else None
        figure.imported_at = now
    session.flush()
    audit.record(session, actor=actor, action="import", resource_type="monitor_figures",
                 detail={"source": source, "rows": len(rows)})
    return len(rows)


def sources(session: Session, *, actor: Actor) -> list[SourceRead]:
    """Imported sources of official figures with who uploaded them and when."""
    enforce(actor, "monitor.view")
    query = (select(OfficialFigure.source, func.count(), func.min(OfficialFigure.year),
                    func.max(OfficialFigure.year), func.max(OfficialFigure.imported_at))
             .group_by(OfficialFigure.source).order_by(OfficialFigure.source))
    uploaders: dict[str, set[int]] = {}
    for source, user_id in session.execute(
            select(OfficialFigure.source, OfficialFigure.uploaded_by_user_id).distinct()
            .where(OfficialFigure.uploaded_by_user_id.is_not(None))):
        if user_id is not None:
            uploaders.setdefault(source, set()).add(user_id)
    # Display names are personal data: auth reads them under the actor viewing the page.
    names = auth_service.display_names(
        session, [u for ids in uploaders.values() for u in ids], actor=actor)
    return [SourceRead(source=s, rows=n, years=f"{lo}–{hi}" if lo != hi else str(lo),
                       uploaded_by=max((names[u] for u in uploaders.get(s, ()) if u in names),
                                       default="") or "CLI", imported_at=at)
            for s, n, lo, hi, at in session.execute(query)]


def estimates(session: Session, *, actor: Actor) -> list[EstimateRead]:
    """The stored dark-number estimates, newest year first."""
    enforce(actor, "monitor.view")
    rows = session.scalars(select(StoredEstimate).order_by(StoredEstimate.year.desc(),
                                                           StoredEstimate.id))
    return [EstimateRead.model_validate(r) for r in rows]


def refresh_estimates(session: Session, *, actor: Actor | None, **settings: Any) -> int:
    """Recompute and store every estimate from the pseudonymised registration export.

    Slow (a model selection per year and stratum), so it runs on request (web button or
    ``ketenzicht monitor refresh``) and the dashboard reads the stored rows.
    """
    if actor is not None:
        enforce(actor, "monitor.refresh")
    rows = signals_service.registration_export(session, actor=actor, pseudonymised=True)
    results = estimate_all(rows, **{"method": "stepwise", "ci": "profile", **settings})
    session.execute(delete(StoredEstimate))
    now = clock.now()
    for r in results:
        session.add(StoredEstimate(
            year=r.year, stratum=r.stratum, observed=r.observed, lists=list(r.lists),
            estimate=r.estimate, low=r.low, high=r.high, interval_kind=r.interval_kind,
            method=r.method or str(settings.get("method", "stepwise")), model=list(r.model),
            flagged=r.flagged, warnings=list(r.warnings), provenance=r.provenance,
            computed_at=now, computed_by_user_id=actor.user_id if actor else None))
    session.flush()
    audit.record(session, actor=actor, action="refresh", resource_type="monitor_estimates",
                 detail={"rows": len(results)})
    return len(results)
