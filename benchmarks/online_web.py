"""Latency of the online workspace's network list and network page over 100,000 ads.

Seeds a scratch SQLite database (migrated like production) with ``--ads`` crawled ads and
their versions, a linking run that groups them into networks of skewed sizes (most small,
a few with hundreds of ads) with reasons, templates, trajectories and identifiers, then asks
the real app (middleware, login cookie, access checks, audit, Jinja) for the list (with and
without filters) and for network pages, and reports p50/p95/max per route.

    .venv/bin/python benchmarks/online_web.py --ads 100000 --requests 200

Target (issue 9): p95 under 300 ms for the list and for a network page.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import OrganisationCreate, UserCreate
from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.main import create_app
from ketenzicht.online.analysis.extraction.places import municipalities
from ketenzicht.online.collection.enums import AdStatus
from ketenzicht.online.collection.models import AdVersion, CrawledAd
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

NAMES = ["Anna", "Mia", "Lisa", "Eva", "Sara", "Nina", "Julia", "Lena", "Emma", "Sofia"]
CODES = ["shared_phone_many_names", "template_reuse", "city_hopping", "foreign_mobile",
         "simultaneous_cities", "low_price", "obscured_phone", "youth_language"]
PASSWORD = "benchmark-password-1"


def _sizes(total: int, rng: random.Random) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < total:
        sizes.append(min(int(rng.paretovariate(1.2)), 800))
    sizes[-1] -= sum(sizes) - total
    return [s for s in sizes if s > 0]


def seed(factory: Any, ads: int, rng: random.Random) -> list[int]:
    """Write the ads and one linking run; returns the network ids, largest first."""
    now = datetime.now(UTC)
    cities = [m.name for m in municipalities()]
    with unit_of_work(factory) as session:
        org = auth_service.create_organisation(session, data=OrganisationCreate(
            code="politie-bench", name="Politie (benchmark)", org_type=OrgType.POLITIE),
            actor=None)
        auth_service.create_user(session, data=UserCreate(
            username="bench", display_name="Bench", organisation_id=org.id,
            roles=[Role.MEDEWERKER], password=PASSWORD), actor=None)
        run = LinkRun(source="benchmark", finished_at=now, ads=ads)
        session.add(run)
        session.flush()
        run_id = run.id
    sizes = _sizes(ads, rng)
    ad_id = 0
    with unit_of_work(factory) as session:
        for start in range(0, len(sizes), 2000):
            chunk = sizes[start:start + 2000]
            nets = [Network(run_id=run_id, key=hashlib.sha256(f"{start}-{i}".encode())
                            .hexdigest()[:32], score=rng.random(), size=size,
                            first_seen=now - timedelta(days=rng.randint(10, 90)),
                            last_seen=now - timedelta(days=rng.randint(0, 9)),
                            phones=[f"+316{rng.randint(10_000_000, 99_999_999)}"],
                            names=rng.sample(NAMES, k=min(3, 1 + size // 50)),
                            cities=rng.sample(cities, k=3), features={})
                    for i, size in enumerate(chunk)]
            session.add_all(nets)
            session.flush()
            rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in (
                CrawledAd, AdVersion, NetworkAd, NetworkReason, NetworkStop, NetworkIdentifier,
                NetworkTemplate)}
            for net in nets:
                route = rng.sample(cities, k=min(6, 1 + net.size // 20))
                for rank, code in enumerate(rng.sample(CODES, k=3)):
                    rows[NetworkReason].append({"network_id": net.id, "rank": rank, "code": code,
                                                "weight": rng.random(), "fact": f"{code} measured",
                                                "evidence": []})
                for persona in ("", *net.names):
                    for seq, city in enumerate(route):
                        rows[NetworkStop].append({
                            "network_id": net.id, "persona": persona, "seq": seq, "city": city,
                            "first_seen": now - timedelta(days=30 - 4 * seq),
                            "last_seen": now - timedelta(days=28 - 4 * seq), "ads": 1})
                rows[NetworkIdentifier].append({"network_id": net.id,
                                                "kind": IdentifierKind.PHONE.value,
                                                "value": net.phones[0], "ads": net.size})
                rows[NetworkTemplate].append({"network_id": net.id,
                                              "text": "Hoi ik ben {slot1}, nieuw in {slot2}",
                                              "slots": [{"slot": "slot1", "values": net.names}],
                                              "support": net.size})
                for k in range(net.size):
                    ad_id += 1
                    url = f"http://bench.test/ad/{ad_id}"
                    city = route[k % len(route)]
                    name = net.names[k % len(net.names)]
                    rows[CrawledAd].append({"id": ad_id, "site": f"site{ad_id % 5}", "url": url,
                                            "status": AdStatus.ACTIVE, "first_seen": now,
                                            "last_seen": now})
                    rows[AdVersion].append({"ad_id": ad_id, "content_hash": f"{ad_id:064d}",
                                            "title": f"{name} in {city}",
                                            "text": f"Hoi ik ben {name}, nieuw in {city}",
                                            "city": city, "images": [], "first_seen": now,
                                            "last_seen": now})
                    rows[NetworkAd].append({"network_id": net.id, "ad_key": url, "ad_id": ad_id,
                                            "persona": name, "city": city,
                                            "site": f"site{ad_id % 5}", "url": url,
                                            "posted_at": now - timedelta(days=k % 30),
                                            "title": f"{name} in {city}",
                                            "text": f"Hoi ik ben {name}, nieuw in {city}"})
            for model in (CrawledAd, AdVersion, NetworkAd, NetworkReason, NetworkStop,
                          NetworkIdentifier, NetworkTemplate):
                if rows[model]:
                    session.execute(insert(model), rows[model])
            session.flush()
        return [n for n, in session.execute(
            Network.__table__.select().with_only_columns(Network.id)
            .order_by(Network.size.desc()))]


def _timed(client: TestClient, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return elapsed


def _report(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (f"| {name} | {len(samples)} | {statistics.median(ordered):.0f} | {p95:.0f} | "
            f"{ordered[-1]:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    var = Path(tempfile.mkdtemp(prefix="kz-online-web-"))
    settings = Settings(var_dir=var, online_map_tile_url="")
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    t0 = time.perf_counter()
    network_ids = seed(factory, args.ads, rng)
    print(f"seeded {args.ads} ads in {len(network_ids)} networks "
          f"in {time.perf_counter() - t0:.1f} s ({var})")
    client = TestClient(create_app(settings, session_factory=factory))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "bench", "password": PASSWORD,
                                "csrf_token": token, "next": "/"})
    filters = ["", "?min_size=5", "?region=Utrecht", "?indicator=city_hopping", "?status=nieuw",
               "?site=site3&min_size=2", "?page=3"]
    for url in ("/online/networks", f"/online/networks/{network_ids[0]}"):
        _timed(client, url)  # warm caches (templates, gazetteer)
    lists = [_timed(client, f"/online/networks{filters[i % len(filters)]}")
             for i in range(args.requests)]
    pages = [_timed(client, f"/online/networks/{rng.choice(network_ids)}")
             for _ in range(args.requests)]
    largest = [_timed(client, f"/online/networks/{network_ids[0]}")
               for _ in range(max(10, args.requests // 10))]
    print("| Route | Requests | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    print(_report("network list (7 filter variants)", lists))
    print(_report("network page (random network)", pages))
    print(_report("network page (the largest network)", largest))


if __name__ == "__main__":
    main()
