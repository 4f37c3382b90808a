"""Session factories. Transactions are opened and committed at the edges only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.config import Settings, get_settings
from ketenzicht.core import context
from ketenzicht.db.engine import engine_for


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def default_session_factory(settings: Settings | None = None) -> sessionmaker[Session]:
    """A session factory on the configured database (``KZ_DATABASE_URL``).

    The one every edge that is not handed a factory uses: the CLI commands, the scheduler,
    the demo and ``create_app`` without one. Tests replace it here.
    """
    return make_session_factory(engine_for(settings or get_settings()))


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        # A refusal that keeps its clean-up (``core.errors.ConflictAfterCleanup``) commits.
        if getattr(exc, "keeps_changes", False):
            session.commit()
        else:
            session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def cli_unit_of_work() -> Iterator[Session]:
    """One command's transaction on the configured database, under a fresh request id."""
    context.new_request_id()
    with unit_of_work(default_session_factory()) as session:
        yield session
