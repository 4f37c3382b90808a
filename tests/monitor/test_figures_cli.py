"""``ketenzicht monitor import-figures`` and ``refresh`` on a real (temporary) database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ketenzicht.cli import app
from tests.factories.monitor import FIGURES_CSV

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_refresh(tmp_path: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    good = tmp_path / "cijfers.csv"
    good.write_text(FIGURES_CSV)
    code, out, err = run("monitor", "import-figures", str(good), "--source", "CBS 2025")
    assert code == 0, err
    assert "6 figures imported" in out
    code, out, err = run("monitor", "refresh")
    assert code == 0, err
    assert "estimates stored" in out


def test_bad_rows_are_named_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text("year,stage,form,count\n2024,cases,all,x\n2024,cases,all,3\n1800,cases,all,1\n")
    code, _, err = run("monitor", "import-figures", str(bad), "--source", "x")
    assert code == 2
    assert "Row 2: count 'x' is not valid" in err and "Row 4: year '1800'" in err
    assert "Traceback" not in err


def test_source_is_required(tmp_path: Path) -> None:
    good = tmp_path / "cijfers.csv"
    good.write_text(FIGURES_CSV)
    code, _, err = run("monitor", "import-figures", str(good), "--source", " ")
    assert code == 2 and "--source" in err
