"""Start a crawl as a background process, and the per-site lock that keeps crawls apart.

A crawl runs Twisted's reactor, which cannot run twice in a process and must not run inside
the web server, so the web page and ``crawl-due`` start ``ketenzicht online crawl`` as a
detached child process. The child checks the account's grant again and audits the run.
Kept free of Scrapy imports: the web app imports this module.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ketenzicht.config import Settings
from ketenzicht.core.errors import Conflict
from ketenzicht.core.i18n import N_
from ketenzicht.online.collection.service import capture_dir


class CrawlBusy(Conflict):
    """Another process is crawling this site right now."""


def _lock_path(settings: Settings, site: str) -> Path:
    path = capture_dir(settings) / "jobs" / f"{site}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def site_lock(settings: Settings, site: str) -> Iterator[None]:
    """Hold the site's crawl lock; the kernel releases it when the process dies, even killed."""
    with _lock_path(settings, site).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CrawlBusy(N_("A crawl of %(site)s is already running."), site=site) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_running(settings: Settings, site: str) -> bool:
    """True while some process holds the site's crawl lock."""
    try:
        with site_lock(settings, site):
            return False
    except CrawlBusy:
        return True


@dataclass(frozen=True)
class Started:
    """A crawl process that was started: its pid and where its output goes."""

    pid: int
    log: Path


def _command() -> list[str]:
    script = Path(sys.executable).parent / "ketenzicht"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ketenzicht.cli import app; app()"]


def _argv(settings: Settings, *, profile: str, username: str, max_pages: int | None
          ) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    env |= {"KZ_VAR_DIR": str(settings.var_dir), "KZ_DATABASE_URL": settings.database_url,
            "KZ_ONLINE_CAPTURE_DIR": str(capture_dir(settings))}
    args = [*_command(), "online", "crawl", "--profile", profile, "--as", username]
    if max_pages:
        args += ["--max-pages", str(max_pages)]
    return args, env


def run(settings: Settings, *, profile: str, username: str, max_pages: int | None = None
        ) -> int:
    """Crawl ``profile`` in a child process and wait for it; return its exit code."""
    args, env = _argv(settings, profile=profile, username=username, max_pages=max_pages)
    return subprocess.run(args, env=env, check=False).returncode  # noqa: S603 - fixed argv


def start(settings: Settings, *, profile: str, username: str, max_pages: int | None = None
          ) -> Started:
    """Start ``ketenzicht online crawl`` for ``profile`` as ``username``, detached."""
    if is_running(settings, profile):
        raise CrawlBusy(N_("A crawl of %(site)s is already running."), site=profile)
    args, env = _argv(settings, profile=profile, username=username, max_pages=max_pages)
    log = capture_dir(settings) / "jobs" / f"{profile}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        child = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            args, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            start_new_session=True, close_fds=True)
    return Started(child.pid, log)
