"""``ketenzicht online extract``: ads in as JSON lines, findings out, one line per ad.

It imports the extraction pipeline and nothing else of the platform: no database, no web
app, no linkage library (issue 16), so a large file spends its time extracting.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Annotated

import typer

from ketenzicht.online.analysis import parallel
from ketenzicht.online.analysis.extraction.intake import BadLine, iter_lines, parse_line
from ketenzicht.online.analysis.pipeline import BATCH_SIZE


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
    workers: Annotated[int, typer.Option(
        min=0, max=parallel.MAX_WORKERS,
        help="Worker processes; 0: one per core. An input of one batch runs in-process."),
    ] = 0,
) -> None:
    """Read ads as JSON lines and write one JSON line of findings per ad.

    Each input line: {"id", "text", "title"?, "city"?, "region"?, ...}. Each output line:
    {"id", "phones", "phone_obfuscation", "emails", "handles", "ages", "cities", "prices",
    "origins", "language", "indicators"}, in the order of the input. A bad line is reported on
    stderr with its number and skipped; the exit code is non-zero only when no ad at all
    could be processed.
    """
    region = region.upper()
    source = open_input(file)
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    processed = bad = 0

    def batches() -> Iterator[parallel.Batch]:
        nonlocal bad
        batch: parallel.Batch = []
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
                    yield batch
                    batch = []
        if batch:
            yield batch

    runner = parallel.Runner(workers or parallel.default_workers())
    try:
        for batch, outcomes in runner.run(batches()):
            for (lineno, ad), (ok, text) in zip(batch, outcomes, strict=True):
                if not ok:
                    bad += 1
                    typer.echo(f"line {lineno}: ad {ad.id!r} skipped: {text}", err=True)
                    continue
                sink.write(text)
                sink.write("\n")
                processed += 1
    except BrokenProcessPool as exc:
        # A worker died (killed, out of memory): what was written stays, in order, up to
        # the last whole batch; the rest is not guessed at.
        typer.echo(f"error: a worker process died ({exc}); {processed} ads were written "
                   "before it, in input order", err=True)
        raise typer.Exit(1) from exc
    finally:
        if output:
            sink.close()
        if file != "-":
            source.close()
    typer.echo(f"{processed} ads processed, {bad} lines skipped", err=True)
    if stats:
        typer.echo(f"  workers: {runner.used_workers}", err=True)
        for key, value in sorted(runner.stats.items()):
            typer.echo(f"  {key}: {value}", err=True)
    if processed == 0:
        if bad == 0:
            typer.echo("error: the input holds no ads", err=True)
        raise typer.Exit(1)
