"""What a domain declares about itself, for every registry of the platform to read.

One :class:`DomainManifest` per domain, in ``<domain>/manifest.py``, and one list of them in
``ketenzicht.domains``. The app factory, the ``ketenzicht`` command, the model registry, the
demo seeder, the scheduler and the grant registration all read that list, so adding a domain
means writing its package and one manifest entry (docs/adding-a-domain.md).

Every field is a dotted string (``"ketenzicht.shelter.views:router"``) resolved on first use
by :func:`resolve`: reading the manifests imports nothing but this module, so ``ketenzicht
--help`` needs neither the web app nor pandas (the manner of Datasette, which registers its
own built-ins as plugins, and of Click's lazily loaded sub-commands).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CliCommand:
    """One command under ``ketenzicht``: its name, where it lives, and its help line.

    ``target`` names a Typer app (a group of commands) or a plain function (one command).
    ``help`` is what ``ketenzicht --help`` prints, without importing ``target``.
    """

    name: str
    target: str
    help: str


@dataclass(frozen=True)
class DomainManifest:
    """The wiring of one domain; every field but ``name`` and ``containers`` is optional.

    - ``containers``: the packages that import-linter's layers contracts check (one per
      domain, or one per part of a domain split along its data flow, as ``online``).
    - ``pages``: HTML routers, mounted in domain order (``APIRouter`` objects).
    - ``api``: JSON routers, mounted under ``main.API_PREFIX`` after every page.
    - ``mount``: a function ``(app) -> None`` for wiring routers cannot say (the selfcheck
      mounts at two prefixes behind its own privacy middleware).
    - ``cli``: commands added to ``ketenzicht``.
    - ``models``: modules whose import completes ``Base.metadata``.
    - ``seeder``: ``(session, SeedContext) -> None``, run by ``ketenzicht demo`` in order.
    - ``jobs``: ``(session, settings) -> Mapping[str, int]``, run by ``ketenzicht.scheduler``
      each in a transaction of its own.
    - ``grants``: the module that registers the domain's grants when imported.
    - ``subscriptions``: an iterable of ``(event type, handler)`` pairs.
    - ``ports``: ``(port name, dotted handler)`` pairs: questions this domain answers for
      domains that may not import it (``core.ports``).
    """

    name: str
    containers: tuple[str, ...]
    pages: tuple[str, ...] = ()
    api: tuple[str, ...] = ()
    mount: str | None = None
    cli: tuple[CliCommand, ...] = ()
    models: tuple[str, ...] = ()
    seeder: str | None = None
    jobs: tuple[str, ...] = ()
    grants: str | None = None
    subscriptions: str | None = None
    ports: tuple[tuple[str, str], ...] = ()


def resolve(dotted: str) -> Any:
    """Import ``"package.module:attribute"`` (or just ``"package.module"``) and return it."""
    module_name, _, attribute = dotted.partition(":")
    module = importlib.import_module(module_name)
    if not attribute:
        return module
    try:
        return getattr(module, attribute)
    except AttributeError as exc:
        raise ImportError(f"{module_name} has no {attribute!r} (named in a manifest)") from exc
