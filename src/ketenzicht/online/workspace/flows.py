"""From a network to the chain: "Maak signaal" (signals) and "Naar dossier" (evidence).

The only module of ``online`` that writes to other domains. Each hand-over is also written to
the network's triage history, so the team sees where a network went.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.evidence import service as evidence
from ketenzicht.evidence.schemas import CaptureCitation
from ketenzicht.online.analysis.linking import wording
from ketenzicht.online.collection import public as collection
from ketenzicht.online.workspace import queries, report, service
from ketenzicht.online.workspace.enums import TriageEventKind
from ketenzicht.online.workspace.models import TriageEvent
from ketenzicht.signals import service as signals
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.service import Signal

SEEN_MAX = 10_000
UNKNOWN_CAPTURE = N_("Unknown capture %(id)s.")


def network_link(network_id: int) -> str:
    """The path of a network's page (the link back from a signal or dossier)."""
    return f"/online/networks/{network_id}"


def signal_text(d: queries.NetworkDetail) -> str:
    """The network's facts in words, for the signal's "what was seen"."""
    n = d.network
    lines = [
        f"Online advertentienetwerk {n.key[:12]} (risicoscore {n.score:.2f}): "
        f"{n.size} advertenties, {len(n.names)} namen, {len(n.phones)} telefoonnummers.",
        f"Eerst gezien {n.first_seen:%Y-%m-%d}, laatst gezien {n.last_seen:%Y-%m-%d}."
        if n.first_seen and n.last_seen else "",
        f"Namen: {', '.join(n.names[:10])}" if n.names else "",
        f"Telefoonnummers: {', '.join(n.phones[:10])}" if n.phones else "",
        f"Plaatsen: {', '.join(s.city for s in d.trajectory[:20])}" if d.trajectory else "",
        "Redenen:",
        # The signal's text is Dutch whoever sends it: the facts in Dutch where their values
        # were kept.
        *(f"- {r.code} ({r.weight:.2f}): {wording.localised(r.code, r.params, r.fact, 'nl')[0]}"
          for r in d.reasons[:10]),
        f"Netwerk in Ketenzicht: {network_link(n.id)}",
    ]
    return "\n".join(line for line in lines if line)[:SEEN_MAX]


def _history(session: Session, *, actor: Actor, key: str, text: str) -> None:
    session.add(TriageEvent(network_key=key, kind=TriageEventKind.NOTE, text=text,
                            actor_user_id=actor.user_id, actor_org_id=actor.organisation_id,
                            at=clock.now()))
    session.flush()


def make_signal(session: Session, *, actor: Actor, network_id: int) -> Signal:
    """Create a signal prefilled with the network's facts and a link back to it."""
    enforce(actor, "online.network.handover")
    network = service.get_network(session, actor=actor, network_id=network_id,
                                  action="online.network.handover")
    d = queries.network_detail(session, network=network)
    data = SignalCreate(
        # Escort and sex-work ads: sexual exploitation is what the network would point to.
        form=ExploitationForm.SEXUAL, seen=signal_text(d),
        place=(d.trajectory[-1].city if d.trajectory else "")[:200] or "",
        phone=network.phones[0][:64] if network.phones else None,
        pseudonym=network.names[0][:120] if network.names else None)
    signal = signals.create_signal(session, data=data, actor=actor)
    _history(session, actor=actor, key=network.key,
             text=gettext("Signal %(id)s made from this network.") % {"id": signal.id})
    return signal


@dataclass(frozen=True)
class DossierResult:
    """What "Naar dossier" added."""

    case_id: int
    items: int
    captures: int


def citations(session: Session, capture_ids: list[int]) -> list[CaptureCitation]:
    """The captures a report cites, as evidence cites them; an unknown id is refused."""
    out = []
    for cid in dict.fromkeys(capture_ids):
        c = collection.get_capture(session, capture_id=cid)
        if c is None:
            raise ValidationFailed(UNKNOWN_CAPTURE, id=cid)
        out.append(CaptureCitation(capture_id=c.id, url=c.url, captured_at=c.captured_at,
                                   warc_file=c.warc_file, warc_offset=c.warc_offset,
                                   warc_record_id=c.warc_record_id, sha256=c.sha256))
    return out


def to_dossier(session: Session, *, actor: Actor, network_id: int, case_id: int,
               note: str) -> DossierResult:
    """Add the network report (JSON) and each cited capture to a case's evidence."""
    enforce(actor, "online.network.handover")
    data = report.build(session, actor=actor, network_id=network_id)
    content = report.to_json(data)
    capture_ids = [c["id"] for c in data["captures"]]
    key = str(data["network"]["key"])
    items = evidence.add_online_items(
        session, actor=actor, case_id=case_id, captures=citations(session, capture_ids),
        report=content,
        report_name=f"netwerk-{key[:12]}.json", note=note)
    _history(session, actor=actor, key=key,
             text=gettext("Network report and %(n)s captures added to case %(case)s.")
             % {"n": len(capture_ids), "case": case_id})
    return DossierResult(case_id=case_id, items=len(items), captures=len(capture_ids))
