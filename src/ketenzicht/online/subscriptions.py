"""Who in ``online`` hears of what: the data flow from a crawl to a watchlist hit.

A crawl publishes ``AdCaptured`` for each new ad or version; incremental linking (which
extracts the ad and re-links the networks it touches) publishes ``NetworkChanged``, as a
stored batch run does; the watchlists check the changed networks' new ads. A site whose
profile has ``purpose: recruitment`` is not linked as ads: its posts are scored by the
recruitment detector and stored with their capture.
"""

from __future__ import annotations

from ketenzicht.core.events import Event, Handler
from ketenzicht.online.collection.events import AdCaptured
from ketenzicht.online.workspace import watch
from ketenzicht.online.workspace.events import NetworkChanged
from ketenzicht.online.workspace.networks import incremental
from ketenzicht.online.workspace.recruitment import subscriber as recruitment

SUBSCRIPTIONS: tuple[tuple[type[Event], Handler], ...] = (
    (AdCaptured, incremental.on_ad_captured),
    (AdCaptured, recruitment.on_ad_captured),
    (NetworkChanged, watch.on_network_changed),
)
