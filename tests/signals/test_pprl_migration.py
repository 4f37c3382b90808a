"""Migration 0029 drops the encodings the server made of withheld identities, with notice."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.auth.enums import OrgType
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import alembic_config, upgrade_connection
from ketenzicht.notify.models import Notification
from ketenzicht.signals.models import SignalDraft, SignalKey, SignalLink
from tests.factories import auth as auth_factories
from tests.factories.auth import UserFactory
from tests.factories.signals import make_signal

REVISION = "0029_drop_server_encodings"


@pytest.fixture
def empty(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend under test (not migrated)."""
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'mig.sqlite3'}")
        yield fresh
        fresh.dispose()
        return
    base = os.environ["KZ_TEST_DATABASE_URL"]
    schema = f"kz_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    fresh = make_engine(url.render_as_string(hide_password=False))
    try:
        yield fresh
    finally:
        fresh.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_server_made_encodings_are_dropped_with_an_audit_entry_and_a_notice(
        empty: Engine) -> None:
    # The data is seeded with today's models at head and then put in the state the server
    # left it in before issue 22; the migration's own step then runs on it. (Seeding with
    # today's models at the revision before it breaks as soon as a later migration adds a
    # column those models read.)
    migration = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(REVISION)
    with empty.connect() as conn:
        upgrade_connection(conn)
        conn.commit()
        session = Session(bind=conn)
        auth_factories.bind(session)
        sharing = UserFactory(organisation__org_type=OrgType.ZORG)
        withholding = UserFactory(organisation__org_type=OrgType.OPVANG)
        session.flush()
        kept = make_signal(session, sharing, pseudonym="Ion Popescu", phone="06-12345678")
        old = make_signal(session, withholding, pseudonym="Popescu Ion",
                          phone="+31 6 1234 5678", employer=None)
        third = make_signal(session, sharing, pseudonym="Mara Ionescu", employer=None,
                            phone=None, nationality="BG")
        # As the server stored a withheld signal before issue 22: encodings, no value.
        session.execute(update(SignalKey).where(SignalKey.signal_id == old.id)
                        .values(norm=None))
        # A refused withheld intake kept as a draft, raw identities and all (before issue 22).
        drafts = [SignalDraft(owner_user_id=withholding.id,
                              owner_org_id=withholding.organisation_id,
                              payload={"seen": "kas", "share_identities": share,
                                       "pseudonym": "Zorica V.", "phone": "0612345678"})
                  for share in (False, True)]
        session.add_all(drafts)
        session.commit()
        draft_ids = [d.id for d in drafts]
        linked = set(session.scalars(select(SignalLink.other_signal_id)
                                     .where(SignalLink.signal_id == kept.id)))
        assert old.id in linked
        ids = (kept.id, old.id, third.id, withholding.id, withholding.organisation_id)
        session.close()

        with Operations.context(MigrationContext.configure(conn)):
            migration.module.upgrade()
        conn.commit()
        session = Session(bind=conn)
        keys = {(k.signal_id, k.kind.value) for k in session.scalars(select(SignalKey))}
        assert not any(signal == ids[1] for signal, _kind in keys)
        assert (ids[0], "person") in keys and (ids[0], "phone") in keys  # shared: kept
        assert (ids[2], "person") in keys
        others = {(link.signal_id, link.other_signal_id)
                  for link in session.scalars(select(SignalLink))}
        assert not any(ids[1] in pair for pair in others)
        (note,) = session.scalars(select(Notification).where(Notification.user_id == ids[3]))
        assert f"#{ids[1]}" in note.body and note.kind == "signals.reencode"
        assert "opnieuw" in note.body or "again" in note.body
        (entry,) = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "drop_server_encodings"))
        assert entry.detail["signals"] == {str(ids[4]): [ids[1]]}
        assert entry.detail["keys"] == 2
        scrubbed, shared = (session.get(SignalDraft, i) for i in draft_ids)
        assert scrubbed is not None and shared is not None
        assert scrubbed.payload == {"seen": "kas", "share_identities": False, "pseudonym": "",
                                    "phone": "", "employer": "", "address": "", "vehicle": ""}
        assert shared.payload["pseudonym"] == "Zorica V."  # shared: the value may be kept
        session.close()
