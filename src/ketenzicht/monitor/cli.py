"""Command line of the monitor domain: ``ketenzicht monitor import-figures|refresh``.

``ketenzicht estimate`` lives in ``monitor.estimate_cli`` (no database needed); its names
are re-exported here for the callers that knew them here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.db.session import cli_unit_of_work
from ketenzicht.monitor import service
from ketenzicht.monitor.estimate_cli import (
    EXIT_INPUT,
    EXIT_REFUSED,
    CiChoice,
    MethodChoice,
    app,
    estimate_command,
)
from ketenzicht.monitor.figures import FigureFileInvalid, parse_figures

__all__ = ["EXIT_INPUT", "EXIT_REFUSED", "CiChoice", "MethodChoice", "app", "estimate_command",
           "figures_app"]


figures_app = typer.Typer(help="The monitor dashboard: official figures and stored estimates.",
                          no_args_is_help=True)


@figures_app.command("import-figures")
def import_figures_command(
    file: Annotated[Path, typer.Argument(help="CSV with columns year,stage,form,count.")],
    source: Annotated[str, typer.Option(help="Where the figures were published.")],
) -> None:
    """Import official annual figures (signals to convictions) under a named source."""
    if not source.strip():
        typer.echo("error: --source may not be empty", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        rows = parse_figures(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {file}: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except FigureFileInvalid as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem.message}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    with cli_unit_of_work() as session:
        count = service.import_figures(session, actor=None, rows=rows, source=source.strip())
    typer.echo(f"{count} figures imported from {file} under {source.strip()!r}")


@figures_app.command("refresh")
def refresh_command(
    ci: Annotated[CiChoice, typer.Option(help="Interval of each estimate.")] = CiChoice.profile,
) -> None:
    """Recompute and store the dark-number estimates (slow; run after new registrations)."""
    with cli_unit_of_work() as session:
        count = service.refresh_estimates(session, actor=None, ci=ci.value)
    typer.echo(f"{count} estimates stored")
