"""A network report for the file: JSON and PDF, listing every cited capture with its hash.

The JSON is canonical (sorted keys, fixed separators), so the same network gives the same
bytes and the SHA-256 under which evidence stores it identifies the content. The PDF is the
same facts laid out for reading, made with WeasyPrint from a template; WeasyPrint may fetch
nothing (the URL fetcher refuses everything), so captured or hostile URLs in ad texts never
cause a request.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht import __version__
from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock, labels, pdf
from ketenzicht.core.i18n import gettext, ngettext
from ketenzicht.online.analysis.indicators.catalogue import catalogue as ad_catalogue
from ketenzicht.online.analysis.linking import wording
from ketenzicht.online.analysis.linking.score import indicators as network_indicators
from ketenzicht.online.collection.public import Capture
from ketenzicht.online.workspace import queries, service
from ketenzicht.web.templating import render_document, templates

FORMAT = "ketenzicht.online.network-report/1"



def reason_text(code: str, locale: str) -> str | None:
    """A network reason's indicator in words (network catalogue first, then the ad one)."""
    network = network_indicators().get(code)
    if network is not None:
        return network.nl if locale == "nl" else network.en
    for indicator in ad_catalogue().indicators:
        if indicator.code == code:
            return indicator.description_nl if locale == "nl" else indicator.description_en
    return None


# Pages and the PDF report name a reason by its indicator's words, never by its code.
labels.register_texts("online_reason", reason_text)

_SLOT = re.compile(r"\{slot(\d+)\}")


def network_size(ads: int, names: int, phones: int) -> str:
    """'1 advertentie, 3 namen, 1 telefoonnummer': each count with its own plural."""
    return ", ".join((ngettext("%(num)s ad", "%(num)s ads", ads) % {"num": ads},
                      ngettext("%(num)s name", "%(num)s names", names) % {"num": names},
                      ngettext("%(num)s phone", "%(num)s phones", phones) % {"num": phones}))


def slots(text: str) -> str:
    """A template's ``{slotN}`` markers as words: '[varies 1]'."""
    return _SLOT.sub(lambda m: gettext("[varies %(n)s]") % {"n": m.group(1)}, text)


templates.env.globals["network_size"] = network_size
templates.env.filters["slots"] = slots


def reason_fact(reason: Any) -> tuple[str, str]:
    """(text, language) of a reason's fact, in the reader's language where its values were
    kept; ``reason`` is a stored row (the page) or its JSON (the report)."""
    if isinstance(reason, dict):
        return wording.localised(reason["code"], reason.get("params"), reason["fact"])
    return wording.localised(reason.code, reason.params, reason.fact)


templates.env.globals["reason_fact"] = reason_fact


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _capture(c: Capture) -> dict[str, Any]:
    return {"id": c.id, "url": c.url, "captured_at": _iso(c.captured_at), "status": c.status,
            "sha256": c.sha256, "size": c.size, "warc_file": c.warc_file,
            "warc_offset": c.warc_offset, "warc_record_id": c.warc_record_id}


def build(session: Session, *, actor: Actor, network_id: int) -> dict[str, Any]:
    """The report as a JSON-ready dict (the export is audited)."""
    network = service.get_network(session, actor=actor, network_id=network_id,
                                  action="online.network.export")
    d = queries.network_detail(session, network=network)
    triage = service.triage_of(session, key=network.key)
    cited: dict[int, Capture] = {}
    ads = []
    for line in d.ads:
        versions = []
        for v in line.versions:
            if v.capture_id and v.capture_id in line.captures:
                cited[v.capture_id] = line.captures[v.capture_id]
            versions.append({"id": v.id, "title": v.title, "text": v.text, "city": v.city,
                             "first_seen": _iso(v.first_seen), "last_seen": _iso(v.last_seen),
                             "capture": v.capture_id})
        m = line.member
        if m.capture_id and m.capture_id in line.captures:
            cited[m.capture_id] = line.captures[m.capture_id]
        ads.append({"ad": m.ad_key, "site": m.site, "url": m.url, "persona": m.persona,
                    "city": m.city, "posted_at": _iso(m.posted_at), "title": m.title,
                    "capture": m.capture_id, "versions": versions})
    report: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "generated_by": {"user": actor.username, "organisation_id": actor.organisation_id},
        "software": f"Ketenzicht {__version__}",
        "network": {"id": network.id, "key": network.key, "run": network.run_id,
                    "score": round(network.score, 4), "size": network.size,
                    "phones": network.phones, "names": network.names, "cities": network.cities,
                    "first_seen": _iso(network.first_seen), "last_seen": _iso(network.last_seen),
                    "status": (triage.status if triage else "nieuw")},
        "reasons": [{"code": r.code, "weight": r.weight, "fact": r.fact, "params": r.params,
                     "evidence": r.evidence} for r in d.reasons],
        "template": ({"text": d.template.text, "slots": d.template.slots,
                      "support": d.template.support} if d.template else None),
        "trajectory": [{"city": s.city, "from": _iso(s.first_seen), "to": _iso(s.last_seen),
                        "ads": s.ads} for s in d.trajectory],
        "personas": {p: [{"city": s.city, "from": _iso(s.first_seen), "to": _iso(s.last_seen)}
                         for s in stops] for p, stops in d.personas.items()},
        "identifiers": [{"kind": str(i.identifier.kind), "value": i.identifier.value,
                         "ads": i.identifier.ads} for i in d.identifiers],
        "ads": ads,
        "ads_total": d.ads_total,
        "captures": [_capture(c) for _, c in sorted(cited.items())],
    }
    audit.record(session, actor=actor, action="online.network.export",
                 resource_type="online_network", resource_id=network.id,
                 detail={"captures": sorted(cited)})
    return report


def to_json(report: dict[str, Any]) -> bytes:
    """Canonical JSON bytes of a report."""
    return json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1).encode()


def to_pdf(report: dict[str, Any]) -> bytes:
    """The report as a PDF (WeasyPrint)."""
    return pdf.render(render_document("online/report.html", {"report": report}))
