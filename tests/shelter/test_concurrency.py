"""50 coordinators hold the same 5 places at the same moment: exactly 5 succeed.

Unlike the other tests, these commit for real, each worker through its own
connection, so that the database (row locks on PostgreSQL, the single writer
on SQLite) is what keeps the count right.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User, UserRole
from ketenzicht.auth.service import actor_for
from ketenzicht.core.errors import Conflict
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.shelter import placement
from ketenzicht.shelter.enums import OfferStatus
from ketenzicht.shelter.models import (
    AvailabilityLog,
    PlacementRequest,
    ShelterLocation,
    ShelterOffer,
    ShelterUnit,
)
from tests.factories.shelter import make_request, make_unit

WORKERS, PLACES = 50, 5


@pytest.fixture
def wide_engine(scratch_url: str) -> Engine:
    """A database of its own, with a pool big enough for every worker at once."""
    wide = make_engine(scratch_url, pool_size=WORKERS + 5, max_overflow=0)
    yield wide  # type: ignore[misc]
    wide.dispose()


def test_fifty_parallel_holds_for_five_places(wide_engine: Engine) -> None:
    factory = make_session_factory(wide_engine)
    tag = uuid.uuid4().hex[:8]
    with unit_of_work(factory) as s:
        provider = Organisation(code=f"opv-{tag}", name=f"Opvang {tag}", org_type=OrgType.OPVANG)
        comensha = Organisation(code=f"cm-{tag}", name=f"CoMensha {tag}",
                                org_type=OrgType.COMENSHA)
        coordinator = User(username=f"coord-{tag}", display_name="c", organisation=comensha,
                           role_rows=[UserRole(role=Role.COORDINATOR)])
        s.add_all([provider, comensha, coordinator])
        s.flush()
        unit_id = make_unit(s, provider, capacity=PLACES, available=PLACES).id
        request_ids = [make_request(s, coordinator).id for _ in range(WORKERS)]
        actor = actor_for(coordinator)
    barrier = threading.Barrier(WORKERS)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(request_id: int) -> None:
        barrier.wait()
        for _attempt in range(200):
            try:
                with unit_of_work(factory) as session:
                    placement.reserve(session, actor=actor, request_id=request_id,
                                      unit_id=unit_id, hold_hours=4, stale_hours=24)
                outcome = "held"
            except Conflict:
                outcome = "full"
            except (OperationalError, StaleDataError) as exc:
                # SQLite's single writer: "database is locked" is the 503 a client retries.
                if not ("locked" in str(exc) or isinstance(exc, StaleDataError)):
                    raise
                time.sleep(0.01)
                continue
            with lock:
                outcomes[outcome] += 1
            return
        with lock:
            outcomes["gave up"] += 1

    threads = [threading.Thread(target=worker, args=(rid,)) for rid in request_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert outcomes == {"held": PLACES, "full": WORKERS - PLACES}
        with unit_of_work(factory) as s:
            unit = s.get(ShelterUnit, unit_id)
            assert unit is not None and (unit.available, unit.held) == (PLACES, PLACES)
            held = s.scalars(select(ShelterOffer).where(ShelterOffer.unit_id == unit_id)).all()
            assert len(held) == PLACES and all(o.status is OfferStatus.HELD for o in held)
    finally:
        with unit_of_work(factory) as s:
            s.execute(delete(ShelterOffer).where(ShelterOffer.unit_id == unit_id))
            s.execute(delete(PlacementRequest).where(PlacementRequest.id.in_(request_ids)))
            s.execute(delete(AvailabilityLog).where(AvailabilityLog.unit_id == unit_id))
            loc = s.scalar(select(ShelterUnit.location_id).where(ShelterUnit.id == unit_id))
            s.execute(delete(ShelterUnit).where(ShelterUnit.id == unit_id))
            s.execute(delete(ShelterLocation).where(ShelterLocation.id == loc))
