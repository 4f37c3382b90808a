"""The ``ketenzicht`` command: serve, database, permissions, demo, and every domain's commands.

The domains' commands come from their manifests (``ketenzicht.domains``) and are imported
only when run (``core.lazycli``): ``ketenzicht --help`` imports no domain at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from ketenzicht import domains
from ketenzicht.config import InsecureSettingsError, get_settings
from ketenzicht.core import deferred, ports
from ketenzicht.core.lazycli import lazy_group
from ketenzicht.core.manifest import CliCommand

DEMO = CliCommand("demo", "ketenzicht.demo.cli:app",
                  "Synthetic demo: migrate, seed, print accounts and serve.")

app = typer.Typer(help="Ketenzicht: platform for the chain against human trafficking.",
                  no_args_is_help=True, pretty_exceptions_enable=False,
                  cls=lazy_group((DEMO, *domains.cli_commands())))
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def ketenzicht() -> None:
    """Ketenzicht: platform for the chain against human trafficking."""
    # The subscribers (a crawl links its ads; a stored link run checks the watchlists) are
    # installed when a command first publishes an event, not at start-up.
    deferred.install_when_published(domains.subscriptions)
    ports.install_when_asked(domains.ports)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the web app (uvicorn)."""
    from ketenzicht import scheduler
    from ketenzicht.web import server

    try:
        scheduler.start(get_settings())  # deadline job; off at KZ_CASES_ESCALATE_MINUTES=0
        server.run(get_settings(), host=host, port=port)
    except InsecureSettingsError as exc:
        raise fail(str(exc)) from exc
    except ValidationError as exc:  # a malformed setting (KZ_BASE_URL, ...): say which
        raise fail("; ".join(str(e["msg"]) for e in exc.errors())) from exc


@app.command("permissions")
def permissions_table() -> None:
    """Print the need-to-know policy of every domain as Markdown."""
    from ketenzicht.auth.permissions import policy_markdown

    domains.register_grants()
    typer.echo(policy_markdown(), nl=False)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "heads",
) -> None:
    """Apply the migrations up to ``revision``."""
    from ketenzicht.db.engine import make_engine
    from ketenzicht.db.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}: {make_engine(settings.database_url).url!r}")


def main() -> None:
    """Entry point of the console script."""
    Path(get_settings().var_dir).mkdir(parents=True, exist_ok=True)
    app()
