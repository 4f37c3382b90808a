"""The docs name every setting and every CLI command (after Datasette's test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
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
    # Through Click's own API, which imports the lazily loaded sub-commands too.
    ctx = typer.Context(group)
    out = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if hasattr(command, "list_commands"):
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
    from ketenzicht import domains
    from ketenzicht.auth.permissions import policy_markdown

    domains.register_grants()

    assert (DOCS / "permissions.md").read_text() == policy_markdown(), (
        "regenerate: ketenzicht permissions > docs/permissions.md")


def test_adding_a_domain_says_what_adding_a_domain_is() -> None:
    import dataclasses

    from ketenzicht import domains
    from ketenzicht.core.manifest import DomainManifest

    text = (DOCS / "adding-a-domain.md").read_text()
    # The table names every field of the manifest, and nothing else.
    table = set(re.findall(r"^\| `(\w+)` \|", text, re.M))
    assert table == {f.name for f in dataclasses.fields(DomainManifest)}
    # Every concrete file it names exists.
    root = DOCS.parent
    named = re.findall(r"`((?:src|tests)/[\w/.]+\.py)`", text)
    assert "src/ketenzicht/domains.py" in named
    assert [p for p in named if not (root / p).is_file()] == []
    # And the registries it says read the list import no domain themselves.
    package = root / "src" / "ketenzicht"
    # `ketenzicht permissions` prints auth's policy table (after every manifest's grants),
    # and the core demo seeder makes the organisations and accounts the others use.
    for module, allowed in (("main.py", set()), ("cli.py", {"auth"}), ("scheduler.py", set()),
                            ("model_registry.py", set()), ("demo/seed.py", {"auth"})):
        source = (package / module).read_text()
        wired = {m.name for m in domains.DOMAINS
                 if re.search(rf"ketenzicht\.{m.name}\b|from ketenzicht import .*\b{m.name}\b",
                              source)}
        assert wired <= allowed, f"{module} wires {wired} by hand: use the manifest"
