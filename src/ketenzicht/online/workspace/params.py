"""Reading the network list's filters from query parameters (HTML list and JSON API)."""

from __future__ import annotations

from datetime import date

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.online.workspace import queries
from ketenzicht.online.workspace.enums import TriageStatus

BAD_FILTER = N_("A filter value is not valid: %(name)s.")


def _date(params: dict[str, str], name: str) -> date | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(BAD_FILTER, name=name) from exc


def parse_filter(params: dict[str, str]) -> queries.NetworkFilter:
    """The list's filters from query parameters (empty ones are ignored)."""
    status = params.get("status", "").strip()
    try:
        size = int(params.get("min_size") or 0)
        page = int(params.get("page") or 1)
        triage = TriageStatus(status) if status else None
    except ValueError as exc:
        raise ValidationFailed(BAD_FILTER, name="min_size/page/status") from exc
    text = {k: (params.get(k) or "").strip()[:200] or None
            for k in ("municipality", "region", "indicator", "site")}
    return queries.NetworkFilter(
        period_from=_date(params, "from"), period_to=_date(params, "to"),
        new_since=_date(params, "new_since"), min_size=max(0, min(size, 1_000_000)) or None,
        status=triage, page=max(1, min(page, 10_000)), **text)
