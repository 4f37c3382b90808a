"""Crawled posts of recruitment sources (profiles with ``purpose: recruitment``) are scored.

Subscribes to the crawler's :class:`AdCaptured`: the new version of a post on a public
Telegram channel preview or a public forum is scored and, when it scores high enough,
stored with the capture that proves it (WARC record and SHA-256) and linked to its account.
Such sites carry the poster's own messages only; replies are not read (see the profiles).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.config import get_settings
from ketenzicht.online.analysis.recruitment import lexicon as lexicon_mod
from ketenzicht.online.analysis.recruitment.detector import Detector
from ketenzicht.online.analysis.recruitment.intake import RawPost
from ketenzicht.online.collection import public as collection
from ketenzicht.online.collection.public import AdCaptured
from ketenzicht.online.workspace.recruitment import service

_detectors: dict[str, Detector] = {}


def detector() -> Detector:
    """The configured lexicon's detector, kept for the process (a crawl scores many posts)."""
    settings = get_settings()
    lexicon = lexicon_mod.load(settings.online_recruitment_lexicon)
    if lexicon.fingerprint not in _detectors:
        _detectors[lexicon.fingerprint] = Detector.for_lexicon(
            lexicon, settings.online_recruitment_model_dir or settings.var_dir / "cache")
    return _detectors[lexicon.fingerprint]


def on_ad_captured(session: Session, item: AdCaptured) -> None:
    """Score and store a crawled post of a recruitment source."""
    if collection.purpose_of(item.site) != "recruitment":
        return
    version = session.get(collection.AdVersion, item.version_id)
    ad = session.get(collection.CrawledAd, item.ad_id)
    if version is None or ad is None:
        return
    text = "\n".join(part for part in (version.title, version.text) if part).strip()
    if not text:
        return
    post = RawPost(id=f"{ad.url}#v{version.id}", text=text, platform=item.site,
                   posted_at=version.posted_at, url=ad.url, images=tuple(version.images))
    service.ingest(session, posts=[post], source=f"crawl:{item.site}", detector=detector(),
                   actor=None, capture_id=item.capture_id)
