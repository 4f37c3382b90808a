"""Ad store with versions, images under SHA-256, WARC round trip, profiles."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.core import clock
from ketenzicht.online.collection import profiles, service
from ketenzicht.online.collection.enums import AdChange, AdStatus
from ketenzicht.online.collection.warc import RotatingWarcWriter, read_record
from tests.factories.online import ad_fields


def test_versions_are_kept_and_unchanged_only_moves_last_seen(db: Session) -> None:
    ad, change = service.record_sighting(db, site="s", url="http://x/1", fields=ad_fields(),
                                         capture_id=None, run_id=None)
    assert change is AdChange.NEW
    _, change = service.record_sighting(db, site="s", url="http://x/1", fields=ad_fields(),
                                        capture_id=None, run_id=None)
    assert change is AdChange.UNCHANGED
    edited = ad_fields(text="Nieuw: ook in het weekend.")
    _, change = service.record_sighting(db, site="s", url="http://x/1", fields=edited,
                                        capture_id=None, run_id=None)
    assert change is AdChange.CHANGED
    texts = [v.text for v in service.versions(db, ad_id=ad.id)]
    assert texts == ["Hoi, ik ben Anna. Advertentie 0.", "Nieuw: ook in het weekend."]


def test_same_day_repost_is_deduplicated(db: Session) -> None:
    service.record_sighting(db, site="s", url="http://x/1", fields=ad_fields(),
                            capture_id=None, run_id=None)
    _, change = service.record_sighting(db, site="s", url="http://x/99", fields=ad_fields(),
                                        capture_id=None, run_id=None)
    assert change is AdChange.DUPLICATE


def test_removed_ad_is_marked_gone_not_deleted(db: Session) -> None:
    ad, _ = service.record_sighting(db, site="s", url="http://x/1", fields=ad_fields(),
                                    capture_id=None, run_id=None)
    assert service.mark_gone(db, site="s", run_id=0, urls={"http://x/1"}) == 1
    assert ad.status is AdStatus.GONE and ad.gone_at is not None
    assert len(service.versions(db, ad_id=ad.id)) == 1


def test_images_are_stored_once_with_a_perceptual_hash(db: Session, tmp_path: Path) -> None:
    from ketenzicht.online.collection.demosite import _png

    settings = Settings(var_dir=tmp_path)
    data = _png(1, 0)
    first = service.store_image(db, data=data, content_type="image/png", capture_id=None,
                                settings=settings)
    again = service.store_image(db, data=data, content_type="image/png", capture_id=None,
                                settings=settings)
    assert first is again and first.phash and len(first.phash) == 16
    assert (tmp_path / "online" / "images" / first.sha256[:2] / first.sha256).read_bytes() == data


def test_warc_round_trip_and_rotation(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, prefix="t", max_bytes=30_000)
    body = "<p>Café</p>".encode("latin-1") + random.Random(1).randbytes(20_000)
    written = [writer.write_response(url=f"http://x/{i}", status=200, reason="OK",
                                     headers=[("Content-Type", "text/html")],
                                     payload=body * (i + 1), at=clock.now())
               for i in range(3)]
    writer.close()
    assert len({w.file for w in written}) >= 2  # rotated by size
    back = read_record(tmp_path / written[1].file, written[1].offset)
    assert back.payload == body * 2 and back.url == "http://x/1"
    assert back.payload_digest and back.payload_digest.startswith("sha1:")


def test_warc_rotates_at_a_new_day(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, prefix="t", max_bytes=10**9)
    day = datetime(2026, 11, 27, 23, 59, tzinfo=UTC)
    one = writer.write_response(url="http://x/", status=200, reason="OK", headers=[],
                                payload=b"a", at=day)
    two = writer.write_response(url="http://x/", status=200, reason="OK", headers=[],
                                payload=b"b", at=day + timedelta(minutes=2))
    writer.close()
    assert one.file == "t-20261127-00000.warc.gz" and two.file == "t-20261128-00000.warc.gz"


def test_demo_profile_loads_and_bad_profiles_are_refused() -> None:
    demo = profiles.load("demo")
    assert demo.version >= 1 and demo.language == "nl"
    assert profiles.adapter_for(demo).adjust({"city": "UTRECHT"}, url="") == {"city": "Utrecht"}
    with pytest.raises(profiles.ProfileError, match="start_urls"):
        profiles.parse_profile(demo.model_dump_json().replace("http://", "ftp://"))
    with pytest.raises(profiles.ProfileError, match="no profile"):
        profiles.load("nonexistent")
