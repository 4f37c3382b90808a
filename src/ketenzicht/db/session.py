"""Session factories. Transactions are opened and committed at the edges only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


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
