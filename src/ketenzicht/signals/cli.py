"""``ketenzicht signals``: escalation run, relinking, registration export, catalogue check."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ketenzicht.core import clock
from ketenzicht.db.session import cli_unit_of_work
from ketenzicht.signals import export, inbox, links, routing_doc
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.routing import table

app = typer.Typer(help="Signals: escalation, registration export, indicator catalogue.",
                  no_args_is_help=True)


@app.command("escalate")
def escalate() -> None:
    """Escalate every routing past its deadline (run from cron, e.g. every 15 minutes)."""
    with cli_unit_of_work() as session:
        count = inbox.escalate_due(session, clock.now())
    typer.echo(json.dumps({"escalated": count}))


@app.command("relink")
def relink() -> None:
    """Recompute all links between signals with splink (after a change of the model)."""
    with cli_unit_of_work() as session:
        pairs = links.relink(session, clock.now())
    typer.echo(json.dumps({"linked_pairs": pairs}))


@app.command("export")
def export_cmd(
    raw: Annotated[bool, typer.Option("--raw", help="With signal ids (CoMensha only); "
                                      "default is pseudonymised.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Print the registration export of presumed victims (audited as an operator action)."""
    if fmt not in ("csv", "json"):
        typer.echo("error: --format must be csv or json", err=True)
        raise typer.Exit(2)
    with cli_unit_of_work() as session:
        rows = export.registration(session, actor=None, pseudonymised=not raw)
    if fmt == "csv":
        typer.echo(export.to_csv(rows), nl=False)
    else:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False))


@app.command("catalogue")
def catalogue_cmd() -> None:
    """Load and check the indicator lists and routing table; print what they hold."""
    cat = catalogue()
    tbl = table()
    typer.echo(json.dumps({
        "source": cat.source,
        "profiles": {str(p): {"page": pl.page, "indicators": sum(len(g) for g in
                                                                  pl.grades.values()),
                              "verification": pl.verification}
                     for p, pl in cat.profiles.items()},
        "checklist_items": len(cat.items), "routing_version": tbl.version,
        "routing_rules": [r.id for r in tbl.rules]}, ensure_ascii=False, indent=2))


@app.command("routing-table")
def routing_table_cmd() -> None:
    """Print the routing test table (Markdown) of docs/domains/signals.md, from the data."""
    typer.echo(routing_doc.markdown(), nl=False)
