"""The architecture of imports between domains, checked on the code itself (issue 19).

A domain reads another only through its face: ``service``, ``schemas`` and ``enums`` (auth
adds its permission engine, online one ``public`` module per part). The import-linter
contracts in ``.importlinter`` say the same; this test walks the import graph with grimp,
so that a bypass is named in the test run too, and checks that every domain on disk has
its contracts (a new domain without them fails here, not silently).
"""

from __future__ import annotations

import configparser
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "ketenzicht"
#: Packages of the shell around the domains: they may import any domain, and none is a domain.
SHELL = frozenset({"core", "db", "web", "demo", "migrations", "templates", "translations"})
FACE = frozenset({"service", "schemas", "enums"})
FACES = {"auth": FACE | {"permissions"}, "audit": frozenset({"service", "schemas"})}
#: online is three parts, each with its own face; analysis is a library open to both others.
ONLINE_PARTS = {"collection": frozenset({"public", "enums"}), "workspace": frozenset({"public"})}


def domains() -> list[str]:
    """Every domain package on disk (a package of ``ketenzicht`` that is not the shell)."""
    return sorted(p.name for p in PACKAGE.iterdir()
                  if (p / "__init__.py").is_file() and p.name not in SHELL)


def _owner(module: str, root: str, names: set[str]) -> tuple[str, ...] | None:
    """(domain,) or ("online", part) for a module of a domain, None for the shell."""
    parts = module.split(".")
    if parts[0] != root or len(parts) < 2 or parts[1] not in names:
        return None
    if parts[1] == "online" and len(parts) > 2 and parts[2] in {*ONLINE_PARTS, "analysis"}:
        return ("online", parts[2])
    return (parts[1],)


def _verdict(src: tuple[str, ...], dst: tuple[str, ...], rest: list[str]) -> str | None:
    """Why an import from ``src`` into ``dst`` (module tail ``rest``) is refused, or None."""
    face = rest[0] if rest else ""
    if dst[0] != "online":
        return None if face in FACES.get(dst[0], FACE) else f"not the face of {dst[0]}"
    if src[0] != "online":
        ok = len(dst) > 1 and dst[1] in ONLINE_PARTS and face == "public"
        return None if ok else "not the face of online (online.<part>.public)"
    if len(src) == 1 or len(dst) == 1:
        return None  # online's own top modules (cli, seed, permissions) assemble its parts
    if src[1] == "analysis":
        return "online.analysis is a library: it imports neither collection nor workspace"
    if dst[1] == "analysis":
        return None
    return None if face in ONLINE_PARTS[dst[1]] else f"not the face of online.{dst[1]}"


def bypasses(graph: grimp.ImportGraph, root: str, names: set[str]) -> Iterator[str]:
    """Each import of a domain module from another domain that is not through its face."""
    for importer in sorted(graph.modules):
        src = _owner(importer, root, names)
        if src is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            dst = _owner(imported, root, names)
            if dst is None or dst == src or (dst[0] == src[0] != "online"):
                continue
            why = _verdict(src, dst, imported.split(".")[len(dst) + 1:])
            if why is not None:
                lines = sorted(d["line_number"] for d in graph.get_import_details(
                    importer=importer, imported=imported))
                yield (f"{importer} (line {', '.join(map(str, lines))}) imports {imported}, "
                       f"which is {why}")


def test_domains_import_each_other_only_through_their_faces() -> None:
    graph = grimp.build_graph("ketenzicht", cache_dir=None)
    assert list(bypasses(graph, "ketenzicht", set(domains()))) == []


def test_a_domain_reading_another_domains_models_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check fails, naming the import, when a domain reads another's ORM models."""
    pkg = tmp_path / "kzfake"
    for path, text in {
        "__init__.py": "", "cases/__init__.py": "", "cases/models.py": "CASE = 1\n",
        "cases/service.py": "from kzfake.cases.models import CASE\n",
        "monitor/__init__.py": "",
        "monitor/service.py": "from kzfake.cases import service\n"
                              "from kzfake.cases.models import CASE\n",
    }.items():
        (pkg / path).parent.mkdir(parents=True, exist_ok=True)
        (pkg / path).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("kzfake", cache_dir=None)
    found = list(bypasses(graph, "kzfake", {"cases", "monitor"}))
    sys.modules.pop("kzfake", None)
    assert found == ["kzfake.monitor.service (line 2) imports kzfake.cases.models, "
                     "which is not the face of cases"]


def _contracts() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return config


def test_every_domain_has_a_face_contract_and_exhaustive_layers() -> None:
    config = _contracts()
    for domain in domains():
        face = config[f"importlinter:contract:face-{domain}"]
        assert face["forbidden_modules"].split() == [f"ketenzicht.{domain}"], domain
        others = {f"ketenzicht.{d}" for d in domains() if d != domain}
        assert set(face["source_modules"].split()) == others, domain
        layers = config[f"importlinter:contract:layers-{domain}"]
        assert layers["exhaustive"] == "True", domain


def _is_module(path: Path) -> bool:
    """A module or package inside a package (what a layers contract must place)."""
    return ((path.suffix == ".py" and path.name != "__init__.py")
            or (path / "__init__.py").is_file())


def test_every_sub_package_of_a_domain_has_exhaustive_layers() -> None:
    config = _contracts()
    declared = {config[s]["containers"].strip() for s in config.sections()
                if config[s].get("type") == "layers" and config[s].get("exhaustive") == "True"}
    packages = {"ketenzicht." + ".".join(p.parent.relative_to(PACKAGE).parts)
                for p in PACKAGE.rglob("__init__.py")
                if p.parent != PACKAGE and p.parent.relative_to(PACKAGE).parts[0] not in SHELL
                and any(_is_module(c) for c in p.parent.iterdir())}
    assert sorted(packages - declared) == []


def test_core_and_db_import_no_domain() -> None:
    config = _contracts()["importlinter:contract:core"]
    assert set(config["source_modules"].split()) == {"ketenzicht.core", "ketenzicht.db"}
    assert {f"ketenzicht.{d}" for d in domains()} <= set(config["forbidden_modules"].split())
