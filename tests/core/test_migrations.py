"""One linear migration history, and it matches the models on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from ketenzicht.db.migrate import alembic_config
from ketenzicht.model_registry import Base


def test_history_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert all(not isinstance(r.down_revision, tuple) for r in revisions), "no merges"
    assert [r for r in revisions if r.down_revision is None] == [revisions[-1]]


def test_migrations_match_the_models(connection: Connection) -> None:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"write a migration for: {diff}"
