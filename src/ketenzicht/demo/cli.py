"""``ketenzicht demo``: migrate, seed and serve; ``demo seed`` and ``demo accounts``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

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
    _seed_if_empty()
    typer.echo("Demo accounts (synthetic; local use only):")
    for account in demo_seed.load_accounts(Path(get_settings().var_dir)):
        typer.echo(f"  {account.username:<24} {account.password:<24} "
                   f"{account.organisation_type:<18} {', '.join(account.roles)}")
    settings = get_settings()
    typer.echo(f"Serving on http://{host or settings.host}:{port or settings.port}")
    try:
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
