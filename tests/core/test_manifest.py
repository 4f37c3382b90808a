"""Every registry reads the domain manifests, and the manifests say the truth."""

from __future__ import annotations

import configparser
import dataclasses
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
import typer
import typer.main
from fastapi import APIRouter

from ketenzicht import domains
from ketenzicht.cli import app
from ketenzicht.core.lazycli import lazy_group
from ketenzicht.core.manifest import CliCommand, DomainManifest, resolve

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "ketenzicht"
# Packages that are the platform's shell, not domains: they carry no manifest.
NOT_DOMAINS = {"core", "db", "web", "demo", "migrations", "templates", "translations"}


def _layers_containers() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    found: set[str] = set()
    for section in config.sections():
        if config[section].get("type") == "layers" and "containers" in config[section]:
            found |= set(config[section]["containers"].split())
    return found


def test_manifest_containers_are_the_import_linter_containers() -> None:
    # Every container a manifest names has its layers contract, and every layers contract
    # sits inside a manifest's container (a sub-package has a contract of its own).
    found = _layers_containers()
    assert domains.containers() - found == set()
    # ... a sub-package of one, or the package that holds several (online's three parts).
    outside = {c for c in found
               if not any(c == m or c.startswith(m + ".") or m.startswith(c + ".")
                          for m in domains.containers())}
    assert outside == set()


def test_every_domain_package_has_a_manifest_in_the_list() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - NOT_DOMAINS
    listed = {m.name for m in domains.DOMAINS}
    assert packages == listed
    for manifest in domains.DOMAINS:
        assert resolve(f"ketenzicht.{manifest.name}.manifest:MANIFEST") is manifest


@pytest.mark.parametrize("manifest", domains.DOMAINS, ids=lambda m: m.name)
def test_every_dotted_path_resolves_to_what_its_registry_expects(
        manifest: DomainManifest) -> None:
    for dotted in (*manifest.pages, *manifest.api):
        assert isinstance(resolve(dotted), APIRouter), dotted
    for dotted in (manifest.seeder, manifest.mount, *manifest.jobs):
        if dotted:
            assert callable(resolve(dotted)), dotted
    for dotted in (*manifest.models, *filter(None, [manifest.grants])):
        assert isinstance(resolve(dotted), types.ModuleType), dotted
    for container in manifest.containers:
        assert isinstance(resolve(container), types.ModuleType), container
    for command in manifest.cli:
        target = resolve(command.target)
        assert isinstance(target, typer.Typer) or callable(target), command
    for port, dotted in manifest.ports:
        assert port.startswith(f"{manifest.name}."), port  # a port is named by its answerer
        assert callable(resolve(dotted)), dotted


def _first_line(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def _declared() -> list[CliCommand]:
    from ketenzicht.online.cli import COMMANDS as ONLINE

    return [*domains.cli_commands(), *ONLINE]


@pytest.mark.parametrize("command", _declared(), ids=lambda c: c.name)
def test_declared_help_lines_are_the_commands_own(command: CliCommand) -> None:
    # `ketenzicht --help` prints the declared line without importing the command, so the
    # line must not drift from the command's own help.
    from ketenzicht.core.lazycli import to_click

    real = to_click(command.name, resolve(command.target))
    assert _first_line(command.help) == _first_line(real.help)


def test_every_declared_command_is_reachable_under_its_name() -> None:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    names = group.list_commands(ctx)  # type: ignore[attr-defined]
    for command in domains.cli_commands():
        assert command.name in names
        assert group.get_command(ctx, command.name) is not None  # type: ignore[attr-defined]


def test_a_command_declared_twice_is_refused() -> None:
    entry = CliCommand("x", "ketenzicht.cli:app", "X.")
    with pytest.raises(ValueError, match="declared twice"):
        lazy_group([entry, entry])


def test_manifests_are_frozen_dotted_strings() -> None:
    for manifest in domains.DOMAINS:
        with pytest.raises(dataclasses.FrozenInstanceError):
            manifest.name = "other"  # type: ignore[misc]
        for field in dataclasses.fields(manifest):
            value = getattr(manifest, field.name)
            assert value is None or isinstance(value, str | tuple), field.name


def test_subscriptions_are_collected_not_subscribed(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = object()
    monkeypatch.setattr(domains, "DOMAINS", (dataclasses.replace(
        domains.DOMAINS[0], subscriptions="tests.core.test_manifest:PAIRS"),))
    monkeypatch.setattr(sys.modules[__name__], "PAIRS", [("Event", handler)], raising=False)
    assert domains.subscriptions() == [("Event", handler)]


HEAVY = ("fastapi", "sqlalchemy", "pandas", "scipy", "splink", "altair", "duckdb", "scrapy",
         "uvicorn", "weasyprint")


def _loaded_after(args: list[str]) -> set[str]:
    """The top-level packages a fresh process has imported after running ``args``."""
    code = (
        "import sys, json\n"
        "from ketenzicht.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT, input="")
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_imports_no_domain_library() -> None:
    assert _loaded_after(["--help"]) & set(HEAVY) == set()


def test_online_extract_imports_only_what_it_uses(tmp_path: Path) -> None:
    ads = tmp_path / "ads.jsonl"
    ads.write_text(json.dumps({"id": "1", "text": "Bel 0612345678, Utrecht"}) + "\n")
    loaded = _loaded_after(["online", "extract", str(ads), "-o", str(tmp_path / "out")])
    assert loaded & set(HEAVY) == set()
    assert (tmp_path / "out").read_text().count("\n") == 1


def test_online_link_without_db_imports_no_database_or_web_app() -> None:
    loaded = _loaded_after(["online", "link", "--help"])
    assert loaded & {"fastapi", "sqlalchemy", "splink", "altair", "scrapy", "uvicorn"} == set()


def test_estimate_imports_no_web_app_database_or_linkage() -> None:
    loaded = _loaded_after(["estimate", "--help"])
    assert loaded & {"fastapi", "sqlalchemy", "splink", "altair", "scrapy", "uvicorn",
                     "duckdb", "weasyprint"} == set()
