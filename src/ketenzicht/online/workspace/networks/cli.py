"""``ketenzicht online link``: ads in, advertiser networks out (and stored with ``--db``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ketenzicht.core import context
from ketenzicht.core.errors import DomainError
from ketenzicht.online.analysis.cli import open_input
from ketenzicht.online.analysis.extraction.intake import iter_lines
from ketenzicht.online.analysis.linking.engine import Linker, LinkResult

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from ketenzicht.auth.schemas import Actor



def link(
    file: Annotated[str, typer.Argument(help="JSON-lines file of ads, or - for stdin.")] = "-",
    db: Annotated[bool, typer.Option("--db", help="Store the run and its networks in the "
                                                  "database (KZ_DATABASE_URL).")] = False,
    username: Annotated[str | None, typer.Option(
        "--as", help="With --db: the account to act as (police, KMar or labour "
                     "inspectorate); checked and written to the audit log.")] = None,
    region: Annotated[str, typer.Option(
        help="Default ISO country for national numbers when an ad has no 'region'.")] = "NL",
    workers: Annotated[int, typer.Option(
        min=1, help="Processes for extraction (the rest of linking runs in one).")] = 1,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write networks here instead of stdout.")] = None,
    stats: Annotated[bool, typer.Option(help="Print the run's counters on stderr.")] = False,
) -> None:
    """Link ads (JSON lines, as for ``extract``) into advertiser networks, one JSON line each.

    Each output line: {"network", "ads", "phones", "names", "cities", "first_seen",
    "last_seen", "trajectory": [{"city", "from", "to"}], "score", "reasons", ...}, best score
    first. Every ad that could be read is in exactly one network (a singleton is fine). A bad
    line is reported on stderr with its number and skipped; the exit code is non-zero only
    when no ad at all could be processed.
    """
    context.new_request_id()
    bad = 0

    def on_error(lineno: int, message: str) -> None:
        nonlocal bad
        bad += 1
        typer.echo(f"line {lineno}: {message}", err=True)

    source = open_input(file)
    lines = iter_lines(source)
    try:
        if db:
            # Only a stored run needs the database and the audit log (the watchlists hear
            # of it through NetworkChanged); linking to stdout imports neither (issue 16).
            from ketenzicht.db.session import default_session_factory, unit_of_work
            from ketenzicht.online.workspace.networks import service

            factory = default_session_factory()
            actor = _actor(factory, username) if username else None
            try:
                with unit_of_work(factory) as session:
                    run, result = service.link(session, lines=lines, actor=actor, source=file,
                                               on_error=on_error, workers=workers,
                                               region=region.upper())
                    run_id = run.id
            except DomainError as exc:
                typer.echo(f"error: {exc.message}", err=True)
                raise typer.Exit(2) from exc
            typer.echo(f"stored as linking run {run_id}", err=True)
        else:
            result = Linker(region=region.upper(), workers=workers).run(lines, on_error)
    finally:
        if file != "-":
            source.close()
    _write(result, output)
    typer.echo(f"{result.ads} ads in {len(result.networks)} networks, {bad} lines skipped",
               err=True)
    if stats:
        for key, value in sorted(result.stats.items()):
            typer.echo(f"  {key}: {value}", err=True)
    if result.ads == 0:
        if bad == 0:
            typer.echo("error: the input holds no ads", err=True)
        raise typer.Exit(1)


def _actor(factory: sessionmaker[Session], username: str) -> Actor:
    from ketenzicht.auth import service as auth_service

    with factory() as session:
        user = auth_service.find_user(session, username)
        if user is None:
            typer.echo(f"error: no account {username!r}", err=True)
            raise typer.Exit(2)
        return auth_service.actor_for(user, via="cli")


def _write(result: LinkResult, output: Path | None) -> None:
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for network in result.networks:
            sink.write(json.dumps(network.to_json(), ensure_ascii=False, separators=(",", ":")))
            sink.write("\n")
    finally:
        if output:
            sink.close()
