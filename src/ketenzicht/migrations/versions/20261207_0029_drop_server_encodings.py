"""signals: drop the encodings the server made of withheld identities, with notice (issue 22)

Until issue 22, an organisation that withheld identities sent them raw and the server encoded
them with a key derived from ``KZ_SECRET_KEY`` (``signal_key`` rows with ``key_version`` NULL
and no ``norm``). That path is removed: identities are now encoded at the source with the
organisations' own key. The old encodings cannot be re-keyed (the raw values were never
stored), so they are dropped with the links they made, an audit entry records it, and each
owning organisation is notified which signals to encode again (``links.drop_server_encodings``,
the domain's own rule, run on this connection). Shared identities keep their keys.

Drafts are scrubbed too: a refused intake with withholding on was kept as a draft *with* the
raw identities typed; they are blanked (the rest of each draft stays).

Downgrade restores nothing: the dropped encodings are gone (their notice says so).

Revision ID: 0029_drop_server_encodings
Revises: 0028_crawl_run_failed
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0029_drop_server_encodings"
down_revision = "0028_crawl_run_failed"
branch_labels = None
depends_on = None


IDENTITY_FIELDS = ("pseudonym", "employer", "address", "phone", "vehicle")


def _scrub_drafts() -> None:
    drafts = sa.table("signal_draft", sa.column("id", sa.Integer),
                      sa.column("payload", sa.JSON))
    bind = op.get_bind()
    for draft_id, payload in bind.execute(sa.select(drafts.c.id, drafts.c.payload)).all():
        if not isinstance(payload, dict) or payload.get("share_identities") is not False:
            continue
        if any(payload.get(f) for f in IDENTITY_FIELDS):
            bind.execute(drafts.update().where(drafts.c.id == draft_id).values(
                payload=payload | dict.fromkeys(IDENTITY_FIELDS, "")))


def upgrade() -> None:
    _scrub_drafts()
    bind = op.get_bind()
    old = bind.execute(sa.text("SELECT count(*) FROM signal_key "
                               "WHERE key_version IS NULL AND norm IS NULL")).scalar()
    if not old:
        return  # a new database, or none withheld: nothing to drop, no models needed
    # The models and services of today, only when there is something to drop: the audit
    # entry must join the hash chain, and a notice goes out as every notice does.
    from ketenzicht.audit import service as audit
    from ketenzicht.signals.links import drop_server_encodings

    session = Session(bind=bind)  # joins the migration's transaction; commits nothing
    try:
        drop_server_encodings(session)
        audit.flush_pending(session)
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    pass
