"""``ketenzicht shelter``: expire holds and import figures from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ketenzicht.auth import service as auth_service
from ketenzicht.core import clock
from ketenzicht.core.errors import DomainError
from ketenzicht.db.session import cli_unit_of_work
from ketenzicht.shelter import holds, service

app = typer.Typer(help="Shelter places: holds and availability figures.", no_args_is_help=True)


@app.command("expire-holds")
def expire_holds() -> None:
    """Give back the places of every hold whose time is up (run it from cron, e.g. every 5 min)."""
    with cli_unit_of_work() as session:
        expired = holds.expire(session, now=clock.now())
    typer.echo(json.dumps({"expired": len(expired), "offers": expired}))


@app.command("import")
def import_figures(
    path: Annotated[Path, typer.Argument(help="CSV with the header unit_id,available.",
                                         exists=True, dir_okay=False, readable=True)],
    username: Annotated[str, typer.Option("--as", help="The provider's account to act as.")],
) -> None:
    """Apply a CSV of free places as a provider's account: every line, or none (exit 2)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        typer.echo(f"error: {path} is not a UTF-8 text (CSV) file: byte "
                   f"0x{exc.object[exc.start]:02x} at offset {exc.start}", err=True)
        raise typer.Exit(2) from exc
    try:
        with cli_unit_of_work() as session:
            user = auth_service.find_user(session, username)
            if user is None:
                typer.echo(f"error: no account {username!r}", err=True)
                raise typer.Exit(2)
            actor = auth_service.actor_for(user, via="cli")
            result = service.import_availability(session, actor=actor, text=text)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(result.model_dump_json())
    if result.errors:
        raise typer.Exit(2)
