"""The intake with identities withheld: raw identities are refused (422) and stored nowhere;
encodings made at the source are accepted, and link only under the same key version."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.signals.models import Signal, SignalDraft, SignalKey, SignalLink
from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published
from tests.factories.auth import UserFactory, csrf_headers, login
from tests.factories.pprl import planted_in_tables
from tests.factories.signals import LABOUR_CASE

PLANTED = {"pseudonym": "Yevdokiya Strzelczyk-Okonkwo", "employer": "Plantoria Kwekerij",
           "phone": "06-98765432", "vehicle": "XZ-987-Q", "address": "Zilverschoonlaan 77"}
NEEDLES = ["yevdokiya", "strzelczyk", "okonkwo", "plantoria", "98765432", "xz987q",
           "xz-987-q", "zilverschoon"]
SEEN = "Slaapt in de kas, paspoort bij de baas."


def _form(client: TestClient, **fields: str) -> dict[str, str]:
    client.get("/signals/new")
    return {"csrf_token": client.cookies.get("kz_csrf") or "", "form": "labour",
            "seen": SEEN, "nationality": "RO", "gender": "female", **fields}


def _assert_nowhere(db: Session, caplog: pytest.LogCaptureFixture) -> None:
    found, scanned = planted_in_tables(db, NEEDLES)
    assert found == [] and scanned > 50
    assert not any(n in caplog.text.lower() for n in NEEDLES)


def test_raw_identities_with_withholding_are_refused_and_kept_nowhere(
        client: TestClient, db: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = UserFactory(organisation__org_type=OrgType.ZORG)
    login(client, user.username)
    page = client.post("/signals/new", data=_form(client, withhold_identities="on",
                                                  **PLANTED))
    assert page.status_code == 422
    assert "op uw eigen apparaat worden versleuteld" in page.text
    assert SEEN in page.text  # what was typed stays, but for the identities
    assert not any(n in page.text.lower() for n in NEEDLES)
    assert db.scalar(select(Signal.id)) is None and db.scalar(select(SignalKey.id)) is None
    draft = db.scalar(select(SignalDraft).where(SignalDraft.owner_user_id == user.id))
    assert draft is not None and draft.payload["seen"] == SEEN
    assert draft.payload["share_identities"] is False
    # The JSON API: the same refusal, whichever field carries a raw value.
    for field, value in PLANTED.items():
        refused = client.post("/api/v1/signals", headers=csrf_headers(client), json={
            **LABOUR_CASE, "pseudonym": None, "employer": None, "share_identities": False,
            field: value})
        assert refused.status_code == 422, field
        assert "versleuteld" in refused.json()["detail"]
    assert db.scalar(select(Signal.id)) is None
    _assert_nowhere(db, caplog)


def _encodings(key: keys.LinkageKey, **record: str) -> str:
    return json.dumps(encode_record(record, key, published()).to_json())


def test_encodings_from_the_page_are_stored_and_link_only_within_a_key_version(
        client: TestClient, db: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    shares = keys.keygen("2026", 2)
    record = {"person": PLANTED["pseudonym"], "birth_year": "1994",
              "phone": PLANTED["phone"], "vehicle": PLANTED["vehicle"]}
    made = []
    for org_type, key, person in (
            (OrgType.ZORG, keys.combine(shares), PLANTED["pseudonym"]),
            # The same person, written otherwise, encoded by another organisation.
            (OrgType.POLITIE, keys.combine(shares), "okonkwo, yevdokiya strzelczyk"),
            # Next year's key: the same values, and nothing links.
            (OrgType.OPVANG, keys.combine(keys.keygen("2027", 2)), PLANTED["pseudonym"])):
        login(client, UserFactory(organisation__org_type=org_type).username)
        sent = client.post("/signals/new", follow_redirects=False, data=_form(
            client, withhold_identities="on",
            encodings=_encodings(key, **{**record, "person": person})))
        assert sent.status_code == 303, sent.text[:2000]
        made.append(int(sent.headers["location"].rsplit("/", 1)[1]))
    stored = {(k.signal_id, k.kind.value, k.key_version, len(k.bloom), k.norm)
              for k in db.scalars(select(SignalKey))}
    assert stored == {(made[0], "person", "2026", 256, None), (made[0], "phone", "2026", 64, None),
                      (made[0], "vehicle", "2026", 64, None),
                      (made[1], "person", "2026", 256, None), (made[1], "phone", "2026", 64, None),
                      (made[1], "vehicle", "2026", 64, None),
                      (made[2], "person", "2027", 256, None), (made[2], "phone", "2027", 64, None),
                      (made[2], "vehicle", "2027", 64, None)}
    links = {(link.signal_id, link.other_signal_id, link.kind.value)
             for link in db.scalars(select(SignalLink))}
    assert {(a, b) for a, b, _k in links} == {(made[0], made[1]), (made[1], made[0])}
    assert {k for _a, _b, k in links} == {"person", "phone", "vehicle"}
    _assert_nowhere(db, caplog)


def test_an_encoding_must_fit_its_kind_and_name_its_key_version(
        client: TestClient, db: Session) -> None:
    login(client, UserFactory(organisation__org_type=OrgType.ZORG).username)
    client.get("/")
    base = {**LABOUR_CASE, "pseudonym": None, "employer": None, "share_identities": False}
    for encoded in ({"kind": "phone", "bloom": "ab" * 128, "key_version": "2026"},  # a filter
                    {"kind": "person", "bloom": "ab" * 32, "key_version": "2026"},  # an HMAC
                    {"kind": "phone", "bloom": "ab" * 32}):  # no key version
        refused = client.post("/api/v1/signals", headers=csrf_headers(client),
                              json={**base, "encoded_keys": [encoded]})
        assert refused.status_code == 422, encoded
    assert db.scalar(select(Signal.id)) is None
    accepted = client.post("/api/v1/signals", headers=csrf_headers(client), json={
        **base, "encoded_keys": [{"kind": "phone", "bloom": "ab" * 32, "key_version": "2026"}]})
    assert accepted.status_code == 201, accepted.text


def test_the_owning_organisation_attaches_encodings_to_a_signal_and_it_links(
        client: TestClient, db: Session) -> None:
    key = keys.combine(keys.keygen("2026", 2))
    encoded = encode_record({"phone": PLANTED["phone"]}, key, published()).fields["phone"]
    owner = UserFactory(organisation__org_type=OrgType.OPVANG)
    other = UserFactory(organisation__org_type=OrgType.POLITIE)
    login(client, other.username)
    client.get("/")
    body = {**LABOUR_CASE, "pseudonym": None, "employer": None, "share_identities": False}
    linked_to = client.post("/api/v1/signals", headers=csrf_headers(client), json={
        **body, "encoded_keys": [{"kind": "phone", "bloom": encoded, "key_version": "2026"}]})
    assert linked_to.status_code == 201
    login(client, owner.username)
    client.get("/")
    mine = client.post("/api/v1/signals", headers=csrf_headers(client), json=body).json()
    send = {"encoded_keys": [{"kind": "phone", "bloom": encoded, "key_version": "2026"}]}
    for _twice in range(2):  # sending again replaces, it does not double
        answer = client.post(f"/api/v1/signals/{mine['id']}/encodings",
                             headers=csrf_headers(client), json=send)
        assert answer.status_code == 200, answer.text
    assert [link["kind"] for link in answer.json()["links"]] == ["phone"]
    assert len(db.scalars(select(SignalKey).where(SignalKey.signal_id == mine["id"])).all()) == 1
    # Another organisation, even one that may read the signal, does not encode for the owner.
    login(client, other.username)
    client.get("/")
    own = client.post(f"/api/v1/signals/{linked_to.json()['id']}/encodings",
                          headers=csrf_headers(client), json=send)
    assert own.status_code == 200  # its own signal: allowed
    foreign = client.post(f"/api/v1/signals/{mine['id']}/encodings",
                          headers=csrf_headers(client), json=send)
    assert foreign.status_code == 403
