"""The demo shows networks from the crawled demo site, with captures that verify."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth.models import User
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import get_settings
from ketenzicht.demo.seed import DemoAccount, SeedContext
from ketenzicht.online import seed
from ketenzicht.online.collection import replay
from ketenzicht.online.workspace import queries, service
from ketenzicht.online.workspace.enums import TriageStatus
from ketenzicht.online.workspace.networks.models import Network, NetworkAd


def test_demo_seed_links_the_captured_demo_site(db: Session, investigator: User,
                                                police: Actor) -> None:
    seed.seed(db, SeedContext(accounts=[DemoAccount(investigator.username, "", "",
                                                    "politie")]))
    rows, total = service.list_networks(db, actor=police, f=queries.NetworkFilter())
    assert total >= 5
    assert db.scalar(select(func.count()).select_from(Network)) == total
    members = db.scalar(select(func.count()).select_from(NetworkAd))
    assert members == db.scalar(select(func.count()).where(NetworkAd.capture_id.is_not(None)))
    assert rows[0].status is TriageStatus.INVESTIGATING
    capture_id = db.scalars(select(NetworkAd.capture_id).limit(1)).one()
    assert capture_id is not None
    result = replay.replay(db, actor=police, capture_id=capture_id, settings=get_settings())
    assert result.verified
