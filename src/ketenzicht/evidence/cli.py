"""``ketenzicht evidence``: verify a dossier, show the legal frameworks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ketenzicht.config import Settings, get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.evidence import dossier, framework, keys, service, signing

app = typer.Typer(help="Evidence: dossier verification and the legal frameworks.",
                  no_args_is_help=True)


def _read_key(path: Path) -> Ed25519PublicKey:
    try:
        return signing.load_public(path.read_bytes())
    except ValueError as exc:
        typer.echo(f"error: {path} is not an Ed25519 public key ({exc})", err=True)
        raise typer.Exit(2) from exc


def _installation_keys() -> tuple[list[Ed25519PublicKey], Settings]:
    """This installation's published keys and its settings (for format-1 HMAC dossiers)."""
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    with unit_of_work(factory) as session:
        return keys.trusted(session), settings


@app.command("verify")
def verify(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                 help="The dossier ZIP to check.")],
           public_key: Annotated[Path | None, typer.Option(
               "--public-key", exists=True, dir_okay=False,
               help="The signing organisation's published Ed25519 public key (PEM). With "
                    "it, nothing of this server is used: no database, no secret.")] = None,
           tsa_cert: Annotated[Path | None, typer.Option(
               "--tsa-cert", exists=True, dir_okay=False,
               help="The timestamp authority's certificate, to check its token too.")] = None,
           ) -> None:
    """Prove a dossier ZIP is unaltered: layout, signature, then every file's SHA-256.

    Exit 0 when intact; 1 naming every altered, missing or unexpected file, or why the
    archive is refused; 2 when the dossier or a key cannot be read.
    """
    if path.stat().st_size > dossier.MAX_VERIFY_BYTES:
        typer.echo("error: dossier too large to verify", err=True)
        raise typer.Exit(2)
    settings: Settings | None = None
    if public_key is not None:
        trusted = [_read_key(public_key)]
    else:
        trusted, settings = _installation_keys()
    result = service.verify_dossier(path.read_bytes(), public_keys=trusted, settings=settings,
                                    tsa_cert=tsa_cert.read_bytes() if tsa_cert else None)
    if result.ok:
        by = f" by {result.signed_by}" if result.signed_by else ""
        typer.echo(f"OK: {path.name} is unaltered; {result.algorithm} signature{by}, "
                   f"key {result.key_id}.")
        if result.timestamp:
            typer.echo(f"Timestamp (RFC 3161): signed no later than {result.timestamp}.")
        return
    if result.problem:
        typer.echo(f"NOT VALID: {result.problem}")
    elif not result.signature_valid:
        typer.echo(f"NOT VALID: the manifest's signature does not match key {result.key_id} "
                   "(manifest altered, or signed with another key).")
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
