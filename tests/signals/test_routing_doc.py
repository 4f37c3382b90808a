"""The routing test table in docs/domains/signals.md is the generated one (issue 18)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ketenzicht.signals import cli
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.routing_doc import AGES, markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "domains" / "signals.md"
START, END = "<!-- routing-table:start -->\n", "<!-- routing-table:end -->"


def test_the_doc_holds_the_generated_table() -> None:
    text = DOC.read_text()
    between = text[text.index(START) + len(START):text.index(END)]
    assert between == markdown(), (
        "regenerate: ketenzicht signals routing-table, between the routing-table markers "
        "of docs/domains/signals.md")


def test_every_combination_is_a_row() -> None:
    rows = [line for line in markdown().splitlines() if line.startswith("| ")
            and line.split(" | ")[0].lstrip("| ") in {f.value for f in ExploitationForm}]
    assert len(rows) == len(ExploitationForm) * len(AGES) * 2  # x acute yes/no, one group
    assert any("| labour | unknown | no |" in r and "arbeidsinspectie" in r
               and "veilig_thuis" in r for r in rows)


def test_the_cli_prints_it() -> None:
    result = CliRunner().invoke(cli.app, ["routing-table"])
    assert result.exit_code == 0 and result.stdout == markdown()
