"""online workspace: triage status and history, watchlists, watch hits

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 21:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ketenzicht.db.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('online_triage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('nieuw', 'in_onderzoek', 'geen_actie', 'gesloten', name='online_triage_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('updated_at', ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_online_triage_updated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_triage')),
    sa.UniqueConstraint('network_key', name=op.f('uq_online_triage_network_key'))
    )
    op.create_table('online_triage_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('status', 'note', name='online_triage_event_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('from_status', sa.Enum('nieuw', 'in_onderzoek', 'geen_actie', 'gesloten', name='online_triage_from_status', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('to_status', sa.Enum('nieuw', 'in_onderzoek', 'geen_actie', 'gesloten', name='online_triage_to_status', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=False),
    sa.Column('actor_org_id', sa.Integer(), nullable=False),
    sa.Column('at', ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_org_id'], ['organisation.id'], name=op.f('fk_online_triage_event_actor_org_id_organisation')),
    sa.ForeignKeyConstraint(['actor_user_id'], ['user_account.id'], name=op.f('fk_online_triage_event_actor_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_triage_event'))
    )
    with op.batch_alter_table('online_triage_event', schema=None) as batch_op:
        batch_op.create_index('ix_online_triage_event_key_at', ['network_key', 'at'], unique=False)

    op.create_table('online_watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('phone', 'email', 'handle', 'image', 'network', name='online_watch_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('identifiers', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisation.id'], name=op.f('fk_online_watch_owner_org_id_organisation')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['user_account.id'], name=op.f('fk_online_watch_owner_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_watch')),
    sa.UniqueConstraint('owner_user_id', 'kind', 'value', name=op.f('uq_online_watch_owner_user_id_kind_value'))
    )
    with op.batch_alter_table('online_watch', schema=None) as batch_op:
        batch_op.create_index('ix_online_watch_kind_value', ['kind', 'value'], unique=False)

    op.create_table('online_watch_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watch_id', sa.Integer(), nullable=False),
    sa.Column('ad_key', sa.String(length=200), nullable=False),
    sa.Column('ad_id', sa.Integer(), nullable=True),
    sa.Column('network_key', sa.String(length=64), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('matched', sa.String(length=250), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', ketenzicht.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', ketenzicht.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ad_id'], ['online_ad.id'], name=op.f('fk_online_watch_hit_ad_id_online_ad')),
    sa.ForeignKeyConstraint(['watch_id'], ['online_watch.id'], name=op.f('fk_online_watch_hit_watch_id_online_watch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_watch_hit')),
    sa.UniqueConstraint('watch_id', 'ad_key', name=op.f('uq_online_watch_hit_watch_id_ad_key'))
    )
    with op.batch_alter_table('online_watch_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_watch_hit_watch_id'), ['watch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('online_watch_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_watch_hit_watch_id'))

    op.drop_table('online_watch_hit')
    with op.batch_alter_table('online_watch', schema=None) as batch_op:
        batch_op.drop_index('ix_online_watch_kind_value')

    op.drop_table('online_watch')
    with op.batch_alter_table('online_triage_event', schema=None) as batch_op:
        batch_op.drop_index('ix_online_triage_event_key_at')

    op.drop_table('online_triage_event')
    op.drop_table('online_triage')
