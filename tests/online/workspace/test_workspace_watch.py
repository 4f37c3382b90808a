"""Watchlists (fed by NetworkChanged: a crawled ad linked, a run stored), notifications, and
the hand-overs to the chain."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.models import User
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.notify.models import Notification, OutboxMail
from ketenzicht.online.collection import service as crawl
from ketenzicht.online.workspace import flows, service, watch
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.models import WatchHit
from ketenzicht.online.workspace.networks import service as networks
from ketenzicht.online.workspace.networks.models import Network, NetworkAd
from ketenzicht.signals.models import Signal
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.online import ad_fields, crawl_through_pipeline, make_network


def _crawl_new_ad(factory: sessionmaker[Session], url: str, **fields: Any) -> list[WatchHit]:
    """A crawled ad, through the crawler's pipeline; returns the watch hits it brought."""
    with factory() as session:
        before = set(session.scalars(select(WatchHit.id)))
    crawl_through_pipeline(factory, url=url, fields=ad_fields(**fields))
    with factory() as session:
        return [h for h in session.scalars(select(WatchHit).order_by(WatchHit.id))
                if h.id not in before]


def _notes(db: Session, user_id: int) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.user_id == user_id)))


def test_phone_watch_in_any_spelling_hears_of_a_new_crawled_ad(
        session_factory: sessionmaker[Session], db: Session, police: Actor,
        investigator: User, network: Network) -> None:
    w = watch.add_watch(db, actor=police, kind=WatchKind.PHONE, value="06-123vier5678")
    assert w.value == "+31612345678"
    db.commit()
    hits = _crawl_new_ad(session_factory, "http://ads.test/new/1",
                         text="Nieuw! Bel 06 12 34 56 78", city="Breda",
                         title="Lisa nieuw in Breda")
    assert len(hits) == 1
    assert hits[0].matched == "phone:+31612345678"
    # Named after the network the ad was linked into, in the latest run.
    [member] = db.scalars(select(NetworkAd).where(NetworkAd.ad_id == hits[0].ad_id)).all()
    assert hits[0].network_id == member.network_id
    linked = db.get(Network, member.network_id)
    assert linked is not None and linked.run_id == network.run_id
    [note] = _notes(db, investigator.id)
    assert note.kind == "online.watch"
    assert "Breda" in note.body and "Lisa nieuw in Breda" in note.body
    assert linked.key[:12] in note.body
    assert note.link == f"/online/networks/{linked.id}"
    assert db.scalars(select(OutboxMail).where(OutboxMail.notification_id == note.id)).first()
    # The same ad seen again, or an unrelated ad, brings nothing new.
    assert _crawl_new_ad(session_factory, "http://ads.test/new/1",
                         text="Nieuw! Bel 06 12 34 56 78", city="Breda",
                         title="Lisa nieuw in Breda") == []
    assert _crawl_new_ad(session_factory, "http://ads.test/new/2", text="Bel 06 99 88 77 66",
                         phone="06 9988 7766", title="Iemand anders") == []
    assert len(_notes(db, investigator.id)) == 1


def test_other_watchers_are_not_told_and_watchlists_are_private(
        session_factory: sessionmaker[Session], db: Session, police: Actor) -> None:
    other_user = UserFactory(organisation=OrganisationFactory(org_type="kmar"),
                             roles=("medewerker",))
    db.flush()
    other = actor(other_user)
    mine = watch.add_watch(db, actor=police, kind=WatchKind.EMAIL, value="anna (at) gmail.com")
    assert mine.value == "anna@gmail.com"
    assert watch.list_watches(db, actor=other) == []
    with pytest.raises(Forbidden):
        watch.remove_watch(db, actor=other, watch_id=mine.id)
    db.commit()
    _crawl_new_ad(session_factory, "http://ads.test/mail/1", text="Mail anna@gmail.com",
                  phone=None)
    assert _notes(db, other_user.id) == []
    [(w, count)] = watch.list_watches(db, actor=police)
    assert w.id == mine.id and count == 1


def test_unrecognised_watch_values_are_refused(db: Session, police: Actor) -> None:
    with pytest.raises(ValidationFailed):
        watch.add_watch(db, actor=police, kind=WatchKind.PHONE, value="geen nummer")
    with pytest.raises(ValidationFailed):
        watch.add_watch(db, actor=police, kind=WatchKind.IMAGE, value="xyz")


def test_network_watch_matches_a_new_run_by_shared_identifiers(
        db: Session, police: Actor, investigator: User, network: Network) -> None:
    w = watch.add_watch(db, actor=police, kind=WatchKind.NETWORK, network_id=network.id)
    assert w.value == network.key and "phone:+31612345678" in w.identifiers
    # A later linking run finds the same advertisers under a new key, with a new crawled ad.
    ad, _ = crawl.record_sighting(db, site="demo", url="http://ads.test/later", fields=ad_fields(
        text="Bel 0612345678", city="Zwolle", title="Mia in Zwolle"), capture_id=None,
        run_id=None)
    later = make_network(db, key="net-anna-grown", ads=1, ad_id=ad.id, cities=("Zwolle",))
    hits = watch.scan_link_run(db, run_id=later.run_id)
    assert [h.network_id for h in hits] == [later.id]
    assert hits[0].ad_id == ad.id
    assert watch.scan_link_run(db, run_id=later.run_id) == []  # once per ad
    assert len(_notes(db, investigator.id)) == 1


def test_a_committed_linking_run_notifies_watchers(
        session_factory: sessionmaker[Session], db: Session, police: Actor,
        investigator: User) -> None:
    watch.add_watch(db, actor=police, kind=WatchKind.PHONE, value="+31 6 5555 1234")
    ad, _ = crawl.record_sighting(db, site="demo", url="http://ads.test/run", fields=ad_fields(
        text="Bel 06 5555 1234", title="Eva"), capture_id=None, run_id=None)
    db.commit()
    line = {"id": "eva-1", "ad_id": ad.id, "text": "Bel 06 5555 1234", "title": "Eva"}
    # As ``ketenzicht online link --db`` does: a run stored and committed in one transaction.
    with session_factory() as session:
        run, _ = networks.link(session, lines=[(1, json.dumps(line).encode())], actor=None,
                               source="test", on_error=lambda n, m: pytest.fail(m))
        assert watch.list_hits(session, actor=police) == []  # not before the commit
        session.commit()
    hits = list(db.scalars(select(WatchHit)))
    assert len(hits) == 1 and hits[0].ad_id == ad.id
    assert hits[0].network_id in set(db.scalars(select(Network.id).where(
        Network.run_id == run.id)))
    assert len(_notes(db, investigator.id)) == 1
    # The subscriber's audit entries were committed with its hits.
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"online.watch.hit", "notify"} <= actions


def test_make_signal_prefills_the_network_facts_and_links_back(
        db: Session, police: Actor, network: Network) -> None:
    signal = flows.make_signal(db, actor=police, network_id=network.id)
    stored = db.get(Signal, signal.id)
    assert stored is not None
    assert f"/online/networks/{network.id}" in stored.seen
    assert "shared_phone_many_names" in stored.seen
    assert stored.phone == "+31612345678" and stored.pseudonym == "Anna"
    assert stored.place == "Amsterdam"
    history = service.history(db, actor=police, key=network.key)
    assert str(signal.id) in history[0].text


def test_to_dossier_hands_the_report_and_cited_captures_to_evidence(
        db: Session, police: Actor, network: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def fake_add(session: Session, **kwargs: Any) -> list[object]:
        calls.append(kwargs)
        return [object()] * (1 + len(kwargs["captures"]))

    monkeypatch.setattr(flows.evidence, "add_online_items", fake_add)
    result = flows.to_dossier(db, actor=police, network_id=network.id, case_id=7, note="zie PV")
    [call] = calls
    assert call["case_id"] == 7 and call["note"] == "zie PV" and call["actor"] == police
    first_capture = next(a.member.capture_id for a in service.detail(
        db, actor=police, network_id=network.id).ads if a.member.capture_id)
    assert [c.capture_id for c in call["captures"]] == [first_capture]
    assert b'"sha256"' in call["report"] and call["report_name"].endswith(".json")
    assert result.captures == 1 and result.items == 2


def test_the_crawlers_item_pipeline_notifies_watchers(
        session_factory: sessionmaker[Session], db: Session, police: Actor,
        investigator: User, network: Network) -> None:
    watch.add_watch(db, actor=police, kind=WatchKind.PHONE, value="0612345678")
    db.commit()
    crawl_through_pipeline(session_factory, url="http://ads.test/piped", fields=ad_fields(
        text="Bel 06 12 34 56 78", city="Assen", title="Nieuw in Assen"))
    [note] = _notes(db, investigator.id)
    assert "Assen" in note.body
