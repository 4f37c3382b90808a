"""``ketenzicht evidence``: verify a dossier, show the legal frameworks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ketenzicht.config import get_settings
from ketenzicht.evidence import dossier, framework, service

app = typer.Typer(help="Evidence: dossier verification and the legal frameworks.",
                  no_args_is_help=True)


@app.command("verify")
def verify(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                 help="The dossier ZIP to check.")]) -> None:
    """Prove a dossier ZIP is unaltered: signature, then every file's SHA-256.

    Exit 0 when intact; 1 naming every altered, missing or unexpected file.
    """
    if path.stat().st_size > dossier.MAX_VERIFY_BYTES:
        typer.echo("error: dossier too large to verify", err=True)
        raise typer.Exit(2)
    result = service.verify_dossier(path.read_bytes(), settings=get_settings())
    if result.ok:
        typer.echo(f"OK: {path.name} is unaltered and signed by this server's key.")
        return
    if result.problem:
        typer.echo(f"NOT VALID: {result.problem}")
    if not result.signature_valid:
        typer.echo("NOT VALID: the manifest's signature does not match (manifest altered, "
                   "or signed with another key).")
    for name in result.altered:
        typer.echo(f"ALTERED: {name}")
    for name in result.missing:
        typer.echo(f"MISSING: {name}")
    for name in result.unexpected:
        typer.echo(f"UNEXPECTED: {name}")
    raise typer.Exit(1)


@app.command("frameworks")
def frameworks() -> None:
    """Print the legal frameworks (law in force and bill), their sub-clauses and sources."""
    law = framework.load()
    typer.echo(json.dumps({k: {"title": f.title, "status": f.status, "version": f.version,
                               "source": f.source, "minors_rule": f.minors_source,
                               "subclauses": {s.key: list(s.elements) for s in f.subclauses}}
                           for k, f in law.frameworks.items()}, indent=2, ensure_ascii=False))
