"""Statuses of crawl runs and stored ads."""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """How a crawl run ended (``running`` while it goes, or when it was killed)."""

    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"


class AdStatus(StrEnum):
    """An ad is ``active`` while its site lists it and ``gone`` once it is no longer there."""

    ACTIVE = "active"
    GONE = "gone"


class AdChange(StrEnum):
    """What a sighting did to the ad store (counted per run)."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
