"""An expired hold is released even when its accept is refused; offers read are audited
(issue 24, items 2 and 16)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.core import clock
from ketenzicht.shelter import placement
from ketenzicht.shelter.enums import OfferStatus
from ketenzicht.shelter.enums import RequestStatus as R
from tests.factories.auth import csrf_headers, login
from tests.factories.shelter import make_request, make_unit
from tests.shelter.conftest import Cast


def _held(db: Session, cast: Cast) -> tuple[int, int, int]:
    unit = make_unit(db, cast.provider, capacity=2, available=1)
    req = make_request(db, cast.coordinator)
    offer = placement.reserve(db, actor=cast.actor(cast.coordinator), request_id=req.id,
                              unit_id=unit.id, hold_hours=1, stale_hours=24)
    offer.hold_until = clock.now() - timedelta(minutes=1)
    db.flush()
    return unit.id, req.id, offer.id


def test_a_refused_accept_of_an_expired_hold_still_releases_the_place(
    client: TestClient, db: Session, cast: Cast
) -> None:
    unit_id, req_id, offer_id = _held(db, cast)
    login(client, cast.staff.username)
    refused = client.post(f"/api/v1/shelter/offers/{offer_id}/accept",
                          headers=csrf_headers(client))
    assert refused.status_code == 409
    db.expire_all()
    offer = placement.get_offer(db, actor=cast.actor(cast.staff), offer_id=offer_id,
                                action="shelter.offer.decide")
    assert offer.status is OfferStatus.EXPIRED
    assert offer.unit.held == 0 and offer.request.status is R.SUBMITTED
    assert offer.unit_id == unit_id and offer.request_id == req_id


def test_the_same_through_the_offers_page(client: TestClient, db: Session, cast: Cast) -> None:
    _unit_id, _req_id, offer_id = _held(db, cast)
    login(client, cast.staff.username)
    refused = client.post(f"/shelter/offers/{offer_id}/accept",
                          data={"csrf_token": client.cookies.get("kz_csrf")})
    assert refused.status_code == 409
    db.expire_all()
    offer = placement.get_offer(db, actor=cast.actor(cast.staff), offer_id=offer_id,
                                action="shelter.offer.decide")
    assert offer.status is OfferStatus.EXPIRED and offer.unit.held == 0


def test_reading_the_incoming_offers_is_audited(client: TestClient, db: Session,
                                               cast: Cast) -> None:
    unit = make_unit(db, cast.provider, capacity=2, available=2)
    req = make_request(db, cast.coordinator)
    offer = placement.reserve(db, actor=cast.actor(cast.coordinator), request_id=req.id,
                              unit_id=unit.id, hold_hours=4, stale_hours=24)
    db.commit()
    login(client, cast.staff.username)
    for url in ("/shelter/offers", "/api/v1/shelter/offers"):
        assert client.get(url).status_code == 200
    reads = db.scalars(select(AuditEntry).where(
        AuditEntry.actor_user_id == cast.staff.id,
        AuditEntry.resource_type == "shelter_offer",
        AuditEntry.action.in_(("read", "list")))).all()
    # The page and the API each logged which offers (care needs, age, secret address) were seen.
    assert len(reads) == 2
    assert all(str(offer.id) in (r.resource_id, *r.detail.get("ids", [])) for r in reads)
