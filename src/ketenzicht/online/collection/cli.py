"""``ketenzicht online crawl / show-capture / runs / import / export / demo-site``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import get_settings
from ketenzicht.core import clock, context
from ketenzicht.core.errors import DomainError
from ketenzicht.db.session import default_session_factory, unit_of_work
from ketenzicht.online.analysis.extraction.intake import BadLine, iter_lines
from ketenzicht.online.collection import launch, profiles, queries, service
from ketenzicht.online.collection.enums import RunStatus


def _actor(factory: sessionmaker[Session], username: str) -> Actor:
    with factory() as session:
        user = auth_service.find_user(session, username)
        if user is None:
            typer.echo(f"error: no account {username!r}", err=True)
            raise typer.Exit(2)
        return auth_service.actor_for(user, via="cli")


AsUser = Annotated[str, typer.Option("--as", help="The account to act as (police, KMar or "
                                                  "labour inspectorate).")]


def crawl(
    profile: Annotated[str, typer.Option(help="Site profile name (online/sites/NAME.yaml).")],
    username: AsUser,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many responses.")] = None,
    start_url: Annotated[list[str] | None, typer.Option(
        help="Start here instead of the profile's start URLs (repeatable).")] = None,
) -> None:
    """Crawl a site once (resuming an interrupted crawl) and print the run's statistics."""
    from ketenzicht.online.collection import runner  # Scrapy and Twisted only for this command

    context.new_request_id()
    try:
        site = profiles.load(profile)
    except profiles.ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    factory = default_session_factory()
    actor = _actor(factory, username)
    try:
        run = runner.crawl(site, settings=get_settings(), factory=factory, actor=actor,
                           max_pages=max_pages, start_urls=start_url or None)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps({"run": run.id, "status": run.status.value, "stats": run.stats}))
    if run.status is RunStatus.FAILED:
        # A scheduler must see a failed crawl as a failure, not as an empty site.
        reason = str((run.stats or {}).get("failure", "unknown"))
        typer.echo(f"error: crawl run {run.id} failed: {reason}; no ad was marked gone",
                   err=True)
        raise typer.Exit(1)


def runs(
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    limit: Annotated[int, typer.Option(help="How many.")] = 20,
) -> None:
    """Show the latest crawl runs with their statistics, one JSON line each."""
    with default_session_factory()() as session:
        for run in service.list_runs(session, site=site, limit=limit):
            typer.echo(json.dumps({
                "run": run.id, "site": run.site, "profile_version": run.profile_version,
                "status": run.status.value, "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "stats": run.stats}))


def due() -> None:
    """List the profiles whose re-crawl interval has passed (for a scheduler), one per line."""
    with default_session_factory()() as session:
        for name in queries.due(session, checks=profiles.check_all(), now=clock.now()):
            typer.echo(name)


def crawl_due(
    username: AsUser,
    max_pages: Annotated[int | None, typer.Option(help="Stop each crawl after this many "
                                                       "responses.")] = None,
) -> None:
    """Crawl, one after the other, every profile whose re-crawl interval has passed.

    Meant for cron or a systemd timer (e.g. hourly); a site already being crawled is skipped.
    Exits 1 when a crawl failed.
    """
    settings = get_settings()
    factory = default_session_factory()
    _actor(factory, username)
    with factory() as session:
        names = queries.due(session, checks=profiles.check_all(), now=clock.now())
    failed = 0
    for name in names:
        if launch.is_running(settings, name):
            typer.echo(f"{name}: already being crawled, skipped", err=True)
            continue
        code = launch.run(settings, profile=name, username=username, max_pages=max_pages)
        typer.echo(f"{name}: {'finished' if code == 0 else f'failed (exit {code})'}", err=True)
        failed += code != 0
    if failed:
        raise typer.Exit(1)


def show_capture(
    capture_id: Annotated[int, typer.Argument(help="Capture id.")],
    username: AsUser,
    headers: Annotated[bool, typer.Option(help="Print status and headers on stderr.")] = False,
) -> None:
    """Write a captured payload to stdout exactly as captured; exit 1 if its hash fails."""
    context.new_request_id()
    factory = default_session_factory()
    actor = _actor(factory, username)
    try:
        with unit_of_work(factory) as session:
            result = service.replay(session, capture_id=capture_id, settings=get_settings(),
                                    actor=actor)
    except (LookupError, OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    cap = result.capture
    if headers:
        typer.echo(f"HTTP {result.record.status} {cap.url}", err=True)
        for key, value in result.record.headers:
            typer.echo(f"{key}: {value}", err=True)
    sys.stdout.buffer.write(result.record.payload)
    sys.stdout.buffer.flush()
    state = "verified" if result.verified else "HASH MISMATCH"
    typer.echo(f"capture {cap.id}: sha256 {cap.sha256} {state} ({cap.warc_file}@"
               f"{cap.warc_offset}, {cap.captured_at.isoformat()})", err=True)
    if not result.verified:
        raise typer.Exit(1)


def import_ads(
    file: Annotated[Path, typer.Argument(help="JSON-lines file of ads.", exists=True,
                                         dir_okay=False)],
    username: AsUser,
) -> None:
    """Load ads collected by other tools (the ``export`` shape; ``site`` and ``url`` needed)."""
    context.new_request_id()
    factory = default_session_factory()
    actor = _actor(factory, username)
    errors: list[str] = []

    def lines() -> Any:
        with file.open("rb") as fh:
            for lineno, raw in iter_lines(fh):
                if raw is None:
                    errors.append(f"line {lineno}: too long")
                    continue
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    errors.append(f"line {lineno}: {BadLine(str(exc))}")
                    continue
                except RecursionError:  # 1,000 nested brackets: skip the line, not crash
                    errors.append(f"line {lineno}: JSON nested too deeply")
                    continue
                if not isinstance(record, dict):
                    errors.append(f"line {lineno}: not a JSON object")
                    continue
                yield lineno, record

    try:
        with unit_of_work(factory) as session:
            result = service.import_ads(session, lines=lines(), actor=actor)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    for line in errors + result.errors:
        typer.echo(line, err=True)
    typer.echo(json.dumps(dict(result.counts) | {"bad_lines": len(errors)}))


def export(
    output: Annotated[Path, typer.Argument(help="Write JSON lines here; - for stdout.")],
) -> None:
    """Write one JSON object per ad version."""
    sink = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
    count = 0
    try:
        with default_session_factory()() as session:
            for row in service.iter_export(session):
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if sink is not sys.stdout:
            sink.close()
    typer.echo(f"{count} ad versions exported", err=True)


def demo_site(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765,
    ads: Annotated[int, typer.Option(help="Number of synthetic ads.")] = 30,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 7,
    epoch: Annotated[int, typer.Option(help="2 = some ads edited or removed.")] = 1,
) -> None:
    """Serve the synthetic demo ad site on 127.0.0.1 until interrupted."""
    from ketenzicht.online.collection.demosite import DemoSite, serve

    server, _ = serve(DemoSite(n_ads=ads, seed=seed, epoch=epoch), port=port)
    typer.echo(f"demo ad site on http://127.0.0.1:{server.server_address[1]}/ads", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
