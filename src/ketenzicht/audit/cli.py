"""``ketenzicht audit verify``: prove the audit log's hash chain from a shell."""

from __future__ import annotations

import typer

from ketenzicht.audit import service as audit_service
from ketenzicht.db.session import default_session_factory

app = typer.Typer(help="The audit log.", no_args_is_help=True)


@app.command("verify")
def audit_verify() -> None:
    """Prove that the hash chain of the audit log is unbroken (exit 1 if it is not)."""
    session = default_session_factory()()
    try:
        result = audit_service.verify(session)
    finally:
        session.close()
    if result.ok:
        typer.echo(f"ok: {result.checked} entries, chain unbroken")
        return
    typer.echo(f"BROKEN at entry {result.first_broken_id}: {result.reason} "
               f"({result.checked} entries verified before it)", err=True)
    raise typer.Exit(1)
