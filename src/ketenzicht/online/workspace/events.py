"""What the workspace publishes: networks of a linking run stored or changed."""

from __future__ import annotations

from dataclasses import dataclass

from ketenzicht.core.events import Event


@dataclass(frozen=True, kw_only=True)
class NetworkChanged(Event):
    """Networks of a linking run were stored (a batch run) or re-linked (new crawled ads).

    ``network_ids`` is ``None`` for a whole batch run, else the networks written or
    rewritten; ``ad_ids`` are the crawled ads that brought an incremental change.
    """

    run_id: int
    network_ids: tuple[int, ...] | None = None
    ad_ids: tuple[int, ...] = ()
