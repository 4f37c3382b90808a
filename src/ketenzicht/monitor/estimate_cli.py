"""``ketenzicht estimate FILE.csv``: the estimator on the command line.

Apart from ``monitor.cli`` (the stored figures) so that an analyst's estimate imports the
estimation library and nothing of the web app or the database.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .estimation import (
    EstimateResult,
    EstimationInputError,
    EstimationRefusedError,
    StratifiedResult,
    estimate,
    estimate_strata,
)

app = typer.Typer(
    help="Multiple-systems estimation: how many people do the registrations together miss?",
    no_args_is_help=True,
)

EXIT_INPUT = 2
EXIT_REFUSED = 3


class MethodChoice(StrEnum):
    """Estimation methods offered on the command line."""

    stepwise = "stepwise"
    aic = "aic"
    bic = "bic"
    bma = "bma"
    lcmcr = "lcmcr"


class CiChoice(StrEnum):
    """Interval methods offered on the command line."""

    profile = "profile"
    bootstrap = "bootstrap"


@app.command("estimate")
def estimate_command(
    file: Annotated[Path, typer.Argument(help="CSV: one 0/1 column per list, then 'count'.")],
    method: Annotated[MethodChoice, typer.Option(help="Model selection or Bayesian method.")] = (
        MethodChoice.stepwise
    ),
    ci: Annotated[CiChoice, typer.Option(help="Interval for log-linear methods.")] = (
        CiChoice.profile
    ),
    strata: Annotated[
        str | None, typer.Option(help="Estimate per value of this column; sparse ones flagged.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    level: Annotated[float, typer.Option(help="Coverage of the interval.")] = 0.95,
    n_boot: Annotated[int, typer.Option(help="Bootstrap replicates.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (bootstrap, LCMCR).")] = 1234,
    bca: Annotated[bool, typer.Option(help="BCa instead of percentile bootstrap interval.")] = (
        False
    ),
    jobs: Annotated[int | None, typer.Option(help="Processes for the bootstrap.")] = None,
) -> None:
    """Estimate the population behind a capture-history table.

    Exit status 2: invalid input or options; 3: no estimate possible (the message says why).
    """
    settings: dict[str, Any] = {
        "method": method.value,
        "ci": ci.value,
        "level": level,
        "n_boot": n_boot,
        "seed": seed,
        "boot_interval": "bca" if bca else "percentile",
        "n_jobs": jobs,
    }
    try:
        if strata is None:
            result: EstimateResult | StratifiedResult = estimate(file, **settings)
        else:
            result = estimate_strata(file, strata, **settings)
    except EstimationRefusedError as exc:
        typer.echo(f"error: no estimate: {exc}", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    except (EstimationInputError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if as_json:
        typer.echo(json.dumps(result.summary(), ensure_ascii=False))
    elif isinstance(result, StratifiedResult):
        typer.echo(_strata_text(result))
    else:
        typer.echo(_text(result))


def _number(value: float | None) -> str:
    return "no limit" if value is None else f"{value:,.0f}"


def _text(result: EstimateResult) -> str:
    rows = [
        ("estimate", _number(result.estimate)),
        ("observed", f"{result.observed:,}"),
        ("dark number", _number(result.dark_number)),
    ]
    if result.interval is not None:
        iv = result.interval
        rows.append((f"{100 * iv.level:.0f}% interval", f"{_number(iv.low)} - {_number(iv.high)}"))
        rows.append(("interval", iv.kind))
    rows.append(("method", result.method))
    rows.append(("model", ", ".join(result.model) or "main effects only"))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    lines += ["", "why: " + result.reason]
    lines += [f"warning: {w}" for w in result.warnings]
    lines.append(f"input sha256: {result.provenance.input_sha256}")
    return "\n".join(lines)


def _strata_text(result: StratifiedResult) -> str:
    header = f"{result.column:<16} {'observed':>9} {'estimate':>10} {'interval':>23}  model"
    lines = [header]
    for s in result.strata:
        if s.result is None:
            lines.append(f"{s.stratum:<16} {s.observed:>9,} {'-':>10} {'':>23}  {s.flagged}")
            continue
        r = s.result
        iv = "" if r.interval is None else f"{_number(r.interval.low)} - {_number(r.interval.high)}"
        model = ", ".join(r.model) or "main effects"
        lines.append(
            f"{s.stratum:<16} {s.observed:>9,} {_number(r.estimate):>10} {iv:>23}  {model}"
        )
    return "\n".join(lines)
