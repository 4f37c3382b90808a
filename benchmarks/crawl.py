"""Crawl a large synthetic demo site on 127.0.0.1 and report pages/s and WARC bytes per ad.

Politeness is switched off for this benchmark only (no delay, no AutoThrottle, 16 concurrent
requests); everything else (robots.txt, capture to WARC, the capture index, images, ad store)
runs as in production. Usage::

    .venv/bin/python benchmarks/crawl.py --ads 10000
    .venv/bin/python benchmarks/crawl.py --ads 2000 --kill-at 2000

``--kill-at N`` SIGKILLs the crawl once it has N captures and starts it again: the second process
resumes the same run (repairing the WARC files and index first), and the summary adds how
long the resume took and whether any URL was captured twice. Results go in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory
from ketenzicht.online.collection.demosite import DemoSite, serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.factories import auth as auth_factories


def main() -> None:
    """Run the benchmark once and print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kill-at", type=int, default=0,
                        help="SIGKILL the crawl once it has this many captures, then resume it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        var.mkdir()
        url = f"sqlite:///{var / 'ketenzicht.sqlite3'}"
        upgrade(url)
        with make_session_factory(make_engine(url))() as session:
            auth_factories.bind(session)
            auth_factories.UserFactory(username="bench")
            session.commit()
        site = DemoSite(n_ads=args.ads, seed=args.seed, slow_seconds=0.5)
        server, _ = serve(site)
        env = {k: v for k, v in os.environ.items() if not k.startswith("KZ_")} | {
            "KZ_VAR_DIR": str(var), "KZ_ONLINE_CRAWL_DELAY": "0",
            "KZ_ONLINE_CRAWL_AUTOTHROTTLE": "false", "KZ_ONLINE_CRAWL_CONCURRENCY": "16",
            "KZ_ONLINE_CRAWL_TIMEOUT": "5", "KZ_ONLINE_CRAWL_RETRIES": "0",
            "KZ_ONLINE_CRAWL_DEPTH_LIMIT": "10000", "KZ_LOG_LEVEL": "error",
        }
        start = f"http://127.0.0.1:{server.server_address[1]}/ads"
        argv = [str(Path(sys.executable).parent / "ketenzicht"), "online", "crawl", "--profile",
                "demo", "--as", "bench", "--start-url", start]
        began = time.perf_counter()
        extra: dict[str, object] = {}
        if args.kill_at > 0:
            killed = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            while killed.poll() is None and _captures(url) < args.kill_at:
                time.sleep(0.2)
            killed.send_signal(signal.SIGKILL)
            killed.wait()
            extra["killed_after_s"] = round(time.perf_counter() - began, 1)
            extra["captures_before_kill"] = _captures(url)
            resumed_at = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=True)
        seconds = time.perf_counter() - began
        if args.kill_at > 0:
            extra["resume_s"] = round(time.perf_counter() - resumed_at, 1)
            extra["urls_captured_twice"] = _count(
                url, "SELECT count(*) FROM (SELECT url FROM online_capture WHERE status = 200 "
                     "GROUP BY url HAVING count(*) > 1) AS twice")
        server.shutdown()
        stats = json.loads(done.stdout.decode().strip().splitlines()[-1])["stats"]
        warc_bytes = sum(p.stat().st_size for p in (var / "online" / "warc").glob("*.warc.gz"))
        ads = int(stats.get("ads/new", 0))
        pages = int(stats.get("downloader/response_count", 0))
        print(json.dumps({
            "ads": ads, "responses": pages, "seconds": round(seconds, 1),
            "pages_per_second": round(pages / seconds, 1),
            "warc_bytes_per_ad": round(warc_bytes / max(ads, 1)),
            "warc_files": len(list((var / "online" / "warc").glob("*.warc.gz"))),
        } | extra | {k: v for k, v in stats.items() if k.startswith("warc/")}))


def _captures(url: str) -> int:
    try:
        return _count(url, "SELECT count(*) FROM online_capture")
    except OperationalError:  # locked for a moment by the crawler
        return 0


def _count(url: str, sql: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
