"""Incremental linking: a crawled ad joins the networks it touches, through AdCaptured."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.audit.models import AuditEntry
from ketenzicht.config import Settings
from ketenzicht.core import events
from ketenzicht.online.collection import service as crawl
from ketenzicht.online.collection.enums import AdChange
from ketenzicht.online.collection.events import AdCaptured
from ketenzicht.online.collection.models import CrawledAd
from ketenzicht.online.workspace.events import NetworkChanged
from ketenzicht.online.workspace.networks import incremental
from ketenzicht.online.workspace.networks import service as networks
from ketenzicht.online.workspace.networks.models import LinkRun, Network, NetworkAd
from tests.factories.online import ad_fields, crawl_through_pipeline, make_capture, make_network

ANNA = ad_fields(text="Hoi, ik ben Anna, nieuw in Utrecht. Bel 06 4123 4567.",
                 title="Anna in Utrecht", phone=None)


def _network_of(db: Session, url: str) -> Network:
    ad = db.scalars(select(CrawledAd).where(CrawledAd.url == url)).one()
    member = db.scalars(select(NetworkAd).where(NetworkAd.ad_id == ad.id)
                        .order_by(NetworkAd.id.desc())).first()
    assert member is not None, f"{url} is in no network"
    network = db.get(Network, member.network_id)
    assert network is not None
    return network


def test_new_ads_join_the_network_they_share_a_phone_with_which_keeps_its_row(
        session_factory: sessionmaker[Session], db: Session) -> None:
    crawl_through_pipeline(session_factory, url="http://ads.test/a", fields=ANNA)
    first = _network_of(db, "http://ads.test/a")
    assert first.size == 1 and first.phones == ["+31641234567"]
    crawl_through_pipeline(session_factory, url="http://ads.test/b", fields=ad_fields(
        text="Mia hier, net in Breda. Bel 0641234567!", title="Mia in Breda", phone=None,
        posted_at="2026-11-25"))
    crawl_through_pipeline(session_factory, url="http://ads.test/c", fields=ad_fields(
        text="Eva in Leiden, bel 06 9876 5432.", title="Eva", phone=None))
    db.expire_all()
    grown = _network_of(db, "http://ads.test/b")
    assert grown.id == first.id and grown.size == 2  # the same row: page and links stay
    assert set(grown.names) == {"Anna", "Mia"}
    assert _network_of(db, "http://ads.test/c").id != grown.id
    # An edit of an ad is a new version, linked into the network of the old one.
    crawl_through_pipeline(session_factory, url="http://ads.test/a", fields=ANNA | {
        "text": ANNA["text"] + " Nu ook in het weekend."})
    db.expire_all()
    assert _network_of(db, "http://ads.test/a").id == first.id
    assert db.get(Network, first.id).size == 3  # type: ignore[union-attr]
    [run] = db.scalars(select(LinkRun)).all()
    assert (run.networks, run.ads) == (2, 4)
    assert db.scalar(select(func.count()).select_from(Network)) == 2


def test_a_network_of_ads_the_crawler_did_not_store_is_left_to_the_batch_run(
        session_factory: sessionmaker[Session], db: Session) -> None:
    batch = make_network(db, phone="+31641234567")  # from an imported file: no ad versions
    db.commit()
    crawl_through_pipeline(session_factory, url="http://ads.test/a", fields=ANNA)
    db.expire_all()
    assert db.get(Network, batch.id).size == 2  # type: ignore[union-attr]
    mine = _network_of(db, "http://ads.test/a")
    assert mine.id != batch.id and mine.run_id == batch.run_id


def test_a_failing_linker_never_costs_the_crawled_ad(
        session_factory: sessionmaker[Session], db: Session,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session: Session, **kwargs: object) -> None:
        raise RuntimeError("linker down")

    monkeypatch.setattr(incremental, "relink", broken)
    crawl_through_pipeline(session_factory, url="http://ads.test/a", fields=ANNA)
    assert db.scalars(select(CrawledAd).where(CrawledAd.url == "http://ads.test/a")).one()
    assert db.scalars(select(NetworkAd)).all() == []
    failed = db.scalars(select(AuditEntry).where(AuditEntry.action == "event.failed")).one()
    assert failed.resource_id == "AdCaptured" and "linker down" in failed.detail["error"]
    assert failed.detail["handler"].endswith("on_ad_captured")


def test_a_rolled_back_sighting_links_nothing(
        session_factory: sessionmaker[Session], db: Session) -> None:
    heard: list[NetworkChanged] = []
    subs = ((NetworkChanged, lambda session, item: heard.append(item)),)
    events.install(subs)
    try:
        with session_factory() as session:
            ad, change = crawl.record_sighting(session, site="demo", url="http://ads.test/a",
                                               fields=ANNA, capture_id=None, run_id=None)
            version = crawl.versions(session, ad_id=ad.id)[-1]
            events.publish(session, AdCaptured(ad_id=ad.id, version_id=version.id,
                                               capture_id=None, site="demo", change=change))
            assert change is AdChange.NEW
            session.rollback()
    finally:
        events.uninstall(subs)
    assert heard == []
    assert db.scalars(select(LinkRun)).all() == []


def test_a_batch_run_member_is_read_back_by_its_capture_and_its_network_grows(
        session_factory: sessionmaker[Session], db: Session, settings: Settings) -> None:
    url = "http://ads.test/a"
    capture = make_capture(db, settings, url=url)
    ad, _ = crawl.record_sighting(db, site="demo", url=url, fields=ANNA, capture_id=capture.id,
                                  run_id=None)
    line = {**ANNA, "id": url, "url": url, "site": "demo", "ad_id": ad.id,
            "capture": capture.id}  # as the demo seeder writes it: keyed by URL
    run, _ = networks.link(db, lines=[(1, json.dumps(line).encode())], actor=None,
                           source="batch", on_error=lambda n, m: pytest.fail(m))
    db.commit()
    before = _network_of(db, url)
    # The site edits the ad: a new version, linked into the batch run's network.
    crawl_through_pipeline(session_factory, url=url, fields=ANNA | {
        "text": ANNA["text"] + " Nu ook in het weekend."})
    db.expire_all()
    after = _network_of(db, url)
    assert after.id == before.id and after.key == before.key and after.size == 2
    keys = set(db.scalars(select(NetworkAd.ad_key).where(NetworkAd.network_id == after.id)))
    assert url in keys and len(keys) == 2
    assert db.scalars(select(LinkRun)).one().id == run.id
