"""Crawl management pages: profiles and schedule, runs, starting a crawl, the capture index."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.core.formatting import format_datetime
from ketenzicht.online.collection import launch, service
from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.warc import RotatingWarcWriter
from tests.factories import auth as auth_factories
from tests.factories.auth import csrf_headers, login
from tests.factories.online_crawl import make_run


@pytest.fixture
def agent(db: Session, client: TestClient) -> TestClient:
    auth_factories.UserFactory(username="agent")
    login(client, "agent")
    return client


def _capture(db: Session, settings: Settings, run_id: int, url: str) -> int:
    writer = RotatingWarcWriter(service.capture_dir(settings) / "warc", prefix="t",
                                max_bytes=10**9)
    at = clock.now()
    written = writer.write_response(url=url, status=200, reason="OK", headers=[],
                                    payload=b"<h1>x</h1>", at=at)
    writer.close()
    return service.add_capture(db, run_id=run_id, url=url, status=200, written=written, at=at,
                               headers={}).id


def test_overview_shows_profiles_schedule_and_runs(agent: TestClient, db: Session) -> None:
    run = make_run(db, status=RunStatus.INTERRUPTED)
    page = agent.get("/online/crawl")
    assert page.status_code == 200
    row = re.search(r'<tr class="utrecht-table__row" id="profile-demo">(.*?)</tr>', page.text,
                    re.S)
    assert row and "v1" in row.group(1) and 'data-valid="yes"' in row.group(1)
    assert "24" in row.group(1)  # the demo profile's re-crawl interval in hours
    assert f'data-open-run="{run.id}"' in row.group(1) and 'data-due="yes"' in row.group(1)
    assert f'href="/online/crawl/runs/{run.id}"' in page.text
    assert "3 / 1 / 5 / 2" in page.text  # ads new / changed / unchanged / gone


def test_a_finished_run_makes_the_profile_due_after_its_interval(agent: TestClient,
                                                                   db: Session) -> None:
    run = make_run(db)
    row = re.search(r'id="profile-demo">(.*?)</tr>', agent.get("/online/crawl").text, re.S)
    assert row and 'data-due="no"' in row.group(1)
    # Shown in Dutch local time, as every time on a page.
    assert format_datetime(run.finished_at + timedelta(hours=24), locale="nl") in row.group(1)
    run.finished_at = clock.now() - timedelta(hours=25)
    db.flush()
    row = re.search(r'id="profile-demo">(.*?)</tr>', agent.get("/online/crawl").text, re.S)
    assert row and 'data-due="yes"' in row.group(1)


def test_run_page_lists_errors_by_kind_and_links_captures_to_replay(
        agent: TestClient, db: Session, settings: Settings) -> None:
    run = make_run(db)
    capture_id = _capture(db, settings, run.id, "http://127.0.0.1/ad/1")
    page = agent.get(f"/online/crawl/runs/{run.id}")
    assert page.status_code == 200
    assert "DownloadTimeoutError" in page.text and "HttpError" in page.text
    assert f'href="/online/captures/{capture_id}"' in page.text
    assert db.query(AuditEntry).filter_by(resource_type="capture", action="read").count() >= 1


def test_capture_index_filters_by_address_and_run(agent: TestClient, db: Session,
                                                  settings: Settings) -> None:
    one, two = make_run(db), make_run(db)
    a = _capture(db, settings, one.id, "http://127.0.0.1/ad/1")
    b = _capture(db, settings, two.id, "http://127.0.0.1/img/1-0.png")
    text = agent.get("/online/crawl/captures", params={"url": "img/"}).text
    assert f'href="/online/captures/{b}"' in text and f'href="/online/captures/{a}"' not in text
    text = agent.get("/online/crawl/captures", params={"run": one.id}).text
    assert f'href="/online/captures/{a}"' in text and f'href="/online/captures/{b}"' not in text


def test_start_launches_a_background_crawl_as_the_user(
        agent: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, str]] = []

    def fake_start(settings: Settings, *, profile: str, username: str,
                   max_pages: int | None = None) -> launch.Started:
        started.append((profile, username))
        return launch.Started(1, Path("/dev/null"))

    monkeypatch.setattr(launch, "start", fake_start)
    agent.get("/online/crawl")
    answer = agent.post("/online/crawl/start", data={"profile": "demo"},
                        headers=csrf_headers(agent), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("started=demo")
    assert started == [("demo", "agent")]
    assert db.query(AuditEntry).filter_by(action="online.crawl.request").count() == 1
    assert 'id="started"' in agent.get(answer.headers["location"]).text


def test_start_refuses_an_unknown_profile_and_a_site_being_crawled(
        agent: TestClient, settings: Settings) -> None:
    agent.get("/online/crawl")
    bad = agent.post("/online/crawl/start", data={"profile": "nonexistent"},
                     headers=csrf_headers(agent))
    assert bad.status_code == 422
    with launch.site_lock(settings, "demo"):
        busy = agent.post("/online/crawl/start", data={"profile": "demo"},
                          headers=csrf_headers(agent))
    assert busy.status_code == 409


def test_start_needs_the_crawl_grant(db: Session, client: TestClient) -> None:
    from ketenzicht.auth.enums import OrgType

    auth_factories.UserFactory(username="carer", organisation=auth_factories.OrganisationFactory(
        org_type=OrgType.ZORG))
    login(client, "carer")
    assert client.get("/online/crawl").status_code == 403
    answer = client.post("/online/crawl/start", data={"profile": "demo"},
                         headers=csrf_headers(client))
    assert answer.status_code == 403


def test_a_failed_run_says_why_in_dutch_and_is_not_an_open_run(agent: TestClient,
                                                                db: Session) -> None:
    run = make_run(db, status=RunStatus.FAILED, stats={
        "captures": 0, "errors/listing_failed": 1, "failure": "unreachable",
        "gone_check": "failed", "finish_reason": "finished"})
    page = agent.get(f"/online/crawl/runs/{run.id}")
    assert page.status_code == 200
    failure = re.search(r'id="failure">(.*?)</div>', page.text, re.S)
    assert failure and "mislukt" in failure.group(1)
    assert "niet bereikt" in failure.group(1), failure.group(1)
    assert "niet beoordeeld" in page.text
    assert ">unreachable<" not in page.text and "gone_check" not in page.text
    overview = agent.get("/online/crawl").text
    row = re.search(r'id="profile-demo">(.*?)</tr>', overview, re.S)
    assert row and "data-open-run" not in row.group(1).replace('data-open-run=""', "")
    assert "mislukt" in overview
