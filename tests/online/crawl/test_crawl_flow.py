"""Crawl -> networks -> watchlist hit, in one go and with no export step.

The crawl runs as the real ``ketenzicht online crawl`` subprocess against the local demo
site; each stored ad publishes ``AdCaptured``, incremental linking puts it in a network of
the latest run, and ``NetworkChanged`` reaches the watchlists. Runs on SQLite and on
PostgreSQL (``scratch_url``, a database that really commits, as the crawler does).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from ketenzicht.audit import service as audit
from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.notify.models import Notification
from ketenzicht.online.collection.demosite import DemoSite, serve
from ketenzicht.online.collection.models import AdVersion, Capture, CrawledAd
from ketenzicht.online.workspace import watch
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.models import WatchHit
from ketenzicht.online.workspace.networks.models import LinkRun, Network, NetworkAd
from tests.factories import auth as auth_factories
from tests.online.crawl.conftest import crawl_cli as _crawl

PHONE = "+31641234567"


def _ad(n: int, name: str, city: str, phone: str) -> dict[str, object]:
    return {"n": n, "title": f"{name} nieuw in {city}", "city": city, "age": "24",
            "posted_at": f"2026-11-{10 + n:02d}", "images": 0,
            "text": f"Hoi lieverd, ik ben {name}, nieuw in {city}. Bel {phone} voor een afspraak."}


@pytest.fixture
def small_site() -> Iterator[tuple[DemoSite, str]]:
    demo = DemoSite(ads=[_ad(0, "Anna", "Utrecht", "06-4123 4567"),
                         _ad(1, "Eva", "Leiden", "06 9876 5432"),
                         _ad(2, "Mia", "Breda", "0641234567")], slow_seconds=0.1)
    server, _ = serve(demo)
    yield demo, f"http://127.0.0.1:{server.server_address[1]}/ads"
    server.shutdown()


def test_a_crawl_links_its_ads_into_networks_and_tells_the_watcher(
        small_site: tuple[DemoSite, str], env: dict[str, str],
        settings_of: Settings) -> None:
    factory = make_session_factory(make_engine(env["KZ_DATABASE_URL"]))
    with factory() as session:
        auth_factories.bind(session)
        org = auth_factories.OrganisationFactory(org_type=OrgType.POLITIE)
        investigator = auth_factories.UserFactory(organisation=org, roles=(Role.MEDEWERKER,))
        session.flush()
        watch.add_watch(session, actor=auth_factories.actor(investigator),
                        kind=WatchKind.PHONE, value="06 41 23 45 67")
        session.commit()
        investigator_id = investigator.id

    result = _crawl(env, small_site[1])  # and nothing else: no export, no link command
    # The three ads, and two pages of the site's broken corner (bad encoding, slow).
    assert result["status"] == "finished" and result["stats"]["ads/new"] == 5

    with factory() as session:
        ads = {a.url.rsplit("/", 1)[-1]: a for a in session.scalars(select(CrawledAd))}
        [run] = session.scalars(select(LinkRun)).all()
        assert run.stats["incremental/ads"] >= 3
        members = {m.ad_id: m for m in session.scalars(select(NetworkAd))}
        anna, eva, mia = (members[ads[n].id] for n in ("0", "1", "2"))
        assert anna.network_id == mia.network_id != eva.network_id  # linked by the phone
        network = session.get(Network, anna.network_id)
        assert network is not None and network.run_id == run.id and network.size == 2
        assert network.phones == [PHONE] and set(network.names) == {"Anna", "Mia"}
        for member in (anna, eva, mia):
            # The member's capture is its version's, found by id; the page it proves is the ad's.
            version = session.scalars(select(AdVersion).where(
                AdVersion.ad_id == member.ad_id)).one()
            assert member.ad_key == str(version.id) and member.capture_id == version.capture_id
            capture = session.get(Capture, member.capture_id)
            assert capture is not None and capture.url == session.get(
                CrawledAd, member.ad_id).url  # type: ignore[union-attr]

        # One hit per ad with the phone (Scrapy fetches concurrently, so which of the two
        # was stored, and numbered, first is not fixed).
        hits = list(session.scalars(select(WatchHit).order_by(WatchHit.ad_id)))
        assert sorted(h.ad_id for h in hits) == sorted([ads["0"].id, ads["2"].id])
        assert {h.network_id for h in hits} == {network.id}
        assert {h.matched for h in hits} == {f"phone:{PHONE}"}
        notes = list(session.scalars(select(Notification).where(
            Notification.user_id == investigator_id)))
        assert len(notes) == 2 and all(n.link == f"/online/networks/{network.id}"
                                       for n in notes)
        actions = list(session.scalars(select(AuditEntry.action)))
        assert actions.count("online.link.incremental") == result["stats"]["ads/new"]
        assert "event.failed" not in actions
        assert audit.verify(session).ok
