"""Queries and writes of the collection half: runs, captures, images and versioned ads.

Services ``flush()``; the crawler commits after every response (so a killed crawl keeps what
it captured) and the CLI commits once per command.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.collection.enums import AdChange, AdStatus, RunStatus
from ketenzicht.online.collection.models import AdVersion, Capture, CrawledAd, CrawlRun, StoredImage
from ketenzicht.online.collection.warc import Replayed, Written, read_record

AD_FIELDS = ("title", "text", "city", "age", "phone", "posted_at")


def capture_dir(settings: Settings) -> Path:
    """Root of WARC files, images and crawl job directories."""
    return settings.online_capture_dir or settings.var_dir / "online"


# --- runs -----------------------------------------------------------------------------------

def start_run(session: Session, *, site: str, profile_version: int, job_dir: str,
              max_pages: int | None, actor: Actor | None) -> CrawlRun:
    """Open a crawl run; checks the actor may crawl and writes the start to the audit log."""
    if actor is not None:
        enforce(actor, "online.crawl")
    run = CrawlRun(site=site, profile_version=profile_version, job_dir=job_dir,
                   max_pages=max_pages, started_by=actor.user_id if actor else None, stats={})
    session.add(run)
    session.flush()
    audit.record(session, actor=actor, action="online.crawl.start", resource_type="crawl_run",
                 resource_id=run.id, detail={"site": site, "profile_version": profile_version})
    return run


def finish_run(session: Session, *, run: CrawlRun, status: RunStatus, stats: dict[str, Any],
               actor: Actor | None) -> CrawlRun:
    """Close a run with its statistics; audited."""
    run.status = status
    run.finished_at = clock.now()
    run.stats = dict(sorted(stats.items()))
    session.flush()
    audit.record(session, actor=actor, action="online.crawl.finish", resource_type="crawl_run",
                 resource_id=run.id, detail={"status": status.value})
    return run


def list_runs(session: Session, *, site: str | None = None, limit: int = 20) -> list[CrawlRun]:
    """The latest runs, newest first."""
    query = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    if site:
        query = query.where(CrawlRun.site == site)
    return list(session.scalars(query))


def last_finished(session: Session, *, site: str) -> CrawlRun | None:
    """The site's latest run that finished, or None."""
    return session.scalars(select(CrawlRun).where(
        CrawlRun.site == site, CrawlRun.status == RunStatus.FINISHED)
        .order_by(CrawlRun.id.desc()).limit(1)).first()


# --- captures -------------------------------------------------------------------------------

def add_capture(session: Session, *, run_id: int | None, url: str, status: int,
                written: Written, at: datetime, headers: dict[str, str]) -> Capture:
    """Index a WARC record that has just been written."""
    capture = Capture(
        run_id=run_id, url=url, captured_at=at, status=status, sha256=written.sha256,
        size=written.size, content_type=headers.get("content-type"),
        etag=headers.get("etag"), last_modified=headers.get("last-modified"),
        warc_file=written.file, warc_offset=written.offset, warc_record_id=written.record_id,
    )
    session.add(capture)
    session.flush()
    return capture


def capture_totals(session: Session, *, run_id: int) -> tuple[int, int]:
    """How many captures a run has in the index, and their payload bytes."""
    count, size = session.execute(
        select(func.count(Capture.id), func.coalesce(func.sum(Capture.size), 0))
        .where(Capture.run_id == run_id)).one()
    return int(count), int(size)


def get_capture(session: Session, *, capture_id: int) -> Capture | None:
    """One capture's index row (where its WARC record is, and its payload hash), or None.

    The entry point for other domains (evidence cites captures); the row holds no ad
    content, which stays in the WARC file and is read through :func:`replay`.
    """
    return session.get(Capture, capture_id)


def latest_capture(session: Session, *, url: str, ok_only: bool = True) -> Capture | None:
    """The newest capture of ``url`` (with a 200 status unless ``ok_only`` is false)."""
    query = select(Capture).where(Capture.url == url)
    if ok_only:
        query = query.where(Capture.status == 200)
    return session.scalars(query.order_by(Capture.id.desc()).limit(1)).first()


@dataclass(frozen=True)
class Replay:
    """A capture read back from its WARC file, and whether its hash still matches."""

    capture: Capture
    record: Replayed
    verified: bool


def replay(session: Session, *, capture_id: int, settings: Settings, actor: Actor | None
           ) -> Replay:
    """Read a capture back from its WARC file and check the payload's SHA-256; audited."""
    if actor is not None:
        enforce(actor, "online.capture.view")
    capture = session.get(Capture, capture_id)
    if capture is None:
        raise LookupError(f"no capture {capture_id}")
    record = read_record(capture_dir(settings) / "warc" / capture.warc_file, capture.warc_offset)
    verified = (hashlib.sha256(record.payload).hexdigest() == capture.sha256
                and record.url == capture.url)
    if actor is not None:
        audit.record_read(session, actor=actor, resource_type="capture", ids=[capture.id])
    return Replay(capture, record, verified)


# --- images ---------------------------------------------------------------------------------

def perceptual_hash(data: bytes) -> str | None:
    """The pHash of an image as hex, or None when the bytes are not a readable image."""
    import imagehash
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return str(imagehash.phash(image))
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def store_image(session: Session, *, data: bytes, content_type: str | None,
                capture_id: int | None, settings: Settings) -> StoredImage:
    """Keep an image once under its SHA-256 (file and row); a known image is returned as is."""
    sha = hashlib.sha256(data).hexdigest()
    known = session.get(StoredImage, sha)
    if known is not None:
        return known
    path = capture_dir(settings) / "images" / sha[:2] / sha
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    image = StoredImage(sha256=sha, phash=perceptual_hash(data), size=len(data),
                        content_type=content_type, first_capture_id=capture_id)
    session.add(image)
    session.flush()
    return image


# --- ads ------------------------------------------------------------------------------------

def content_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of an ad's content (normalised whitespace, sorted images)."""
    parts = {k: " ".join(str(fields.get(k) or "").split()) for k in AD_FIELDS}
    parts["images"] = ",".join(sorted(fields.get("images") or []))
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _clean(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text[:limit] or None


def record_sighting(session: Session, *, site: str, url: str, fields: dict[str, Any],
                    capture_id: int | None, run_id: int | None, language: str | None = None,
                    external_id: str | None = None) -> tuple[CrawledAd, AdChange]:
    """Store what one visit saw of an ad: a new ad, a new version, or only a later last-seen."""
    now = clock.now()
    digest = content_hash(fields)
    ad = session.scalars(select(CrawledAd).where(CrawledAd.site == site, CrawledAd.url == url)
                         ).first()
    if ad is None:
        twin = session.scalars(
            select(AdVersion).join(CrawledAd).where(
                CrawledAd.site == site, AdVersion.content_hash == digest)
            .order_by(AdVersion.id).limit(1)).first()
        if twin is not None and twin.first_seen.date() == now.date():
            # The same content posted again the same day under another URL: one ad.
            original = session.get(CrawledAd, twin.ad_id)
            assert original is not None
            original.last_seen = twin.last_seen = now
            session.flush()
            return original, AdChange.DUPLICATE
        ad = CrawledAd(site=site, url=url, external_id=external_id, first_seen=now,
                       last_seen=now, posted_at=_clean(fields.get("posted_at"), 40),
                       last_run_id=run_id)
        session.add(ad)
        session.flush()
        _add_version(session, ad=ad, fields=fields, digest=digest, capture_id=capture_id,
                     language=language, now=now)
        return ad, AdChange.NEW
    ad.last_seen = now
    ad.last_run_id = run_id
    if ad.status is AdStatus.GONE:
        ad.status, ad.gone_at = AdStatus.ACTIVE, None
    version = session.scalars(select(AdVersion).where(
        AdVersion.ad_id == ad.id, AdVersion.content_hash == digest)).first()
    latest = session.scalars(select(AdVersion).where(AdVersion.ad_id == ad.id)
                             .order_by(AdVersion.id.desc()).limit(1)).first()
    if version is not None and latest is not None and version.id == latest.id:
        version.last_seen = now
        session.flush()
        return ad, AdChange.UNCHANGED
    _add_version(session, ad=ad, fields=fields, digest=digest, capture_id=capture_id,
                 language=language, now=now, reuse=version)
    return ad, AdChange.CHANGED


def _add_version(session: Session, *, ad: CrawledAd, fields: dict[str, Any], digest: str,
                 capture_id: int | None, language: str | None, now: datetime,
                 reuse: AdVersion | None = None) -> AdVersion:
    if reuse is not None:
        # An edit reverted to an earlier text: that version is current again.
        session.delete(reuse)
        session.flush()
    version = AdVersion(
        ad_id=ad.id, content_hash=digest, title=_clean(fields.get("title"), 500) or "",
        text=str(fields.get("text") or "").strip(), city=_clean(fields.get("city"), 200),
        age=_clean(fields.get("age"), 40), phone=_clean(fields.get("phone"), 200),
        language=language, posted_at=_clean(fields.get("posted_at"), 40),
        images=list(fields.get("images") or []), first_seen=now, last_seen=now,
        capture_id=capture_id)
    session.add(version)
    session.flush()
    return version


def touch(session: Session, *, site: str, url: str, run_id: int | None) -> CrawledAd | None:
    """An ad the site answered ``304 Not Modified`` for: only its last-seen moves."""
    ad = session.scalars(select(CrawledAd).where(CrawledAd.site == site, CrawledAd.url == url)
                         ).first()
    if ad is not None:
        ad.last_seen = clock.now()
        ad.last_run_id = run_id
        if ad.status is AdStatus.GONE:
            ad.status, ad.gone_at = AdStatus.ACTIVE, None
        session.flush()
    return ad


def mark_gone(session: Session, *, site: str, run_id: int, urls: set[str] | None = None,
              listed: set[str] | None = None) -> int:
    """Mark gone the ads in ``urls`` (their page answered 404/410), or else the active ads of
    ``site`` that the run's complete listing (``listed``) no longer shows.

    The caller decides that the listing was complete (:func:`.health.verdict`); an ad this
    run stored or touched is never gone.
    """
    if urls is None and listed is None:
        raise ValueError("mark_gone needs the ads answered 404/410 or the complete listing")
    query = select(CrawledAd).where(CrawledAd.site == site, CrawledAd.status == AdStatus.ACTIVE)
    now, count = clock.now(), 0
    for ad in session.scalars(query):
        if (ad.url in urls) if urls is not None else (
                listed is not None and ad.url not in listed and ad.last_run_id != run_id):
            ad.status, ad.gone_at = AdStatus.GONE, now
            count += 1
    session.flush()
    return count


def versions(session: Session, *, ad_id: int) -> list[AdVersion]:
    """All versions of an ad, oldest first."""
    return list(session.scalars(select(AdVersion).where(AdVersion.ad_id == ad_id)
                                .order_by(AdVersion.id)))


def ad_contact(session: Session, *, ad_id: int) -> tuple[str, str | None] | None:
    """The phone number of an ad's newest version that has one, with that version's language
    (for outreach, which stores neither); None when the ad or a number is missing."""
    row = session.execute(select(AdVersion.phone, AdVersion.language).where(
        AdVersion.ad_id == ad_id, AdVersion.phone.is_not(None), AdVersion.phone != "")
        .order_by(AdVersion.id.desc()).limit(1)).first()
    return (str(row[0]), row[1]) if row is not None else None


def _export(version: AdVersion, ad: CrawledAd) -> dict[str, Any]:
    # "ad_id" and "capture" let a stored linking run join its ads and captures by id.
    return {
        "id": version.id, "ad_id": ad.id, "site": ad.site, "url": ad.url,
        "title": version.title, "text": version.text, "city": version.city,
        "posted_at": version.posted_at, "first_seen": version.first_seen.isoformat(),
        "last_seen": version.last_seen.isoformat(), "status": ad.status.value,
        "images": version.images, "capture": version.capture_id,
    }


def iter_export(session: Session) -> Iterator[dict[str, Any]]:
    """One JSON-ready dict per ad version (the ``export`` shape)."""
    rows = session.execute(select(AdVersion, CrawledAd).join(CrawledAd)
                           .order_by(CrawledAd.id, AdVersion.id))
    for version, ad in rows:
        yield _export(version, ad)


def export_versions(session: Session, *, version_ids: Collection[int] = (),
                    capture_ids: Collection[int] = ()) -> list[dict[str, Any]]:
    """The ``export`` lines of the ad versions with these ids or captured in these captures,
    in id order (unknown ids are skipped)."""
    found: list[dict[str, Any]] = []
    for column, wanted in ((AdVersion.id, version_ids), (AdVersion.capture_id, capture_ids)):
        ids = sorted(set(wanted))
        for start in range(0, len(ids), 500):
            found += [_export(version, ad) for version, ad in session.execute(
                select(AdVersion, CrawledAd).join(CrawledAd)
                .where(column.in_(ids[start:start + 500])).order_by(AdVersion.id))]
    return found


@dataclass
class ImportResult:
    """Counts of an import, and the reasons lines were skipped."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def import_ads(session: Session, *, lines: Iterator[tuple[int, dict[str, Any]]],
               actor: Actor | None) -> ImportResult:
    """Store ads collected elsewhere (already-parsed JSON lines), each in its own savepoint."""
    if actor is not None:
        enforce(actor, "online.import")
    result = ImportResult()
    for lineno, record in lines:
        site, url = record.get("site"), record.get("url")
        if not isinstance(site, str) or not site or not isinstance(url, str) or not url:
            result.errors.append(f"line {lineno}: 'site' and 'url' are required")
            result.counts["skipped"] += 1
            continue
        images = record.get("images") or []
        if not isinstance(images, list) or not all(isinstance(i, str) for i in images):
            result.errors.append(f"line {lineno}: 'images' must be a list of strings")
            result.counts["skipped"] += 1
            continue
        with session.begin_nested():
            _, change = record_sighting(session, site=site[:64], url=url, fields=record,
                                        capture_id=None, run_id=None,
                                        external_id=str(record.get("id") or "") or None)
        result.counts[change.value] += 1
    audit.record(session, actor=actor, action="online.import", resource_type="online_ad",
                 detail=dict(result.counts))
    return result
