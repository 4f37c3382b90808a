"""Incremental linking: a crawled ad joins the networks it touches, without a batch run.

Subscribes to the crawler's :class:`AdCaptured`. The new ad version is extracted, and the
networks of the latest linking run that it touches are found: those sharing one of its
identifiers (phone, e-mail, handle, image) and those holding another version of the same
ad. The linking engine (``online.analysis.linking``, not a copy of it) then re-links just
those networks' ads with the new one, and :func:`service.replace_networks` rewrites them in
the run; a network takes over the row (id and key) of the old one it shares most ads with.
:class:`NetworkChanged` follows, and the watchlists hear of it.

Members are read back by id: a crawled member from its ad version (by the capture it
cites, or by the version id ``online export`` writes as its key). What only a batch run
(``online export | online link --db``) sees: boilerplate and local price medians learnt
over all ads, a new ad that links to a network by its text alone (no shared identifier),
and networks holding ads the crawler did not store (they are left as they are). The batch
run remains the way to re-link everything; increments go into the latest run, or into a
new one when there is none.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Final

from sqlalchemy import or_, select, tuple_, update
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.core import clock, events
from ketenzicht.online.analysis.linking.engine import Line, Linker
from ketenzicht.online.analysis.linking.features import AdFeatures
from ketenzicht.online.analysis.linking.network import IDENTIFIER_FIELDS
from ketenzicht.online.collection import public as collection
from ketenzicht.online.collection.public import AdCaptured
from ketenzicht.online.workspace.events import NetworkChanged
from ketenzicht.online.workspace.networks import service
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import (
    LinkRun,
    Network,
    NetworkAd,
    NetworkIdentifier,
)

_log = logging.getLogger(__name__)
SOURCE: Final = "incremental: crawled ads"
MAX_NETWORKS: Final = 50  # a hub identifier touching more is left to the batch run


def _lines(records: Iterable[dict[str, Any]]) -> list[Line]:
    return [(i, json.dumps(r, ensure_ascii=False).encode()) for i, r in enumerate(records, 1)]


def _identifiers(ads: Sequence[AdFeatures]) -> set[tuple[str, str]]:
    return {(kind, value[:200]) for a in ads for kind, attr in IDENTIFIER_FIELDS
            for value in getattr(a, attr)}


def _run(session: Session) -> LinkRun:
    run = service.latest_run(session)
    if run is None:
        run = LinkRun(source=SOURCE, finished_at=clock.now(), stats={})
        session.add(run)
        session.flush()
    # Take the run's row lock first (as the audit chain does with its head), so that two
    # crawls re-linking into one run queue up instead of writing the same network twice.
    session.execute(update(LinkRun).where(LinkRun.id == run.id).values(ads=LinkRun.ads))
    return run


def _touched(session: Session, run: LinkRun, ads: Sequence[AdFeatures]) -> list[Network]:
    by_identifier = (select(NetworkIdentifier.network_id).join(Network)
                     .where(Network.run_id == run.id,
                            tuple_(NetworkIdentifier.kind, NetworkIdentifier.value)
                            .in_([(IdentifierKind(k), v) for k, v in sorted(_identifiers(ads))])))
    by_ad = (select(NetworkAd.network_id).join(Network)
             .where(Network.run_id == run.id,
                    NetworkAd.ad_id.in_(sorted({a.ad_id for a in ads if a.ad_id is not None}))))
    return list(session.scalars(select(Network).where(
        or_(Network.id.in_(by_identifier), Network.id.in_(by_ad))).order_by(Network.id)
        .limit(MAX_NETWORKS + 1)))


def _exact(session: Session, networks: Sequence[Network], skip: set[str]
           ) -> tuple[list[Network], list[dict[str, Any]]]:
    """The networks whose every member reads back exactly, and those members' lines.

    A crawled member is read from its ad version, found by id: the capture it cites (the
    version's), or else its ``ad_key`` when that is the version id ``online export`` writes;
    either way checked against its ``ad_id``. A member the crawler did not store keeps in
    the run only its masked text, without its phones, so its network could not be described
    again faithfully: such a network is left as it is until the next batch run.
    """
    members: dict[int, list[NetworkAd]] = {n.id: [] for n in networks}
    for m in session.scalars(select(NetworkAd).where(
            NetworkAd.network_id.in_(list(members))).order_by(NetworkAd.id)):
        members[m.network_id].append(m)
    crawled = [m for ms in members.values() for m in ms if m.ad_id is not None]
    lines = collection.export_versions(
        session, capture_ids=[m.capture_id for m in crawled if m.capture_id is not None],
        version_ids=[int(m.ad_key) for m in crawled
                     if m.capture_id is None and m.ad_key.isdigit()])
    by_capture = {(r["ad_id"], r["capture"]): r for r in lines if r["capture"] is not None}
    by_version = {(r["ad_id"], str(r["id"])): r for r in lines}
    exact: dict[str, dict[str, Any]] = {}
    for m in crawled:
        found = (by_capture.get((m.ad_id, m.capture_id)) if m.capture_id is not None
                 else by_version.get((m.ad_id, m.ad_key)))
        if found is not None:
            exact[m.ad_key] = found | {"id": m.ad_key}  # the key the network is known by
    kept: list[Network] = []
    records: list[dict[str, Any]] = []
    for n in networks:
        if all(m.ad_key in exact or m.ad_key in skip for m in members[n.id]):
            kept.append(n)
            records += [exact[m.ad_key] for m in members[n.id] if m.ad_key not in skip]
    return kept, records


def relink(session: Session, *, version_ids: Sequence[int], region: str = "NL"
           ) -> NetworkChanged | None:
    """Link the given crawled ad versions into the latest run; ``None`` when nothing to do."""
    new = collection.export_versions(session, version_ids=version_ids)
    if not new:
        return None
    probe = Linker(region=region).features(_lines(new), lambda n, m: None)
    run = _run(session)
    old = _touched(session, run, probe)
    if len(old) > MAX_NETWORKS:
        _log.warning("ads %s touch over %d networks; left to the next batch run",
                     version_ids, MAX_NETWORKS)
        return None
    old, members = _exact(session, old, {str(r["id"]) for r in new})
    records = members + new

    def skipped(lineno: int, message: str) -> None:
        _log.warning("incremental link, line %d: %s", lineno, message)

    result = Linker(region=region).run(_lines(records), skipped)
    stored = service.replace_networks(session, run=run, old=old, result=result)
    stats = dict(run.stats or {})
    stats["incremental/ads"] = stats.get("incremental/ads", 0) + len(new)
    stats["incremental/relinks"] = stats.get("incremental/relinks", 0) + 1
    run.stats = stats
    session.flush()
    ad_ids = tuple(sorted({int(r["ad_id"]) for r in new}))
    audit.record(session, actor=None, action="online.link.incremental",
                 resource_type="link_run", resource_id=run.id,
                 detail={"ads": list(ad_ids), "networks": [n.id for n in stored],
                         "replaced": [n.id for n in old]})
    changed = NetworkChanged(run_id=run.id, network_ids=tuple(n.id for n in stored),
                             ad_ids=ad_ids)
    events.publish(session, changed)
    return changed


def on_ad_captured(session: Session, item: AdCaptured) -> None:
    """Subscriber of :class:`AdCaptured`: link the new ad version (its own transaction)."""
    if collection.purpose_of(item.site) == "recruitment":
        return  # public posts, not sex-work ads: the recruitment subscriber scores them
    relink(session, version_ids=[item.version_id])
