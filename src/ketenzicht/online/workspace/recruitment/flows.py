"""From a recruiter account to the chain: a signal of criminal exploitation about minors.

One click on the account page makes a signal of the criminal form with "minor: likely"
(the 12-17 age band), which the routing table sends to the police and, through the
municipality, to youth protection. The signal carries the posts: their text, reasons,
addresses and capture hashes are in what was seen; given a case, the posts also go into its
evidence as items (``evidence.service.add_online_items``: an account report plus one item
per captured post). The posts used are kept past the retention period.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.evidence import service as evidence
from ketenzicht.online.workspace.flows import SEEN_MAX, citations
from ketenzicht.online.workspace.recruitment import service
from ketenzicht.signals import service as signals
from ketenzicht.signals.enums import AgeBand, ExploitationForm
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.signals.service import Signal

POSTS_IN_SIGNAL = 10


def account_link(account_id: int) -> str:
    """The path of an account's page (the link back from a signal)."""
    return f"/online/recruitment/accounts/{account_id}"


def signal_text(d: service.AccountDetail) -> str:
    """The account's facts in words (Dutch: the signal is read in the chain)."""
    a = d.account
    ages = sorted({p.min_age for p in d.posts if p.min_age is not None})
    channels = "; ".join(f"{kind}: {', '.join(k.shown for k in keys[:5])}"
                         for kind, keys in d.channels.items() if kind not in ("text", "image"))
    lines = [
        f"Online werving van jongeren voor criminele uitbuiting: account {a.label} "
        f"(hoogste score {a.max_score:.2f}, {a.posts} berichten, "
        f"platforms: {', '.join(a.platforms) or 'onbekend'}).",
        "Minderjarig: waarschijnlijk"
        + (f" (genoemde minimumleeftijd {ages[0]})." if ages else " (berichten richten "
           "zich op jongeren)."),
        f"Contactkanalen: {channels}" if channels else "",
        f"Bereik (zoals het platform het toont): {a.reach}" if a.reach is not None else "",
        "Berichten:",
    ]
    for p in d.posts[:POSTS_IN_SIGNAL]:
        why = ", ".join(f"{r['code']} ({r['weight']:+.2f}: {r['evidence'][:60]})"
                        for r in p.reasons[:4])
        where = f" {p.url}" if p.url else ""
        capture = f" [capture {p.capture_id}]" if p.capture_id else ""
        date = (p.posted_at or p.stored_at.isoformat())[:10]
        lines.append(f"- {p.platform} {date}{where}{capture}, score {p.score:.2f}: "
                     f"“{p.text[:300]}” — {why}")
    lines.append(f"Account in Ketenzicht: {account_link(a.id)}")
    return "\n".join(line for line in lines if line)[:SEEN_MAX]


def report_json(d: service.AccountDetail) -> bytes:
    """The account with its posts and reasons as canonical JSON, for the evidence."""
    a = d.account
    data: dict[str, Any] = {
        "account": {"id": a.id, "label": a.label, "platforms": a.platforms, "posts": a.posts,
                    "max_score": a.max_score, "reach": a.reach},
        "channels": {kind: [k.shown for k in keys] for kind, keys in d.channels.items()},
        "posts": [{"id": p.id, "platform": p.platform, "url": p.url, "posted_at": p.posted_at,
                   "text": p.text, "score": p.score, "reasons": p.reasons,
                   "min_age": p.min_age, "capture_id": p.capture_id} for p in d.posts],
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class SignalMade:
    """What the hand-over did."""

    signal: Signal
    evidence_items: int


def make_signal(session: Session, *, actor: Actor, account_id: int,
                case_id: int | None = None) -> SignalMade:
    """The signal (and, given a case, the evidence items) from one account; audited."""
    enforce(actor, "online.recruitment.handover")
    account = service.get_account(session, actor=actor, account_id=account_id,
                                  action="online.recruitment.handover")
    d = service.account_detail(session, actor=actor, account_id=account.id)
    phones = d.channels.get("phone", [])
    data = SignalCreate(
        form=ExploitationForm.CRIMINAL, seen=signal_text(d), age_band=AgeBand.A12_17,
        phone=phones[0].value[:64] if phones else None,
        pseudonym=account.label[:120] or None)
    signal = signals.create_signal(session, data=data, actor=actor)
    items = 0
    if case_id is not None:
        captured = [p.capture_id for p in d.posts if p.capture_id is not None]
        added = evidence.add_online_items(
            session, actor=actor, case_id=case_id, captures=citations(session, captured),
            report=report_json(d), report_name=f"werving-account-{account.id}.json",
            note=f"Signaal {signal.id}, {clock.now():%Y-%m-%d}")
        items = len(added)
    service.mark_used(session, posts=d.posts, signal_id=signal.id)
    audit.record(session, actor=actor, action="online.recruitment.signal",
                 resource_type="online_recruiter", resource_id=account.id,
                 detail={"signal": signal.id, "posts": len(d.posts), "case": case_id,
                         "evidence_items": items})
    return SignalMade(signal, items)
