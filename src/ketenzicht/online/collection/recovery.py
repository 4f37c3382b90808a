"""Put a stopped or killed crawl's WARC files and capture index in order before it resumes.

A crawl process can die at any instruction (SIGKILL, power cut of the container), so three
states are possible for the last response it handled:

* the WARC record is half written: its gzip member has no trailer. The unfinished bytes are
  moved out of the file into ``warc/damaged/`` (kept, never dropped) and counted;
* the record is complete but the process died before the index row was committed: the
  record is indexed now, from its own WARC headers, as a capture of the same run;
* both are complete: nothing to do.

The resumed crawl then walks the site again from its start URLs, but every URL this run
already captured is answered from the WARC file instead of the network (no second capture),
and ads this run already stored are not requested at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.online.collection import service
from ketenzicht.online.collection.models import Capture, CrawledAd, CrawlRun
from ketenzicht.online.collection.warc import Written, cut_tail, read_record, scan

# The flag of a response answered from the WARC file rather than the network.
REPLAYED = "kz-replayed"
# Responses worth answering from the WARC on resume; a 5xx, 408 or 429 is fetched again.
_NOT_REPLAYED = frozenset({408, 429})


@dataclass(frozen=True)
class Source:
    """Where a capture of this run lies, to answer its URL again without the network."""

    capture_id: int
    file: str
    offset: int


@dataclass
class Recovered:
    """What a resume found and repaired, and what it can reuse."""

    replay: dict[str, Source] = field(default_factory=dict)
    done_ads: set[str] = field(default_factory=set)
    truncated: int = 0
    orphans: int = 0


def warc_files(settings: Settings, *, site: str, run_id: int) -> list[Path]:
    """The WARC files one run wrote, in order."""
    return sorted((service.capture_dir(settings) / "warc").glob(f"{site}-run{run_id}-*.warc.gz"))


def _warc_date(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return clock.now()


def repair(session: Session, *, run: CrawlRun, settings: Settings) -> tuple[int, int]:
    """Cut unfinished records off the run's WARC files and index complete ones that are not.

    Returns (records cut off, records indexed).
    """
    warc_dir = service.capture_dir(settings) / "warc"
    indexed = set(session.execute(select(Capture.warc_file, Capture.warc_offset)
                                  .where(Capture.run_id == run.id)).tuples())
    truncated = orphans = 0
    for path in warc_files(settings, site=run.site, run_id=run.id):
        found = scan(path)
        if found.truncated:
            cut_tail(path, found.end, warc_dir / "damaged")
            truncated += 1
            if found.end == 0:
                path.unlink()  # nothing but the torn record was in it
                continue
        for offset in found.offsets:
            if (path.name, offset) in indexed:
                continue
            record = read_record(path, offset)
            written = Written(path.name, offset, record.record_id,
                              hashlib.sha256(record.payload).hexdigest(), len(record.payload))
            service.add_capture(session, run_id=run.id, url=record.url, status=record.status,
                                written=written, at=_warc_date(record.date),
                                headers={k.lower(): v for k, v in record.headers})
            orphans += 1
    return truncated, orphans


def recover(session: Session, *, run: CrawlRun, settings: Settings, actor: Actor | None
            ) -> Recovered:
    """Repair the run's files and index, then say what the resumed crawl may reuse; audited."""
    truncated, orphans = repair(session, run=run, settings=settings)
    result = Recovered(truncated=truncated, orphans=orphans)
    rows = session.execute(select(Capture.id, Capture.url, Capture.status, Capture.warc_file,
                                  Capture.warc_offset).where(Capture.run_id == run.id)
                           .order_by(Capture.id)).tuples()
    for capture_id, url, status, file, offset in rows:
        if status < 500 and status not in _NOT_REPLAYED:
            result.replay[url] = Source(capture_id, file, offset)
        else:
            result.replay.pop(url, None)
    result.done_ads = set(session.scalars(select(CrawledAd.url).where(
        CrawledAd.site == run.site, CrawledAd.last_run_id == run.id)))
    audit.record(session, actor=actor, action="online.crawl.recover", resource_type="crawl_run",
                 resource_id=run.id, detail={"warc_truncated": truncated,
                                             "warc_indexed": orphans,
                                             "replayable": len(result.replay),
                                             "ads_done": len(result.done_ads)})
    return result
