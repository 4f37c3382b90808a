"""What the collection publishes to the rest of ``online`` (the workspace) and its CLI.

The workspace reads the ad store to show, search and watch ads: the index tables are
handed out read-only here, with the replay of a capture and the image hash. Nothing
outside ``online.collection`` imports its other modules (a contract checks it), so the
crawler, the WARC writer and the pipeline may change without the workspace noticing.
Other domains read through here too: ``operations`` imports a WARC capture of a chat
(:func:`iter_responses`) and reaches the number in an ad for outreach (:func:`ad_contact`).
"""

from __future__ import annotations

from ketenzicht.online.collection.events import AdCaptured
from ketenzicht.online.collection.models import AdVersion, Capture, CrawledAd, StoredImage
from ketenzicht.online.collection.profiles import purpose_of
from ketenzicht.online.collection.replay import REPLAY_CSP, ReplayResult, replay, safe_content_type
from ketenzicht.online.collection.service import (
    ad_contact,
    export_versions,
    get_capture,
    perceptual_hash,
)
from ketenzicht.online.collection.warc import Replayed, iter_responses

__all__ = ["REPLAY_CSP", "AdCaptured", "AdVersion", "Capture", "CrawledAd", "ReplayResult",
           "Replayed", "StoredImage", "ad_contact", "export_versions", "get_capture",
           "iter_responses", "perceptual_hash", "purpose_of", "replay", "safe_content_type"]
