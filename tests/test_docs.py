"""The docs name every setting and every CLI command (after Datasette's test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from ketenzicht.cli import app
from ketenzicht.config import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text()
    documented = set(re.findall(r"`(KZ_[A-Z_]+)`", text))
    settings = {f"KZ_{name.upper()}" for name in Settings.model_fields}
    assert settings - documented == set(), "document these in docs/configuration.md"
    assert documented - settings - {"KZ_TEST_DATABASE_URL"} == set(), "stale entries"


def _commands(group: Any, prefix: str) -> list[str]:
    # Typer's groups quack like click groups without subclassing them.
    out = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            if command.invoke_without_command:
                out.append(f"{prefix} {name}")
            out.extend(_commands(command, f"{prefix} {name}"))
        else:
            out.append(f"{prefix} {name}")
    return out


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    commands = _commands(typer.main.get_group(app), "ketenzicht")
    assert len(commands) >= 8
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"document these in docs/cli.md: {missing}"


def test_permissions_page_matches_the_policy() -> None:
    from ketenzicht import main  # noqa: F401 - loads every domain and so its grants
    from ketenzicht.auth.permissions import policy_markdown

    assert (DOCS / "permissions.md").read_text() == policy_markdown(), (
        "regenerate: ketenzicht permissions > docs/permissions.md")
