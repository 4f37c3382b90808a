"""The ``estimate`` command of the monitor sub-app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ketenzicht.monitor.cli import EXIT_INPUT, EXIT_REFUSED, app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    # A Typer app with one command runs it directly; mounted in the root app it is
    # "ketenzicht estimate" (see test_mounted_as_estimate).
    return runner.invoke(app, list(args))


def test_json_object(mse_dir: Path) -> None:
    result = run(str(mse_dir / "NewOrl.csv"), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"estimate", "ci", "observed", "method", "model", "warnings"}
    # JASA 2021 §4.1 / R SparseMSE: stepwise model {D:E}, 1183.69
    assert out["estimate"] == pytest.approx(1183.69, abs=0.01)
    assert out["model"] == ["D:E"]
    assert out["method"] == "stepwise"
    assert out["observed"] == 185
    low, high = out["ci"]
    assert low < out["estimate"] < high


def test_readable_table(mse_dir: Path) -> None:
    result = run(str(mse_dir / "Western.csv"), "--method", "bic")
    assert result.exit_code == 0
    assert "estimate" in result.stdout and "2,483" in result.stdout
    assert "model         A:E" in result.stdout
    assert "why: Exhaustive search" in result.stdout
    assert "warning: sparse table" in result.stdout


def test_bootstrap_options(mse_dir: Path) -> None:
    result = run(
        str(mse_dir / "Kosovo.csv"),
        "--ci",
        "bootstrap",
        "--n-boot",
        "50",
        "--seed",
        "5",
        "--jobs",
        "1",
        "--json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["ci"][0] < out["estimate"] < out["ci"][1]


def test_strata(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "A,B,C,sex,count\n1,0,0,f,40\n0,1,0,f,30\n0,0,1,f,20\n1,1,0,f,9\n1,0,1,f,6\n"
        "0,1,1,f,5\n1,1,1,f,2\n1,0,0,m,2\n0,1,0,m,1\n"
    )
    result = run(str(path), "--strata", "sex", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    by = {s["stratum"]: s for s in out["strata"]}
    assert by["f"]["estimate"] > by["f"]["observed"]
    assert "too sparse" in by["m"]["flagged"]
    text = run(str(path), "--strata", "sex")
    assert "too sparse" in text.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("A,B,count\n1,0,3\n0,1,-2\n", "row 2 (line 3): count -2 is negative"),
        ("A,B,count\n1,2,3\n", "list column 'B' holds 2"),
        ("A,count\n1,3\n", "need at least 2 lists"),
        ("A,B,count\n1,0,3\n1,0,3\n", "duplicate capture history"),
        # pandas would rename the second A to "A.1" and count one list twice (issue 24).
        ("A,A,B,count\n1,1,0,3\n0,0,1,2\n1,1,1,1\n", "column 'A' appears more than once"),
    ],
)
def test_bad_input_exits_2_without_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = run(str(path), "--json")
    assert result.exit_code == EXIT_INPUT
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.csv"))
    assert result.exit_code == EXIT_INPUT
    assert "cannot read" in result.stderr


def test_refusal_exits_3_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "all.csv"
    path.write_text("A,B,C,count\n1,1,0,4\n1,0,1,3\n1,1,1,2\n")
    result = run(str(path))
    assert result.exit_code == EXIT_REFUSED
    assert "holds every observed case" in result.stderr


def test_bad_option_is_a_usage_error(mse_dir: Path) -> None:
    result = run(str(mse_dir / "Korea.csv"), "--method", "magic")
    assert result.exit_code == 2


def test_mounted_as_estimate(mse_dir: Path) -> None:
    root = typer.Typer()

    @root.command("version")
    def version() -> None:
        """Another command, as the root app has."""

    root.add_typer(app)
    result = runner.invoke(root, ["estimate", str(mse_dir / "Korea.csv"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["observed"] == 123
