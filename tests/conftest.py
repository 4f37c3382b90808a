"""Shared fixtures: a migrated database per backend, per-test SAVEPOINT isolation, the app.

Every test that asks for ``db`` runs on SQLite, and on PostgreSQL too when
``KZ_TEST_DATABASE_URL`` is set (``.ci/run`` sets it); otherwise the PostgreSQL
variant is skipped with that reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.config import Settings, get_settings
from ketenzicht.core import i18n
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade_connection
from ketenzicht.main import create_app
from tests import fast_hashing
from tests.factories import auth as auth_factories

fast_hashing.install()

REPO = Path(__file__).resolve().parents[1]
#: Reference data the tests need, in the repository (tests/data/README.md: sources, licences).
SHARED_DATA = REPO / "tests" / "data"
PG_ENV = "KZ_TEST_DATABASE_URL"


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    # No test may read or write the developer's var/ directory or environment.
    for key in list(os.environ):
        if key.startswith("KZ_") and key != PG_ENV:
            monkeypatch.delenv(key)
    monkeypatch.setenv("KZ_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    # The language is a context variable: a test that sets it must not change the
    # language of the next test in the same worker.
    i18n.set_locale(i18n.DEFAULT_LOCALE)
    yield
    i18n.set_locale(i18n.DEFAULT_LOCALE)
    get_settings.cache_clear()


def _postgres_engine(base_url: str) -> tuple[Engine, Engine, str]:
    schema = f"kz_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return make_engine(url.render_as_string(hide_password=False)), admin, schema


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Engine]:
    """A migrated database of each backend, shared by the session."""
    admin: Engine | None = None
    schema = ""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}")
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(f"PostgreSQL tests skipped: {PG_ENV} is not set")
        eng, admin, schema = _postgres_engine(base)
    with eng.connect() as conn:
        upgrade_connection(conn)
        conn.commit()
    yield eng
    eng.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def scratch_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database of the same backend, for tests that really commit.

    Real commits in the shared test database would leave rows (and audit entries,
    which cannot be deleted) that other tests then see.
    """
    admin: Engine | None = None
    schema = ""
    if engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    else:
        scratch, admin, schema = _postgres_engine(os.environ[PG_ENV])
        url = scratch.url.render_as_string(hide_password=False)
        scratch.dispose()
    migrated = make_engine(url)
    with migrated.connect() as conn:
        upgrade_connection(conn)
        conn.commit()
    migrated.dispose()
    yield url
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    conn = engine.connect()
    conn.begin()
    try:
        yield conn
    finally:
        # The current outer transaction: a test may have rolled back and begun anew
        # (tests/web/test_fuzz.py does, once per operation).
        conn.rollback()
        conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits only release a SAVEPOINT of the test's transaction."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """The test's session; factories write through it."""
    session = session_factory()
    auth_factories.bind(session)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings with a private var/ directory."""
    return Settings(var_dir=tmp_path / "var")


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session], db: Session) -> FastAPI:
    """The app, wired to the test's transaction."""
    return create_app(settings, session_factory=session_factory)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """A browser-like client (keeps cookies)."""
    return TestClient(app, raise_server_exceptions=False)
