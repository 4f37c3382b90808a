"""``ketenzicht demo``: migrate, seed and serve; ``demo seed`` and ``demo accounts``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ketenzicht import scheduler
from ketenzicht.config import InsecureSettingsError, get_settings
from ketenzicht.core import context
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.demo import seed as demo_seed
from ketenzicht.web import server

app = typer.Typer(help="Synthetic demo: migrate, seed, print accounts and serve.",
                  invoke_without_command=True)


def _refuse_outside_development() -> None:
    if not get_settings().is_development:
        typer.echo("error: demo data is refused outside KZ_ENV=development", err=True)
        raise typer.Exit(2)


def _seed_if_empty() -> bool:
    settings = get_settings()
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    context.new_request_id()
    with unit_of_work(factory) as session:
        if not demo_seed.is_empty(session):
            return False
        ctx = demo_seed.seed(session)
    demo_seed.save_accounts(Path(settings.var_dir), ctx.accounts)
    return True


def _accounts_json() -> str:
    try:
        accounts = demo_seed.load_accounts(Path(get_settings().var_dir))
    except FileNotFoundError as exc:
        typer.echo("error: no demo accounts file; this database was not seeded by "
                   "'ketenzicht demo seed' (remove var/ and run 'make demo' again)", err=True)
        raise typer.Exit(2) from exc
    return json.dumps([asdict(a) for a in accounts], indent=2, ensure_ascii=False)


DEMO_SITE_PORT = 8765  # the port in online/sites/demo.yaml
DEMO_SITE_ADS = 60  # as many as the online seeder captures, so the crawl sees the same ads


def _ketenzicht() -> list[str]:
    """This installation's own CLI, whatever the working directory."""
    script = Path(sys.executable).with_name("ketenzicht")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ketenzicht.cli"]


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def crawl_demo_site(police_username: str, *, timeout: float = 600) -> int:
    """Serve the synthetic ad site and crawl it once with Scrapy, as ``make demo`` promises.

    The seeders store the demo ads without a network; this real crawl adds what only a crawl
    produces: robots.txt, listing pages and images in WARC, run statistics, watch hits.
    Politeness is switched off for this one crawl because the site is our own, on loopback.
    Returns the crawl's exit code (or 3 when the demo port is taken).
    """
    if not _port_free(DEMO_SITE_PORT):
        typer.echo(f"demo crawl skipped: port {DEMO_SITE_PORT} is in use", err=True)
        return 3
    site = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [*_ketenzicht(), "online", "demo-site", "--port", str(DEMO_SITE_PORT),
         "--ads", str(DEMO_SITE_ADS)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while _port_free(DEMO_SITE_PORT) and time.monotonic() < deadline:
            time.sleep(0.2)
        env = {**os.environ, "KZ_ONLINE_CRAWL_DELAY": "0", "KZ_ONLINE_CRAWL_AUTOTHROTTLE": "false"}
        typer.echo("Crawling the demo ad site once (Scrapy, WARC capture)...")
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [*_ketenzicht(), "online", "crawl", "--profile", "demo", "--as", police_username],
            env=env, timeout=timeout, check=False, stdout=subprocess.DEVNULL)
        return done.returncode
    finally:
        site.terminate()
        site.wait(timeout=10)


@app.callback()
def demo(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Migrate, seed an empty database, print the demo accounts and serve the app."""
    if ctx.invoked_subcommand is not None:
        return
    _refuse_outside_development()
    if _seed_if_empty():
        police = [a.username for a in demo_seed.load_accounts(Path(get_settings().var_dir))
                  if a.organisation_type == "politie"]
        if police and crawl_demo_site(police[0]) not in (0, 3):
            typer.echo("the demo crawl failed; the demo runs on the seeded captures", err=True)
    typer.echo("Demo accounts (synthetic; local use only):")
    for account in demo_seed.load_accounts(Path(get_settings().var_dir)):
        typer.echo(f"  {account.username:<24} {account.password:<24} "
                   f"{account.organisation_type:<18} {', '.join(account.roles)}")
    settings = get_settings()
    typer.echo(f"Serving on http://{host or settings.host}:{port or settings.port}")
    try:
        # The deadline job as `serve` runs it: the seed leaves signal routings overdue on
        # purpose, and only this job escalates them (reading an inbox never does).
        scheduler.start(settings)
        server.run(settings, host=host, port=port)
    except InsecureSettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command("seed")
def seed() -> None:
    """Fill an empty database with synthetic demo data (does nothing if it holds data)."""
    _refuse_outside_development()
    if _seed_if_empty():
        typer.echo(f"seeded; accounts in {Path(get_settings().var_dir) / demo_seed.ACCOUNTS_FILE}")
    else:
        typer.echo("the database already holds data: nothing seeded")


@app.command("accounts")
def accounts() -> None:
    """Print the demo accounts as a JSON list (for scripts that log in)."""
    typer.echo(_accounts_json())
