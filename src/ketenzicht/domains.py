"""The list of domains, and what every registry of the platform reads from it.

One entry per domain (its ``manifest.MANIFEST``), in the order the platform wires them:
pages and API routers are mounted in this order, demo seeders and scheduled jobs run in it.
``main.create_app``, ``cli``, ``model_registry``, ``demo.seed``, ``scheduler`` and the grant
registration read this list and nothing else, so adding a domain means writing its package
and one line here (docs/adding-a-domain.md). Reading the list imports only the manifests,
which hold dotted strings; each registry imports what it needs when it needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ketenzicht.audit.manifest import MANIFEST as AUDIT
from ketenzicht.auth.manifest import MANIFEST as AUTH
from ketenzicht.cases.manifest import MANIFEST as CASES
from ketenzicht.core.manifest import CliCommand, DomainManifest, resolve
from ketenzicht.evidence.manifest import MANIFEST as EVIDENCE
from ketenzicht.monitor.manifest import MANIFEST as MONITOR
from ketenzicht.notify.manifest import MANIFEST as NOTIFY
from ketenzicht.online.manifest import MANIFEST as ONLINE
from ketenzicht.operations.manifest import MANIFEST as OPERATIONS
from ketenzicht.selfcheck.manifest import MANIFEST as SELFCHECK
from ketenzicht.shelter.manifest import MANIFEST as SHELTER
from ketenzicht.signals.manifest import MANIFEST as SIGNALS

# auth first (accounts exist before anything refers to them); the public selfcheck last,
# because its privacy middleware must wrap everything mounted before it.
DOMAINS: tuple[DomainManifest, ...] = (
    AUTH, AUDIT, SHELTER, SIGNALS, CASES, MONITOR, EVIDENCE, NOTIFY, ONLINE, OPERATIONS,
    SELFCHECK,
)

Job = Callable[..., Mapping[str, int]]


def containers() -> set[str]:
    """Every package an import-linter layers contract must name."""
    return {c for manifest in DOMAINS for c in manifest.containers}


def cli_commands() -> list[CliCommand]:
    """The domains' commands under ``ketenzicht``, in domain order (nothing imported)."""
    return [command for manifest in DOMAINS for command in manifest.cli]


def pages() -> Iterator[tuple[DomainManifest, list[Any]]]:
    """Each domain with its page routers, imported now."""
    for manifest in DOMAINS:
        yield manifest, [resolve(dotted) for dotted in manifest.pages]


def api_routers() -> list[Any]:
    """Every domain's JSON routers, imported now, in domain order."""
    return [resolve(dotted) for manifest in DOMAINS for dotted in manifest.api]


def import_models() -> list[Any]:
    """Import every models module, so that ``Base.metadata`` is complete; returns them."""
    return [resolve(dotted) for manifest in DOMAINS for dotted in manifest.models]


def register_grants() -> None:
    """Import every domain's grants module (each registers its grants when imported)."""
    for manifest in DOMAINS:
        if manifest.grants:
            resolve(manifest.grants)


def seeders() -> list[Callable[..., None]]:
    """The demo seeders, in domain order."""
    return [resolve(manifest.seeder) for manifest in DOMAINS if manifest.seeder]


def jobs() -> list[tuple[str, Job]]:
    """``(domain, job)`` for every periodic job, in domain order."""
    return [(manifest.name, resolve(dotted)) for manifest in DOMAINS for dotted in manifest.jobs]


def subscriptions() -> list[tuple[Any, Callable[..., Any]]]:
    """Every domain's ``(event type, handler)`` pairs; nothing is subscribed here."""
    pairs: list[tuple[Any, Callable[..., Any]]] = []
    for manifest in DOMAINS:
        if manifest.subscriptions:
            found: Iterable[tuple[Any, Callable[..., Any]]] = resolve(manifest.subscriptions)
            pairs.extend(found)
    return pairs


def ports() -> list[tuple[str, str]]:
    """Every domain's ``(port, dotted handler)`` pairs (nothing imported)."""
    return [pair for manifest in DOMAINS for pair in manifest.ports]
