"""Ports: a question one domain asks and other domains answer, without importing them.

Some domains must stay unknown to the others: nobody imports ``operations`` (the import
contracts forbid it), yet the network page must show an investigator who is named on an
operation that its counterpart is in this network, and the monitor counts a campaign's
outcomes. The asking domain names a port and calls :func:`ask`; the answering domain
lists ``(port name, dotted handler)`` pairs in its manifest (``ports``), and the app
factory and the CLI hand those pairs to :func:`install`. A port answers with plain values
(dicts, lists), so the asker needs none of the answerer's types.

Handlers are dotted strings resolved on the first ask, so installing imports nothing.
Every handler of a port is asked and the answers are concatenated; a port nobody
answers gives an empty list, which is what a caller must show as "nothing known".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ketenzicht.core.manifest import resolve

#: The ports the platform knows, with the shape of one answer (a list of dicts).
COUNTERPARTS_IN_NETWORK = "operations.counterparts_in_network"
"""``(session, *, actor, identifiers: list[tuple[kind, value]])`` -> ``[{"label", "href"}]``:
only what ``actor`` may see; for anyone else an empty list (nothing says it exists)."""
CAMPAIGN_FIGURES = "operations.campaign_figures"
"""``(session)`` -> ``[{"label", "year", "conversations", "warnings", "referrals",
"clicks", "outreach"}]``: exact counts; the asker suppresses small cells."""

Loader = Callable[[], Iterable[tuple[str, str]]]
_handlers: dict[str, list[str]] = {}
_loaders: list[Loader] = []


def install(pairs: Iterable[tuple[str, str]]) -> None:
    """Register ``(port, dotted handler)`` pairs; a pair installed twice is kept once."""
    for port, dotted in pairs:
        known = _handlers.setdefault(port, [])
        if dotted not in known:
            known.append(dotted)


def install_when_asked(loader: Loader) -> None:
    """Have ``loader()``'s pairs installed at the first :func:`ask` (the CLI's way)."""
    _loaders.append(loader)


def handlers(port: str) -> list[str]:
    """The dotted handlers of ``port`` (after any waiting loader ran)."""
    while _loaders:
        install(_loaders.pop(0)())
    return list(_handlers.get(port, []))


def ask(port: str, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every answer to ``port``, concatenated; empty when no domain answers it."""
    answers: list[dict[str, Any]] = []
    for dotted in handlers(port):
        answers.extend(resolve(dotted)(*args, **kwargs))
    return answers
