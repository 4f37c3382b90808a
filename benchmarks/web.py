"""Server time of the first page of a busy inbox (issue 23: under 300 ms at 1,000 signals).

Migrates a scratch SQLite database, makes a police and a care organisation, writes N
signals routed to the police (``tests.factories.signals.bulk_routed``: forms, regions and
deadlines spread), logs in through the real form and asks the real app (middleware,
session, access checks, audit entry of the page's reads, Jinja) for the inbox through an
in-process client: the first page, a filtered page and the tenth page, each ``--requests``
times. The time is the whole request as the client sees it, so it bounds the server time.

    PYTHONPATH=src:. .venv/bin/python benchmarks/web.py --signals 1000 10000
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from tests.factories import auth as auth_factories
from tests.factories.auth import login
from tests.factories.signals import bulk_routed

from ketenzicht.auth.enums import OrgType
from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory
from ketenzicht.main import create_app

ROUTES = {"first page": "/signals/inbox",
          "filtered (region, form, overdue)": "/signals/inbox?region=limburg&form=sexual"
                                              "&deadline=overdue",
          "page 10, sorted by received": "/signals/inbox?sort=-received&page=10",
          # Issue 18: the start page is the worklist, whose signals section reads the same
          # routings (five of them, counted in SQL).
          "start page (worklist)": "/"}


def run(n: int, requests: int) -> list[tuple[str, float, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(var_dir=Path(tmp))
        upgrade(settings.database_url)
        factory = make_session_factory(make_engine(settings.database_url))
        with factory() as session:
            auth_factories.bind(session)
            police = auth_factories.UserFactory(username="politie",
                                                organisation__org_type=OrgType.POLITIE)
            nurse = auth_factories.UserFactory(organisation__org_type=OrgType.ZORG)
            bulk_routed(session, reporter_id=nurse.id, reporter_org_id=nurse.organisation_id,
                        to_org_id=police.organisation_id, n=n)
            session.commit()
        client = TestClient(create_app(settings, session_factory=factory))
        login(client, "politie")
        first = client.get("/signals/inbox").text
        assert f"{n:,}".replace(",", ".") + " signalen" in first, "the inbox is not full"
        assert first.count('class="ketenzicht-flow kz-inbox-item"') == 25
        out = []
        for name, path in ROUTES.items():
            assert client.get(path).status_code == 200  # warm: templates, catalogues
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200
            times.sort()
            out.append((name, statistics.median(times), times[int(0.95 * (len(times) - 1))],
                        times[-1]))
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| Signals in the inbox | Page | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for n in args.signals:
        for name, p50, p95, worst in run(n, args.requests):
            print(f"| {n:,} | {name} | {p50:.0f} | {p95:.0f} | {worst:.0f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
