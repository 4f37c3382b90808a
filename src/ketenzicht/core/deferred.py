"""Subscriber loaders waiting for the first published event (no SQLAlchemy import here).

The CLI registers the manifests' subscriptions here at start-up. ``core.events`` installs
them just before it queues the first event, so a command that publishes nothing
(``--help``, ``estimate``, ``online extract``) imports neither the subscribers (the linker
among them) nor the event machinery, which needs SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Loader = Callable[[], Iterable[tuple[Any, Callable[..., Any]]]]
_loaders: list[Loader] = []


def install_when_published(loader: Loader) -> None:
    """Have ``loader()``'s ``(event type, handler)`` pairs installed at the first publish."""
    _loaders.append(loader)


def take() -> list[Loader]:
    """The waiting loaders, handed over once (to ``core.events.publish``)."""
    waiting = list(_loaders)
    _loaders.clear()
    return waiting
