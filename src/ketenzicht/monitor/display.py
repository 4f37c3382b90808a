"""What the dashboard shows: charts and tables built from the service's aggregates.

Small cells are suppressed here, in charts, tables and CSV alike; a drop-out next to a
suppressed count is not shown either, as it would give the count away.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from ketenzicht.auth.enums import ORG_TYPE_LABELS, OrgType
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.monitor import charts, notes
from ketenzicht.monitor.enums import ALL_FORMS, FUNNEL_ORDER, SUPPRESS_BELOW, FunnelStage
from ketenzicht.monitor.schemas import CountRow, EstimateRead, FunnelRow, is_suppressed, shown

STAGE_LABELS = {
    FunnelStage.SIGNALS: N_("Signals"), FunnelStage.CASES: N_("Cases"),
    FunnelStage.INVESTIGATIONS: N_("Investigations"),
    FunnelStage.PROSECUTIONS: N_("Prosecutions"), FunnelStage.CONVICTIONS: N_("Convictions"),
}
FORM_LABELS = {
    ALL_FORMS: N_("All forms"), "sexual": N_("Sexual exploitation"),
    "labour": N_("Labour exploitation"), "criminal": N_("Criminal exploitation"),
    "forced_begging": N_("Forced begging"), "forced_marriage": N_("Forced marriage"),
    "organ_removal": N_("Organ removal"), "other": N_("Other"), "unknown": N_("Unknown"),
}
DIMENSION_LABELS = {
    "form": N_("Form of exploitation"), "age_band": N_("Age band"),
    "nationality": N_("Nationality"), "reporting_org_type": N_("Reporting organisation type"),
}
STRATUM_LABELS = {
    "all": N_("Everyone"), "minors": N_("Minors"), "adults": N_("Adults"),
    "age_unknown": N_("Age unknown"),
}


def form_label(form: str) -> str:
    """A form of exploitation in the request's language."""
    return gettext(FORM_LABELS.get(form, form))


def stratum_label(stratum: str) -> str:
    """A stratum ("minors", "form:labour") in the request's language."""
    if stratum.startswith("form:"):
        return form_label(stratum[5:])
    return gettext(STRATUM_LABELS.get(stratum, stratum))


def value_label(dimension: str, value: str) -> str:
    """A registration value in words (forms, organisation types)."""
    if dimension == "form":
        return form_label(value)
    if dimension == "reporting_org_type" and value in OrgType.__members__.values():
        return ORG_TYPE_LABELS[OrgType(value)]
    if value == "unknown":
        return gettext(N_("Unknown"))
    return value


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def dropout(prev: int | None, count: int | None) -> str:
    """Share lost from the previous step ("62%"), or "—" when unknown or suppressed."""
    if prev is None or count is None or prev <= 0 or is_suppressed(prev) or is_suppressed(count):
        return "—"
    return f"{100 * (1 - count / prev):.0f}%"


def funnel_table(rows: Sequence[FunnelRow], form: str) -> tuple[list[str], list[list[str]]]:
    """Per year and source: each step's count and the drop-out from the step before."""
    cells: dict[tuple[int, str], dict[FunnelStage, int]] = {}
    for r in rows:
        if r.form == form:
            cells.setdefault((r.year, r.source), {})[r.stage] = r.count
    headers = [gettext(N_("Year")), gettext(N_("Source"))]
    for stage in FUNNEL_ORDER:
        headers.append(gettext(STAGE_LABELS[stage]))
        if stage is not FUNNEL_ORDER[0]:
            headers.append(gettext(N_("Drop-out")))
    table = []
    for (year, source), counts in sorted(cells.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        line = [str(year), source]
        prev: int | None = None
        for i, stage in enumerate(FUNNEL_ORDER):
            count = counts.get(stage)
            line.append(shown(count))
            if i:
                line.append(dropout(prev, count))
            prev = count
        table.append(line)
    return headers, table


def funnel_chart(rows: Sequence[FunnelRow], year: int, form: str) -> charts.Chart:
    """Grouped bars of one year and form: each step of the chain, one colour per source."""
    data = [{"stage": gettext(STAGE_LABELS[r.stage]), "count": 0 if is_suppressed(r.count)
             else r.count, "label": shown(r.count), "source": r.source}
            for r in rows if r.year == year and r.form == form]
    title = gettext(N_("The chain's funnel, %(year)s, %(form)s")) % {
        "year": year, "form": form_label(form)}
    parts = [f"{d['source']}: {d['stage']} {d['label']}" for d in data]
    desc = (gettext(N_("Bar chart of the number at each step of the chain, per source. "))
            + "; ".join(parts)) if data else gettext(N_("No figures for this year and form."))
    spec = charts.bars(data, x="stage", y="count", label="label",
                       x_title=gettext(N_("Step of the chain")), y_title=gettext(N_("Number")),
                       colour="source", colour_title=gettext(N_("Source")),
                       sort=[gettext(STAGE_LABELS[s]) for s in FUNNEL_ORDER])
    headers, table = funnel_table([r for r in rows if r.year == year], form)
    return charts.Chart("funnel", title, desc, charts.to_svg(spec, "funnel", title, desc),
                        headers, table, f"/monitor/funnel.csv?form={form}")


def registration_charts(rows: Sequence[CountRow], year: int | None) -> list[charts.Chart]:
    """One horizontal bar chart (and table) per dimension of the registration."""
    out = []
    period = str(year) if year is not None else gettext(N_("all years"))
    for dim in ("form", "age_band", "nationality", "reporting_org_type"):
        mine = [r for r in rows if r.dimension == dim]
        data: list[dict[str, Any]] = [
            {"value": value_label(dim, r.value), "count": 0 if is_suppressed(r.count)
             else r.count, "label": shown(r.count)} for r in mine]
        name = gettext(DIMENSION_LABELS[dim])
        title = gettext(N_("Registrations by %(dimension)s, %(period)s")) % {
            "dimension": name.lower(), "period": period}
        desc = (gettext(N_("Horizontal bar chart of registered presumed victims. "))
                + "; ".join(f"{d['value']} {d['label']}" for d in data)) if data else \
            gettext(N_("No registrations in this period."))
        spec = charts.bars(data, x="value", y="count", label="label", x_title=name,
                           y_title=gettext(N_("Registrations")), horizontal=True)
        cid = f"reg-{dim.replace('_', '-')}"
        query = f"by={dim}" + (f"&year={year}" if year is not None else "")
        out.append(charts.Chart(cid, title, desc, charts.to_svg(spec, cid, title, desc),
                                [name, gettext(N_("Registrations"))],
                                [[d["value"], d["label"]] for d in data],
                                f"/monitor/registrations.csv?{query}"))
    return out


_SMALL = re.compile(r"(?<![\d.])[1-4](?![\d.])")


def note(flagged: str, warnings: Sequence[str], width: int = 140) -> str:
    """The reason or warnings of an estimate, shortened, small counts in them suppressed."""
    text = notes.translate(flagged) if flagged else "; ".join(map(notes.translate, warnings))
    if len(text) > width:
        text = text[:width].rsplit(" ", 1)[0] + " …"
    return _SMALL.sub(f"<{SUPPRESS_BELOW}", text)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}".replace(",", ".")


def estimate_rows(rows: Sequence[EstimateRead], width: int = 140
                  ) -> tuple[list[str], list[list[str]]]:
    """Every stored estimate as a table row, small observed counts suppressed; notes are
    cut at ``width`` characters (the CSV keeps them whole)."""
    headers = [gettext(h) for h in (N_("Year"), N_("Group"), N_("Registered"), N_("Estimate"),
                                     N_("95% interval"), N_("Visibility rate"), N_("Model"),
                                     N_("Note"))]
    table = []
    for r in rows:
        suppressed = is_suppressed(r.observed)
        vis = r.visibility
        table.append([
            str(r.year), stratum_label(r.stratum), shown(r.observed),
            "—" if suppressed else _num(r.estimate),
            "—" if suppressed or r.low is None else f"{_num(r.low)} – {_num(r.high)}",
            "—" if suppressed or vis is None else f"{100 * vis:.0f}%",
            ", ".join(r.model) or ("—" if r.estimate is None else gettext(N_("main effects"))),
            note(r.flagged, r.warnings, width)])
    return headers, table


def dark_number_chart(rows: Sequence[EstimateRead]) -> charts.Chart:
    """Estimates with their interval per year: everyone, minors and adults."""
    keep = [r for r in rows if r.stratum in ("all", "minors", "adults")
            and r.estimate is not None and not is_suppressed(r.observed)]
    data: list[dict[str, Any]] = [
        {"year": r.year, "stratum": stratum_label(r.stratum), "estimate": r.estimate,
         "low": r.low if r.low is not None else r.estimate,
         "high": r.high if r.high is not None else r.estimate} for r in keep]
    title = gettext(N_("Estimated number of victims per year, with 95% interval"))
    desc = (gettext(N_("Points with interval lines per year and group. "))
            + "; ".join(f"{d['year']} {d['stratum']}: {_num(d['estimate'])} "
                        f"({_num(d['low'])} – {_num(d['high'])})" for d in data)) if data else \
        gettext(N_("No estimates yet."))
    spec = charts.intervals(data, x_title=gettext(N_("Year")),
                            y_title=gettext(N_("Estimated victims")),
                            colour_title=gettext(N_("Group")))
    headers, table = estimate_rows([r for r in rows if r in keep or r.stratum == "all"])
    return charts.Chart("dark", title, desc, charts.to_svg(spec, "dark", title, desc),
                        headers, table, "/monitor/dark-number.csv")
