"""online capture: crawl runs, WARC capture index, images, versioned ads

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "online_crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("started_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "RUNNING", "FINISHED", "INTERRUPTED", name="runstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("job_dir", sa.String(length=500), nullable=False),
        sa.Column("max_pages", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["user_account.id"],
            name=op.f("fk_online_crawl_run_started_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_crawl_run")),
    )
    op.create_index(op.f("ix_online_crawl_run_site"), "online_crawl_run", ["site"], unique=False)
    op.create_table(
        "online_ad",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum("ACTIVE", "GONE", name="adstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("first_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("gone_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_at", sa.String(length=40), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_run_id"],
            ["online_crawl_run.id"],
            name=op.f("fk_online_ad_last_run_id_online_crawl_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_ad")),
        sa.UniqueConstraint("site", "url", name=op.f("uq_online_ad_site_url")),
    )
    op.create_index(op.f("ix_online_ad_site"), "online_ad", ["site"], unique=False)
    op.create_table(
        "online_capture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("captured_at", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("etag", sa.String(length=200), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("warc_file", sa.String(length=300), nullable=False),
        sa.Column("warc_offset", sa.BigInteger(), nullable=False),
        sa.Column("warc_record_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["online_crawl_run.id"],
            name=op.f("fk_online_capture_run_id_online_crawl_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_capture")),
        sa.UniqueConstraint("warc_record_id", name=op.f("uq_online_capture_warc_record_id")),
    )
    op.create_index(op.f("ix_online_capture_run_id"), "online_capture", ["run_id"], unique=False)
    op.create_index(op.f("ix_online_capture_sha256"), "online_capture", ["sha256"], unique=False)
    op.create_index(
        "ix_online_capture_url_time", "online_capture", ["url", "captured_at"], unique=False
    )
    op.create_table(
        "online_ad_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ad_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("age", sa.String(length=40), nullable=True),
        sa.Column("phone", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("posted_at", sa.String(length=40), nullable=True),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("first_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ad_id"], ["online_ad.id"], name=op.f("fk_online_ad_version_ad_id_online_ad")
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["online_capture.id"],
            name=op.f("fk_online_ad_version_capture_id_online_capture"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_ad_version")),
        sa.UniqueConstraint(
            "ad_id", "content_hash", name=op.f("uq_online_ad_version_ad_id_content_hash")
        ),
    )
    op.create_index(
        op.f("ix_online_ad_version_ad_id"), "online_ad_version", ["ad_id"], unique=False
    )
    op.create_index(
        op.f("ix_online_ad_version_content_hash"),
        "online_ad_version",
        ["content_hash"],
        unique=False,
    )
    op.create_table(
        "online_image",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("phash", sa.String(length=32), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("first_capture_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_capture_id"],
            ["online_capture.id"],
            name=op.f("fk_online_image_first_capture_id_online_capture"),
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_online_image")),
    )
    op.create_index(op.f("ix_online_image_phash"), "online_image", ["phash"], unique=False)


def downgrade() -> None:
    op.drop_table("online_ad_version")
    op.drop_table("online_image")
    op.drop_table("online_ad")
    op.drop_table("online_capture")
    op.drop_table("online_crawl_run")
