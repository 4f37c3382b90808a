"""Statuses of crawl runs and stored ads."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_


class RunStatus(StrEnum):
    """How a crawl run ended (``running`` while it goes, or when it was killed).

    ``failed`` is a run that could not see its site (unreachable, a run of server errors,
    robots.txt unreadable: see :mod:`.health`); it is closed and never resumed.
    """

    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


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


# The run counters in words (core.labels); a new counter without words shows its code and
# the page test (tests/web/test_daily.py) names it.
labels.register("crawl_counter", {
    "ads/new": N_("new ads"), "ads/changed": N_("changed ads"),
    "ads/unchanged": N_("unchanged ads"), "ads/gone": N_("ads no longer listed"),
    "kz/captures": N_("responses captured"), "kz/images": N_("images stored"),
    "kz/replayed": N_("answered from an earlier capture"), "kz/warc_bytes": N_("WARC bytes"),
    "offsite/filtered": N_("links to other sites skipped"),
    "robotstxt/forbidden": N_("refused by robots.txt"), "retry/count": N_("retries"),
    "retry/max_reached": N_("gave up after retries"),
    "downloader/response_count": N_("responses received"),
    "warc/orphans_indexed": N_("records indexed after a stop"),
    "warc/truncated_records": N_("damaged records set aside")})
