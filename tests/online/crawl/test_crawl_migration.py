"""Migration 0013 rewrites stored crawl statuses to values and adds CHECK constraints."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import alembic_config, upgrade_connection

PG_ENV = "KZ_TEST_DATABASE_URL"


@pytest.fixture
def empty(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the backend under test (not migrated)."""
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'mig.sqlite3'}")
        yield fresh
        fresh.dispose()
        return
    base = os.environ[PG_ENV]
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


def test_statuses_survive_the_upgrade_and_the_downgrade(empty: Engine) -> None:
    with empty.connect() as conn:
        upgrade_connection(conn, "0005")
        conn.execute(text(
            "INSERT INTO online_crawl_run (id, site, profile_version, started_at, status, "
            "job_dir, stats) VALUES (1, 'demo', 1, CURRENT_TIMESTAMP, 'INTERRUPTED', 'j', '{}')"))
        conn.execute(text(
            "INSERT INTO online_ad (id, site, url, status, first_seen, last_seen) VALUES "
            "(1, 'demo', 'http://x/1', 'GONE', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "(2, 'demo', 'http://x/2', 'ACTIVE', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.commit()

        upgrade_connection(conn, "0013")
        conn.commit()
        assert conn.scalar(text("SELECT status FROM online_crawl_run")) == "interrupted"
        assert list(conn.scalars(text("SELECT status FROM online_ad ORDER BY id"))) == [
            "gone", "active"]
        with pytest.raises(IntegrityError):
            conn.execute(text("UPDATE online_ad SET status = 'GONE' WHERE id = 2"))
        conn.rollback()

        command.downgrade(alembic_config(connection=conn), "0005")
        conn.commit()
        assert conn.scalar(text("SELECT status FROM online_crawl_run")) == "INTERRUPTED"
        assert list(conn.scalars(text("SELECT status FROM online_ad ORDER BY id"))) == [
            "GONE", "ACTIVE"]
