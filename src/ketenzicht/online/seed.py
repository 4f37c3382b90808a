"""Demo data of ``online``: the demo ad site captured, linked into networks, triaged, watched.

The seeder does what ``ketenzicht online crawl --profile demo`` and ``ketenzicht online link
--db`` do, without a Scrapy process: each page of the synthetic demo site
(``crawl.demosite``) is written to a WARC file and indexed as a capture, stored as an ad, and
the ads are then linked into networks by the linker's own service. Synthetic data only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import get_settings
from ketenzicht.core import clock
from ketenzicht.online.analysis.linking.engine import Line
from ketenzicht.online.collection import demosite
from ketenzicht.online.collection import service as crawl
from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.warc import RotatingWarcWriter
from ketenzicht.online.workspace import queries, watch
from ketenzicht.online.workspace import service as workspace
from ketenzicht.online.workspace.enums import TriageStatus, WatchKind
from ketenzicht.online.workspace.networks import service as networks
from ketenzicht.online.workspace.recruitment import service as recruitment

DEMO_ADS = 60
DEMO_POSTS = 120
SITE = "demo"
BASE_URL = "http://127.0.0.1:8765"


class _Context(Protocol):
    def actors(self, session: Session, *, via: str = ...) -> dict[OrgType, Actor]: ...


def capture_demo_site(session: Session, *, actor: Actor | None, n_ads: int = DEMO_ADS
                      ) -> list[dict[str, Any]]:
    """Capture every visible ad page of the demo site and store it as an ad; returns the ads."""
    settings = get_settings()
    site = demosite.DemoSite(n_ads=n_ads)
    run = crawl.start_run(session, site=SITE, profile_version=1, job_dir="(demo seed)",
                          max_pages=None, actor=actor)
    writer = RotatingWarcWriter(crawl.capture_dir(settings) / "warc", prefix=f"demo-seed{run.id}",
                                max_bytes=settings.online_warc_max_bytes)
    stored = []
    try:
        for ad in site.visible():
            url = f"{BASE_URL}/ad/{ad['n']}"
            body = demosite._ad_html(site, ad).encode()
            now = clock.now()
            written = writer.write_response(
                url=url, status=200, reason="OK",
                headers=[("Content-Type", "text/html; charset=utf-8")], payload=body, at=now)
            capture = crawl.add_capture(session, run_id=run.id, url=url, status=200,
                                        written=written, at=now,
                                        headers={"content-type": "text/html; charset=utf-8"})
            fields = {"title": ad["title"], "text": ad["text"], "city": ad["city"],
                      "age": ad["age"], "posted_at": ad["posted_at"], "images": []}
            row, _ = crawl.record_sighting(session, site=SITE, url=url, fields=fields,
                                           capture_id=capture.id, run_id=run.id,
                                           language="nl")
            # The linker ties a network's ads to their rows and captures by these ids.
            stored.append({**fields, "id": url, "url": url, "site": SITE, "ad_id": row.id,
                           "capture": capture.id})
    finally:
        writer.close()
    crawl.finish_run(session, run=run, status=RunStatus.FINISHED,
                     stats={"ads/new": len(stored)}, actor=actor)
    return stored


def _lines(ads: list[dict[str, Any]]) -> Iterator[Line]:
    for i, ad in enumerate(ads, start=1):
        yield i, json.dumps(ad, ensure_ascii=False).encode()


def seed_recruitment(session: Session, *, actor: Actor, n_posts: int = DEMO_POSTS) -> None:
    """Synthetic recruitment posts (the generator's) imported as an investigator's export."""
    from ketenzicht.online.analysis.recruitment import generator
    from ketenzicht.online.analysis.recruitment import lexicon as lexicon_mod
    from ketenzicht.online.analysis.recruitment.detector import Detector
    from ketenzicht.online.analysis.recruitment.intake import RawPost

    settings = get_settings()
    detector = Detector.for_lexicon(lexicon_mod.load(settings.online_recruitment_lexicon),
                                    settings.online_recruitment_model_dir
                                    or settings.var_dir / "cache")
    posts = [RawPost(p.id, p.text, p.platform, p.posted_at,
                     images=(p.image,) if p.image else (), reach=(len(p.id) * 37) % 900)
             for p in generator.generate(2026, generator.Knobs(n=n_posts, accounts=12))]
    recruitment.ingest(session, posts=posts, source="import:demo", detector=detector,
                       actor=actor)


def seed(session: Session, ctx: _Context) -> None:
    """The demo seeder (declared in the manifest)."""
    actor = ctx.actors(session, via="cli").get(OrgType.POLITIE)
    if actor is None:
        return
    ads = capture_demo_site(session, actor=actor)
    networks.link(session, lines=_lines(ads), actor=actor, source="demo seed",
                  on_error=lambda lineno, message: None)
    rows, _ = workspace.list_networks(session, actor=actor, f=queries.NetworkFilter())
    if rows:
        top = rows[0].network
        workspace.set_status(session, actor=actor, network_id=top.id,
                             status=TriageStatus.INVESTIGATING,
                             reason="Demo: meerdere namen op één nummer.", version=None)
        workspace.add_note(session, actor=actor, network_id=top.id,
                           text="Demo: foto's vergelijken met eerdere zaak.")
        if top.phones:
            watch.add_watch(session, actor=actor, kind=WatchKind.PHONE, value=top.phones[0],
                            label="Demo-nummer")
    seed_recruitment(session, actor=actor)
    session.flush()
