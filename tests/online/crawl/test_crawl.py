"""Crawl the local demo site over real HTTP on 127.0.0.1, one subprocess per crawl.

Each test runs on SQLite and on PostgreSQL (``scratch_url``: a fresh database that really
commits, as the crawler does).
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.online.collection import recovery, service
from ketenzicht.online.collection.demosite import DemoSite, serve
from ketenzicht.online.collection.enums import RunStatus
from ketenzicht.online.collection.models import AdVersion, Capture, CrawledAd, CrawlRun
from ketenzicht.online.collection.warc import scan
from tests.online.crawl.conftest import KZ
from tests.online.crawl.conftest import crawl_cli as _crawl


@pytest.fixture
def site() -> Iterator[tuple[DemoSite, str]]:
    demo = DemoSite(n_ads=30, seed=7, slow_seconds=3.5)
    server, _ = serve(demo)
    yield demo, f"http://127.0.0.1:{server.server_address[1]}/ads"
    server.shutdown()


def test_crawl_obeys_robots_verifies_captures_and_finds_changes(
        site: tuple[DemoSite, str], env: dict[str, str], settings_of: Settings) -> None:
    demo, start = site
    first = _crawl(env, start)
    stats = first["stats"]
    assert first["status"] == "finished"
    assert "/private/vip" not in demo.hits and stats["robotstxt/forbidden"] == 1
    assert stats["ads/new"] == 31  # 30 ads and the badly encoded page
    assert stats["errors/bad_encoding"] == 1
    assert stats["errors/HttpError"] == 1 and stats["errors/DownloadTimeoutError"] >= 1
    assert "errors/CannotResolveHostError" not in stats
    # The offsite redirect is refused (by Scrapy's filter or, failing that, ours); on a
    # loaded machine the redirecting page may time out once and be retried, so the refusal
    # can be counted twice. Either way the offsite host is never fetched (.invalid).
    assert stats.get("offsite/filtered", 0) + stats.get("errors/offsite_blocked", 0) >= 1
    assert "errors/CannotResolveHostError" not in stats
    assert stats.get("errors/IgnoreRequest", 0) + stats.get("errors/DownloadMaxSize", 0) >= 1

    settings = settings_of
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


def _captures(factory: sessionmaker[Session], run_id: int) -> list[Capture]:
    with factory() as session:
        return list(session.scalars(select(Capture).where(Capture.run_id == run_id)
                                    .order_by(Capture.id)))


def _append_orphan_and_torn_record(warc_file: Path, url: str) -> int:
    """What a kill can leave at the end of a WARC file: a record written but never indexed,
    then a record cut off half-way. Returns the orphan's offset."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        body, headers = answer.read(), list(answer.headers.items())
    with warc_file.open("ab") as fh:
        offset = fh.tell()
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http))
        torn = io.BytesIO()
        WARCWriter(torn, gzip=True).write_record(writer.create_warc_record(
            url + "?torn", "response", payload=io.BytesIO(body), http_headers=http))
        fh.write(torn.getvalue()[: len(torn.getvalue()) // 2])
    return offset


def test_a_killed_crawl_resumes_without_losing_or_duplicating_captures(
        site: tuple[DemoSite, str], env: dict[str, str], settings_of: Settings) -> None:
    demo, start = site
    factory = make_session_factory(make_engine(settings_of.database_url))
    proc = subprocess.Popen([*KZ, "online", "crawl", "--profile", "demo", "--as", "agent",
                             "--start-url", start], env=env | {"KZ_ONLINE_CRAWL_DELAY": "0.1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with factory() as session:
                captures = session.scalar(select(func.count()).select_from(Capture)) or 0
                ads = session.scalar(select(func.count()).select_from(CrawledAd)) or 0
            if captures >= 15 and ads >= 3:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with factory() as session:
        first = session.scalars(select(CrawlRun)).one()
        assert first.status is RunStatus.RUNNING  # nobody closed it
        stored_before = set(session.scalars(select(CrawledAd.url)))
    before = _captures(factory, first.id)
    assert 15 <= len(before) < 70 and len(stored_before) >= 3

    # The kill may also have hit between writing a record and indexing it, or mid-record.
    captured = {c.url for c in before}
    missing = next(f"{start[:-4]}/ad/{n}" for n in range(30)
                   if f"{start[:-4]}/ad/{n}" not in captured)
    last_file = settings_of.var_dir / "online" / "warc" / before[-1].warc_file
    orphan_offset = _append_orphan_and_torn_record(last_file, missing)
    hits_before = len(demo.hits)

    resumed = _crawl(env, start)
    assert resumed["run"] == first.id and resumed["status"] == "finished"
    stats = resumed["stats"]
    assert stats["warc/truncated_records"] == 1 and stats["warc/orphans_indexed"] == 1
    assert stats["ads/new"] == 31 and "ads/unchanged" not in stats

    after = _captures(factory, first.id)
    assert stats["captures"] == len(after)
    ok = [c.url for c in after if c.status == 200]
    assert len(ok) == len(set(ok)), "a URL was captured twice in one run"
    assert [c.id for c in after[: len(before)]] == [c.id for c in before]
    orphan = next(c for c in after if c.url == missing)
    assert (orphan.warc_file, orphan.warc_offset) == (last_file.name, orphan_offset)
    assert "/ad/" + missing.rsplit("/", 1)[-1] not in demo.hits[hits_before:]
    assert not any(path in ("/robots.txt",) for path in demo.hits[hits_before:])
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(CrawledAd)) == 31
        assert session.scalar(select(func.count()).select_from(AdVersion)) == 31
        assert session.scalars(select(CrawledAd.url).where(CrawledAd.status == "gone")).all() == []
        for capture in after:
            assert service.replay(session, capture_id=capture.id, settings=settings_of,
                                  actor=None).verified

    # Every complete record of the run is indexed exactly once; nothing torn is left.
    on_disk: set[tuple[str, int]] = set()
    for path in recovery.warc_files(settings_of, site="demo", run_id=first.id):
        found = scan(path)
        assert not found.truncated
        on_disk |= {(path.name, offset) for offset in found.offsets}
    assert on_disk == {(c.warc_file, c.warc_offset) for c in after}
    kept = list((settings_of.var_dir / "online" / "warc" / "damaged").iterdir())
    assert [p.name for p in kept] == [f"{last_file.name}.{last_file.stat().st_size}.partial"]


def test_endless_pagination_stops_at_the_depth_cap_and_is_counted(
        site: tuple[DemoSite, str], env: dict[str, str]) -> None:
    demo, start = site
    result = _crawl(env | {"KZ_ONLINE_CRAWL_DEPTH_LIMIT": "5"}, start.replace("/ads", "/loop"))
    assert result["status"] == "finished"
    assert result["stats"]["errors/depth_cap"] == 1
    assert result["stats"]["pages/listing"] == 6  # depths 0 to 5
    assert sum(1 for path in demo.hits if path == "/loop") == 6
