"""Crawl the local demo site over real HTTP on 127.0.0.1, one subprocess per crawl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory
from ketenzicht.online.crawl import service
from ketenzicht.online.crawl.demosite import DemoSite, serve
from ketenzicht.online.crawl.enums import RunStatus
from ketenzicht.online.crawl.models import Capture, CrawledAd, CrawlRun
from tests.factories import auth as auth_factories

KZ = [str(Path(sys.executable).parent / "ketenzicht")]


@pytest.fixture
def site() -> Iterator[tuple[DemoSite, str]]:
    demo = DemoSite(n_ads=30, seed=7, slow_seconds=3.5)
    server, _ = serve(demo)
    yield demo, f"http://127.0.0.1:{server.server_address[1]}/ads"
    server.shutdown()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("KZ_")}
    values |= {
        "KZ_VAR_DIR": str(tmp_path / "var"), "KZ_ONLINE_CRAWL_DELAY": "0",
        "KZ_ONLINE_CRAWL_AUTOTHROTTLE": "false", "KZ_ONLINE_CRAWL_TIMEOUT": "2",
        "KZ_ONLINE_CRAWL_RETRIES": "1", "KZ_ONLINE_CRAWL_BACKOFF_SECONDS": "0.05",
        "KZ_ONLINE_CRAWL_MAX_PAGE_BYTES": "1000000", "KZ_LOG_LEVEL": "error",
    }
    url = f"sqlite:///{tmp_path / 'var' / 'ketenzicht.sqlite3'}"
    (tmp_path / "var").mkdir()
    upgrade(url)
    with make_session_factory(make_engine(url))() as session:
        auth_factories.bind(session)
        auth_factories.UserFactory(username="agent")
        session.commit()
    return values


def _crawl(env: dict[str, str], start: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run([*KZ, "online", "crawl", "--profile", "demo", "--as", "agent",
                           "--start-url", start, *extra], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


def test_crawl_obeys_robots_verifies_captures_and_finds_changes(
        site: tuple[DemoSite, str], env: dict[str, str], tmp_path: Path) -> None:
    demo, start = site
    first = _crawl(env, start)
    stats = first["stats"]
    assert first["status"] == "finished"
    assert "/private/vip" not in demo.hits and stats["robotstxt/forbidden"] == 1
    assert stats["ads/new"] == 31  # 30 ads and the badly encoded page
    assert stats["errors/bad_encoding"] == 1
    assert stats["errors/HttpError"] == 1 and stats["errors/DownloadTimeoutError"] >= 1
    assert "errors/CannotResolveHostError" not in stats
    assert stats.get("offsite/filtered", 0) + stats.get("errors/offsite_blocked", 0) == 1
    assert stats.get("errors/IgnoreRequest", 0) + stats.get("errors/DownloadMaxSize", 0) >= 1

    settings = Settings(var_dir=tmp_path / "var")
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        captures = list(session.scalars(select(Capture)))
        urls = {c.url.rsplit("/", 1)[-1] for c in captures}
        assert "robots.txt" in urls and any(u.endswith(".png") for u in urls)
        for capture in captures:
            assert service.replay(session, capture_id=capture.id, settings=settings,
                                  actor=None).verified
    shown = subprocess.run([*KZ, "online", "show-capture", str(captures[-1].id), "--as",
                            "agent"], env=env, capture_output=True, check=True)
    assert b"verified" in shown.stderr

    demo.epoch = 2
    second = _crawl(env, start)["stats"]
    assert second.get("ads/new", 0) == 0
    assert second["ads/changed"] == 6  # n % 5 == 1
    assert second["ads/gone"] == 4  # n % 7 == 3
    assert second["ads/not_modified"] >= 20  # conditional requests answered 304
    with factory() as session:
        gone = session.scalar(select(func.count()).select_from(CrawledAd)
                              .where(CrawledAd.status == "gone"))
        assert gone == 4
    exported = subprocess.run([*KZ, "online", "export", "-"], env=env, capture_output=True,
                              check=True).stdout.decode().splitlines()
    assert len(exported) == 31 + 6
    assert {"id", "site", "url", "images", "capture"} <= set(json.loads(exported[0]))


def test_a_stopped_crawl_resumes_without_losing_or_duplicating_captures(
        site: tuple[DemoSite, str], env: dict[str, str], tmp_path: Path) -> None:
    _, start = site
    slow = env | {"KZ_ONLINE_CRAWL_DELAY": "0.1"}
    settings = Settings(var_dir=tmp_path / "var")
    factory = make_session_factory(make_engine(settings.database_url))
    proc = subprocess.Popen([*KZ, "online", "crawl", "--profile", "demo", "--as", "agent",
                             "--start-url", start], env=slow, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with factory() as session:
                if (session.scalar(select(func.count()).select_from(Capture)) or 0) >= 15:
                    break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(Capture)) or 0
        first = session.scalars(select(CrawlRun)).one()
        assert first.status is RunStatus.INTERRUPTED
    assert 15 <= before < 60

    resumed = _crawl(env, start)
    assert resumed["run"] == first.id and resumed["status"] == "finished"
    with factory() as session:
        ad_pages = session.execute(
            select(Capture.url, func.count()).where(Capture.url.like("%/ad/%"),
                                                    Capture.status == 200)
            .group_by(Capture.url)).all()
        assert len(ad_pages) == 30 and {n for _, n in ad_pages} == {1}
        assert session.scalar(select(func.count()).select_from(CrawledAd)) == 31
