"""Factories of ``online``: scraped-ad field dicts, captures in WARC, linked networks."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.auth.permissions import ResourceRef
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.online.collection import service as crawl_service
from ketenzicht.online.collection.models import Capture
from ketenzicht.online.collection.pipeline import StoreAds
from ketenzicht.online.collection.spider import AdSpider
from ketenzicht.online.collection.warc import RotatingWarcWriter
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.models import Watch
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import (
    LinkRun,
    Network,
    NetworkAd,
    NetworkIdentifier,
    NetworkReason,
    NetworkStop,
    NetworkTemplate,
)
from ketenzicht.online.workspace.recruitment.models import RecruiterAccount
from tests.factories.access import World


def ad_fields(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """The fields a site profile reads from an ad page."""
    fields: dict[str, Any] = {
        "title": f"Anna in Utrecht {n}", "text": f"Hoi, ik ben Anna. Advertentie {n}.",
        "city": "Utrecht", "age": "24", "phone": "06 1234 5678", "posted_at": "2026-11-20",
        "images": [],
    }
    fields.update(overrides)
    return fields


# --- the workspace: networks (as the linker persists them) and captures ---------------------




PAGE = (b"<html><head><title>Anna</title><script>parent.document.title='pwned'</script>"
        b"</head><body><h1>Anna in Utrecht</h1><p>Bel 06-12345678</p>"
        b"<img src='https://tracker.example/pixel.gif'></body></html>")


def make_capture(db: Session, settings: Settings, *, url: str = "http://ads.test/ad/1",
                 payload: bytes = PAGE) -> Capture:
    """A capture written to a real WARC file under the settings' capture directory."""
    root = crawl_service.capture_dir(settings) / "warc"
    writer = RotatingWarcWriter(root, prefix="test", max_bytes=10_000_000)
    written = writer.write_response(url=url, status=200, reason="OK",
                                    headers=[("Content-Type", "text/html; charset=utf-8")],
                                    payload=payload, at=clock.now())
    writer.close()
    return crawl_service.add_capture(db, run_id=None, url=url, status=200, written=written,
                                     at=clock.now(), headers={"content-type": "text/html"})


def make_run(db: Session) -> LinkRun:
    """A finished linking run."""
    run = LinkRun(source="test", finished_at=clock.now())
    db.add(run)
    db.flush()
    return run


def make_network(db: Session, *, run: LinkRun | None = None, key: str = "net-anna",
                 score: float = 0.8, phone: str = "+31612345678", names: tuple[str, ...] = (
                     "Anna", "Mia"), cities: tuple[str, ...] = ("Utrecht", "Amsterdam"),
                 site: str = "demo", ads: int = 2, capture_id: int | None = None,
                 ad_id: int | None = None, reason: str = "shared_phone_many_names",
                 image: str | None = None) -> Network:
    """A network with reasons, a template, a trajectory per persona and identifiers."""
    run = run or make_run(db)
    now = clock.now()
    network = Network(run_id=run.id, key=key, score=score, size=ads, phones=[phone],
                      names=list(names), cities=list(cities), first_seen=now - timedelta(days=9),
                      last_seen=now - timedelta(days=1), features={})
    db.add(network)
    db.flush()
    for i in range(ads):
        db.add(NetworkAd(network_id=network.id, ad_key=f"{key}-ad{i}", site=site,
                         ad_id=ad_id if i == 0 else None,
                         capture_id=capture_id if i == 0 else None,
                         persona=names[i % len(names)], city=cities[i % len(cities)],
                         url=f"http://ads.test/{key}/{i}", posted_at=now - timedelta(days=8 - i),
                         title=f"{names[i % len(names)]} nieuw in {cities[i % len(cities)]}",
                         text=f"Hoi ik ben {names[i % len(names)]}, bel {phone}"))
    db.add(NetworkReason(network_id=network.id, rank=0, code=reason, weight=0.6,
                         fact=f"{len(names)} names on one phone {phone}",
                         evidence=[{"ad": f"{key}-ad0", "span": f"bel {phone}"}]))
    db.add(NetworkReason(network_id=network.id, rank=1, code="city_hopping", weight=0.3,
                         fact="2 municipalities in 8 days", evidence=[]))
    db.add(NetworkTemplate(network_id=network.id, text="Hoi ik ben {slot1}, nieuw in {slot2}",
                           slots=[{"slot": "slot1", "values": list(names)},
                                  {"slot": "slot2", "values": list(cities)}], support=ads))
    for persona in ("", *names):
        for seq, city in enumerate(cities):
            db.add(NetworkStop(network_id=network.id, persona=persona, seq=seq, city=city,
                               first_seen=now - timedelta(days=9 - 4 * seq),
                               last_seen=now - timedelta(days=6 - 4 * seq), ads=1))
    db.add(NetworkIdentifier(network_id=network.id, kind=IdentifierKind.PHONE, value=phone,
                             ads=ads))
    if image:
        db.add(NetworkIdentifier(network_id=network.id, kind=IdentifierKind.IMAGE, value=image,
                                 ads=1))
    db.flush()
    return network


_SERIAL = itertools.count(1000)


def _national(kind: str, record_id: int) -> ResourceRef:
    return ResourceRef(kind=kind, id=record_id, owner_org_id=None)


def _network(db: Session, w: World) -> tuple[int, ResourceRef]:
    n = make_network(db, key=f"access-{next(_SERIAL)}")
    return n.id, _national("online_network", n.id)


def _capture(db: Session, w: World) -> tuple[int, ResourceRef]:
    settings = Settings(var_dir=Path(tempfile.gettempdir()) / "kz-access-test")
    c = make_capture(db, settings)
    return c.id, _national("capture", c.id)


def _watch(db: Session, w: World) -> tuple[int, ResourceRef]:
    watch = Watch(owner_user_id=w.target_user.id, owner_org_id=w.owner.id, kind=WatchKind.PHONE,
                  value=f"+3161{next(_SERIAL):07d}", label="", identifiers=[],
                  created_at=clock.now())
    db.add(watch)
    db.flush()
    return watch.id, ResourceRef(kind="online_watch", id=watch.id, owner_org_id=w.owner.id,
                                 owner_user_id=w.target_user.id)


def _recruiter(db: Session, w: World) -> tuple[int, ResourceRef]:
    account = RecruiterAccount(label=f"@werver{next(_SERIAL)}", platforms=["telegram"],
                               posts=0, max_score=0.9)
    db.add(account)
    db.flush()
    return account.id, _national("online_recruiter", account.id)


ACCESS_RECORDS: Mapping[str, Callable[[Session, World], tuple[int, ResourceRef]]] = {
    "network_id": _network, "capture_id": _capture, "watch_id": _watch,
    "account_id": _recruiter,
}

ACCESS_BODIES: Mapping[tuple[str, str], Callable[[World], dict[str, object]]] = {
    ("POST", "/api/v1/online/networks/{network_id}/status"): lambda w: {
        "status": "in_onderzoek", "reason": "telefoon bekend"},
    ("POST", "/api/v1/online/watches"): lambda w: {"kind": "phone", "value": "06 1234 5678"},
}


def crawl_through_pipeline(factory: sessionmaker[Session], *, url: str,
                           fields: dict[str, Any], site: str = "demo") -> None:
    """Store one scraped ad through the crawler's own item pipeline (its own transaction)."""
    spider = AdSpider.__new__(AdSpider)  # a running crawl's spider, without Scrapy's engine
    spider.kz = SimpleNamespace(  # type: ignore[assignment]
        profile=SimpleNamespace(name=site, language="nl"), session_factory=factory, run_id=None,
        seen_ads=set(), checkpoint=lambda session, stats: None)
    spider.crawler = SimpleNamespace(stats=None)  # type: ignore[assignment]
    item = {"url": url, "fields": {k: v for k, v in fields.items() if k != "images"},
            "images": [], "capture_id": None}
    StoreAds().process_item(item, spider)
