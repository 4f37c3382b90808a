"""``ketenzicht online recruitment score|evaluate|train``: the detector on the command line.

These import the detector, scikit-learn and the settings, and nothing of the database or
the web app, so a large file spends its time scoring.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from ketenzicht.config import get_settings
from ketenzicht.online.analysis.extraction.intake import iter_lines
from ketenzicht.online.analysis.recruitment import lexicon as lexicon_mod
from ketenzicht.online.analysis.recruitment.detector import Detector
from ketenzicht.online.analysis.recruitment.intake import BadPost, RawPost, parse_post

BATCH = 512


def open_input(path: str) -> IO[bytes]:
    """A file or stdin, as ``online extract`` reads it."""
    if path == "-":
        return typer.get_binary_stream("stdin")
    try:
        return Path(path).open("rb")
    except OSError as exc:
        typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc


def load_detector() -> Detector:
    """The detector of the configured lexicon (shipped plus the analysts' override)."""
    settings = get_settings()
    try:
        lexicon = lexicon_mod.load(settings.online_recruitment_lexicon)
    except lexicon_mod.LexiconError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    cache = settings.online_recruitment_model_dir or settings.var_dir / "cache"
    return Detector.for_lexicon(lexicon, cache)


def score(
    file: Annotated[str, typer.Argument(help="JSON-lines file of posts, or - for stdin.")] = "-",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write results here instead of stdout.")] = None,
) -> None:
    """Score posts for recruitment into criminal exploitation, one JSON line per post.

    Each input line: {"id", "text", "platform"?, "posted_at"?}. Each output line: {"id",
    "score" (0..1), "reasons": [{"code", "weight", "evidence", "start", "end", "spans"}],
    "min_age"?}. A bad line is reported on stderr with its number and skipped; the exit code
    is non-zero only when no post at all could be scored.
    """
    source = open_input(file)
    detector = load_detector()
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    done = bad = 0
    batch: list[RawPost] = []

    def flush() -> None:
        nonlocal done
        for result in detector.score_texts([p.id for p in batch], [p.text for p in batch]):
            sink.write(json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":")))
            sink.write("\n")
            done += 1
        batch.clear()

    try:
        for lineno, raw in iter_lines(source):
            try:
                post = parse_post(raw)
            except BadPost as exc:
                bad += 1
                typer.echo(f"line {lineno}: {exc}", err=True)
                continue
            if post is not None:
                batch.append(post)
                if len(batch) >= BATCH:
                    flush()
        if batch:
            flush()
    finally:
        if output:
            sink.close()
        if file != "-":
            source.close()
    typer.echo(f"{done} posts scored, {bad} lines skipped", err=True)
    if done == 0:
        if bad == 0:
            typer.echo("error: the input holds no posts", err=True)
        raise typer.Exit(1)


def evaluate(
    seed: Annotated[int, typer.Option(help="Seed of the evaluation corpus (not the "
                                           "training seed).")] = 7,
    n: Annotated[int, typer.Option(min=200, max=200_000, help="Posts to generate.")] = 3000,
    min_signs: Annotated[int, typer.Option(min=1, max=6, help="Fewest signs a recruitment "
                                                              "post carries.")] = 2,
    obfuscation: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of posts with a "
                                                                      "split or disguised "
                                                                      "word.")] = 0.15,
) -> None:
    """Measure the detector on a fresh synthetic corpus: overall, per sign, per negative kind.

    The corpus is synthetic and made by the project's own generator: the figures are an upper
    bound for real posts, not an estimate of them.
    """
    from ketenzicht.online.analysis.recruitment import evaluation, generator

    detector = load_detector()
    knobs = generator.Knobs(n=n, min_signs=min_signs, obfuscation=obfuscation)
    posts = list(generator.generate(seed, knobs))
    report: dict[str, Any] = evaluation.report(detector, posts)
    report |= {"seed": seed, "n": n, "min_signs": min_signs, "obfuscation": obfuscation}
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))


def train(
    force: Annotated[bool, typer.Option(help="Retrain even when a cached model exists.")] = False,
    ship: Annotated[bool, typer.Option(
        help="Write the shipped lexicon's model into the package (for a release; the "
             "analysts' override is left out).")] = False,
) -> None:
    """Train the detector on the synthetic corpus now and cache it (else the first run does)."""
    from ketenzicht.online.analysis.recruitment.detector import SHIPPED_MODEL

    settings = get_settings()
    if ship:
        lexicon = lexicon_mod.load()
        Detector.train_synthetic(lexicon).save(SHIPPED_MODEL)
        typer.echo(str(SHIPPED_MODEL))
        return
    lexicon = lexicon_mod.load(settings.online_recruitment_lexicon)
    cache = settings.online_recruitment_model_dir or settings.var_dir / "cache"
    path = cache / f"recruitment-{Detector.cache_key(lexicon)}.npz"
    if force or not path.is_file():
        Detector.train_synthetic(lexicon).save(path)
    typer.echo(str(path))

