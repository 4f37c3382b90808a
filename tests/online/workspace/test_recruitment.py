"""Recruitment posts in the workspace: store, link, privacy, retention, signal, pages."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.online.analysis.recruitment.detector import Detector
from ketenzicht.online.analysis.recruitment.intake import RawPost, parse_post
from ketenzicht.online.workspace.recruitment import flows, service
from ketenzicht.online.workspace.recruitment.models import (
    RecruiterAccount,
    RecruiterKey,
    RecruitmentPost,
)
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.models import Signal
from tests.factories.auth import OrganisationFactory, csrf_headers

HOOK = "Snel geld verdienen? Pakketje wegbrengen, €300 per dag, vanaf 15. Alleen via Snap 💸"
REPLY = "ik ben 14 en wil wel, mijn nummer is 0611122233"


def _posts() -> list[RawPost]:
    lines = [
        {"id": "1", "text": f"{HOOK} snap: cash_4u", "author": "cash_4u", "reach": 1200},
        {"id": "2", "text": "Runner nodig, geen ervaring, direct geld 💰 app 06-12345678",
         "author": "cash_4u"},
        {"id": "3", "text": "Je pinpas lenen voor 1 dag, €500 cash. Bel 0612345678. Discreet.",
         "author": "other_acc"},  # same phone as post 2: the same recruiter
        {"id": "4", "text": "Wie heeft de huiswerkopdracht?"},  # benign: not stored
        {"id": "5", "text": REPLY, "in_reply_to": "1"},  # a young person answering
        {"id": "6", "text": REPLY, "role": "reply"},
    ]
    import json

    out = []
    for line in lines:
        post = parse_post(json.dumps(line).encode())
        assert post is not None
        out.append(post)
    return out


def test_ingest_links_accounts_and_never_stores_replies(db: Session, police: Actor,
                                                        detector: Detector) -> None:
    result = service.ingest(db, posts=_posts(), source="import:snapchat", platform="snapchat",
                            detector=detector, actor=police)
    assert result.to_json() == {"stored": 3, "duplicates": 0, "below_threshold": 1,
                                "replies_dropped": 2, "accounts": 1}
    texts = list(db.scalars(select(RecruitmentPost.text)))
    assert len(texts) == 3 and all("ik ben 14" not in t for t in texts)
    assert not db.scalars(select(RecruiterKey).where(RecruiterKey.value == "+31611122233")).all()
    [account] = db.scalars(select(RecruiterAccount).where(RecruiterAccount.merged_into.is_(None),
                                                          RecruiterAccount.posts > 0)).all()
    assert account.posts == 3 and account.reach == 1200 and account.max_score > 0.9
    kinds = {k.kind for k in db.scalars(select(RecruiterKey)
                                        .where(RecruiterKey.account_id == account.id))}
    assert {"handle", "phone", "text"} <= kinds
    again = service.ingest(db, posts=_posts(), source="import:snapchat", detector=detector,
                           actor=police)
    assert again.stored == 0 and again.duplicates == 3


def test_retention_deletes_unused_posts_and_keeps_those_in_a_signal(
        db: Session, police: Actor, detector: Detector) -> None:
    old = clock.now() - timedelta(days=100)
    service.ingest(db, posts=_posts()[:3], source="import:x", detector=detector, actor=police,
                   now=old)
    service.ingest(db, posts=[RawPost("9", f"{HOOK} tikkie.me/pay/snelcash")],
                   source="import:y", detector=detector, actor=police, now=old)
    kept = db.scalars(select(RecruitmentPost).where(RecruitmentPost.external_id == "9")).one()
    service.mark_used(db, posts=[kept], signal_id=1)
    fresh = service.ingest(db, posts=[RawPost("10", f"{HOOK} t.me/nieuw_kanaal")],
                           source="import:z", detector=detector, actor=police)
    assert fresh.stored == 1
    counts = service.purge(db, retention_days=90)
    assert counts["posts_deleted"] == 3
    left = set(db.scalars(select(RecruitmentPost.external_id)))
    assert left == {"9", "10"}
    assert all(a.posts > 0 for a in db.scalars(select(RecruiterAccount)))


def test_one_click_signal_is_criminal_minor_and_routed_to_police_and_youth_protection(
        db: Session, police: Actor, detector: Detector) -> None:
    OrganisationFactory(org_type=OrgType.GEMEENTE)
    db.flush()
    service.ingest(db, posts=_posts(), source="import:snapchat", detector=detector,
                   actor=police)
    account = service.list_accounts(db, actor=police)[0]
    made = flows.make_signal(db, actor=police, account_id=account.id)
    signal = db.get(Signal, made.signal.id)
    assert signal is not None and signal.form is ExploitationForm.CRIMINAL
    assert "Minderjarig: waarschijnlijk" in signal.seen and HOOK[:40] in signal.seen
    assert flows.account_link(account.id) in signal.seen
    assert "minor" in signal.routing_rule.split("+")
    route_types = {r.org_id for r in signal.routes}
    assert len(route_types) >= 2  # police and the municipality (youth protection)
    used = db.scalars(select(RecruitmentPost.signal_id).where(
        RecruitmentPost.account_id == account.id)).all()
    assert set(used) == {signal.id}


def test_account_pages_show_why_and_make_the_signal(police_client: TestClient, db: Session,
                                                    police: Actor, detector: Detector) -> None:
    service.ingest(db, posts=_posts(), source="import:snapchat", detector=detector,
                   actor=police)
    listing = police_client.get("/online/recruitment")
    assert listing.status_code == 200 and "@cash_4u" in listing.text
    account = service.list_accounts(db, actor=police)[0]
    page = police_client.get(f"/online/recruitment/accounts/{account.id}")
    assert page.status_code == 200
    assert "<mark" in page.text and "Snel geld" in page.text
    made = police_client.post(f"/online/recruitment/accounts/{account.id}/signal",
                              headers=csrf_headers(police_client), follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/signals/")
    bad = police_client.post(f"/online/recruitment/accounts/{account.id}/signal",
                             data={"case_id": "abc"}, headers=csrf_headers(police_client))
    assert bad.status_code == 422


def test_a_crawled_telegram_post_is_scored_and_stored_not_linked_as_an_ad(
        session_factory: sessionmaker[Session], db: Session, cached_model: object) -> None:
    from ketenzicht.online.workspace.networks.models import NetworkAd
    from tests.factories.online import ad_fields, crawl_through_pipeline

    crawl_through_pipeline(session_factory, url="https://t.me/kanaal/41?embed=1",
                           site="telegram-preview",
                           fields=ad_fields(title="Kanaal", text=HOOK, phone=None, age=None))
    [post] = db.scalars(select(RecruitmentPost)).all()
    assert post.source == "crawl:telegram-preview" and post.url.startswith("https://t.me/")
    assert post.score > 0.9 and post.account_id is not None
    assert not db.scalars(select(NetworkAd)).all()
