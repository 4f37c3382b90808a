"""Engine creation, with the SQLite settings that make it behave like a real store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ketenzicht.config import Settings


def engine_for(settings: Settings) -> Engine:
    """The app's engine, its pool sized by the settings (see docs/configuration.md).

    A request holds a connection while it runs in the thread pool; on SQLite the
    writers then queue on the database's lock (for the busy timeout), on
    PostgreSQL on row locks. A request that waits longer than ``db_pool_timeout``
    for a connection is answered 503 with Retry-After (``web.errors``).
    """
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return make_engine(settings.database_url)
    return make_engine(settings.database_url, pool_size=settings.db_pool_size,
                       max_overflow=settings.db_max_overflow,
                       pool_timeout=settings.db_pool_timeout)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; for SQLite, enforce foreign keys and real transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not ship.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, **kwargs)


# How long a SQLite transaction waits for the single writer before it gives up.
SQLITE_BUSY_TIMEOUT_MS = 10_000
BEGIN_ATTEMPTS = 3


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT semantics; take
    # control of BEGIN ourselves (SQLAlchemy's documented recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock at the start, so writers queue (for up
        # to the busy timeout) instead of failing. A deferred BEGIN that reads first
        # and writes later cannot wait: when another writer committed in between,
        # SQLite refuses the upgrade at once with "database is locked", and since
        # nearly every request writes an audit entry, that was most requests under
        # load. WAL keeps reads of other connections running meanwhile.
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                # The busy timeout ran out; try a bounded number of times more before
                # the caller answers 503 ("busy, nothing saved, try again").
                if "locked" not in str(exc.orig) or attempt == BEGIN_ATTEMPTS - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))
