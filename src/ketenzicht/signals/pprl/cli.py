"""``ketenzicht linkage``: key shares and encoding at the organisation (no server contact).

These commands run on an organisation's own machine; they open no database and send nothing.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published

app = typer.Typer(help="Linkage at the source: key shares, encoding exports.",
                  no_args_is_help=True)


def _key(shares_file: Path) -> keys.LinkageKey:
    try:
        lines = [ln for ln in shares_file.read_text("utf-8").splitlines() if ln.strip()]
        return keys.combine(lines)
    except OSError as exc:
        typer.echo(f"error: cannot read {shares_file}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc
    except keys.ShareError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command("keygen")
def keygen(
    version: Annotated[str, typer.Option(help="The key version: the year it is used in.")],
    parties: Annotated[int, typer.Option(help="How many organisations receive a share.")] = 3,
) -> None:
    """Print one share per organisation; give each its own line, by separate channels."""
    try:
        shares = keys.keygen(version, parties)
    except keys.ShareError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for share in shares:
        typer.echo(share)


@app.command("combine")
def combine(shares: Annotated[Path, typer.Argument(help="File with all shares, one a line.")],
            ) -> None:
    """Check the shares combine; print the key version and its public fingerprint."""
    key = _key(shares)
    typer.echo(json.dumps({"key_version": key.version, "fingerprint": key.fingerprint()}))


@app.command("encode")
def encode(
    export: Annotated[Path, typer.Argument(help="CSV (with header) or JSON-lines export.")],
    shares: Annotated[Path, typer.Option(help="File with all shares, one a line.")],
    id_column: Annotated[str, typer.Option(help="Column kept as the record's own id.")] = "id",
) -> None:
    """Write one JSON line of encodings per record; raw identities are not written."""
    key = _key(shares)
    schema = published()
    try:
        text = export.read_text("utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot read {export}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc
    if export.suffix in (".jsonl", ".ndjson"):
        try:
            rows = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
        except json.JSONDecodeError as exc:
            typer.echo(f"error: line {exc.lineno} is not JSON", err=True)
            raise typer.Exit(2) from exc
    else:
        rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        record = {k: str(v) for k, v in row.items() if v is not None}
        out = encode_record(record, key, schema).to_json()
        out["id"] = record.get(id_column)
        sys.stdout.write(json.dumps(out) + "\n")
