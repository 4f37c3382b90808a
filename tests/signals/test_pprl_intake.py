"""Intake of encodings made at the source: no planted raw value in any table, and they link."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import String, cast, inspect, select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.db.base import Base
from ketenzicht.signals.models import SignalKey, SignalLink
from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published
from tests.factories.auth import UserFactory
from tests.factories.signals import make_signal

PLANTED = {"person": "Zorica Vukadinović", "birth_year": "1991", "employer": "Kwekerij Plantoria"}


def test_encoded_intake_stores_no_raw_identity_and_links(
        db: Session, caplog: pytest.LogCaptureFixture) -> None:
    shares = keys.keygen("2026", 2)
    users = [UserFactory(organisation__org_type=t) for t in (OrgType.ZORG, OrgType.POLITIE)]
    db.flush()
    caplog.set_level(logging.DEBUG)
    for user in users:  # each organisation combines the key and encodes on its own machine
        encoded = encode_record(PLANTED, keys.combine(shares), published())
        make_signal(db, user, pseudonym=None, employer=None, share_identities=False,
                    encoded_keys=[{"kind": field, "bloom": value, "key_version": "2026"}
                                  for field, value in encoded.fields.items()])
    db.flush()
    assert {k.key_version for k in db.scalars(select(SignalKey))} == {"2026"}
    assert db.scalar(select(SignalLink.id)) is not None  # the two signals linked
    needles = [v.lower() for k, v in PLANTED.items() if k != "birth_year"]
    needles += ["vukadinovic", "plantoria"]
    engine = db.get_bind()
    scanned = 0
    for table in Base.metadata.sorted_tables:
        if not inspect(engine).has_table(table.name):
            continue
        for column in table.columns:
            for value in db.scalars(select(cast(column, String)).where(column.is_not(None))):
                text = str(value).lower()
                scanned += 1
                assert not any(n in text for n in needles), f"{table.name}.{column.name}"
    assert scanned > 100  # the scan did read the stored rows
    assert not any(n in caplog.text.lower() for n in needles)
