"""What the collection half publishes: an ad captured with content the linker has not seen."""

from __future__ import annotations

from dataclasses import dataclass

from ketenzicht.core.events import Event
from ketenzicht.online.collection.enums import AdChange


@dataclass(frozen=True, kw_only=True)
class AdCaptured(Event):
    """A crawl stored a new ad, or a new version of one (``online_ad_version`` row)."""

    ad_id: int
    version_id: int
    capture_id: int | None
    site: str
    change: AdChange  # NEW or CHANGED: an unchanged or duplicate sighting publishes nothing
