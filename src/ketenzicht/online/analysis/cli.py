"""``ketenzicht online extract``: ads in as JSON lines, findings out, one line per ad.

It imports the extraction pipeline and nothing else of the platform: no database, no web
app, no linkage library (issue 16), so a large file spends its time extracting.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Annotated

import typer

from ketenzicht.online.analysis.extraction.intake import BadLine, iter_lines, parse_line
from ketenzicht.online.analysis.extraction.types import Ad
from ketenzicht.online.analysis.pipeline import BATCH_SIZE, DropAd, Pipeline


def open_input(path: str) -> IO[bytes]:
    """The JSON-lines input of ``online extract`` and ``online link``: a file or stdin."""
    if path == "-":
        return typer.get_binary_stream("stdin")
    try:
        return Path(path).open("rb")
    except OSError as exc:
        typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc


def extract(
    file: Annotated[str, typer.Argument(help="JSON-lines file of ads, or - for stdin.")] = "-",
    region: Annotated[str, typer.Option(
        help="Default ISO country for national numbers when an ad has no 'region'.")] = "NL",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write results here instead of stdout.")] = None,
    stats: Annotated[bool, typer.Option(help="Print the stage counters on stderr.")] = False,
) -> None:
    """Read ads as JSON lines and write one JSON line of findings per ad.

    Each input line: {"id", "text", "title"?, "city"?, "region"?, ...}. Each output line:
    {"id", "phones", "phone_obfuscation", "emails", "handles", "ages", "cities", "prices",
    "origins", "language", "indicators"}. A bad line is reported on stderr with its number
    and skipped; the exit code is non-zero only when no ad at all could be processed.
    """
    region = region.upper()
    pipeline = Pipeline()
    source = open_input(file)
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    processed = bad = 0
    batch: list[tuple[int, Ad]] = []

    def flush() -> None:
        nonlocal processed, bad
        results = pipeline.run_batch([ad for _, ad in batch])
        for (lineno, ad), result in zip(batch, results, strict=True):
            if isinstance(result, DropAd):
                bad += 1
                typer.echo(f"line {lineno}: ad {ad.id!r} skipped: {result}", err=True)
                continue
            sink.write(json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":")))
            sink.write("\n")
            processed += 1
        batch.clear()

    try:
        for lineno, raw in iter_lines(source):
            try:
                ad = parse_line(raw, region)
            except BadLine as exc:
                bad += 1
                typer.echo(f"line {lineno}: {exc}", err=True)
                continue
            if ad is not None:
                batch.append((lineno, ad))
                if len(batch) >= BATCH_SIZE:
                    flush()
        if batch:
            flush()
    finally:
        if output:
            sink.close()
        if file != "-":
            source.close()
    typer.echo(f"{processed} ads processed, {bad} lines skipped", err=True)
    if stats:
        for key, value in sorted(pipeline.stats.items()):
            typer.echo(f"  {key}: {value}", err=True)
    if processed == 0:
        if bad == 0:
            typer.echo("error: the input holds no ads", err=True)
        raise typer.Exit(1)
