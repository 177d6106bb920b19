"""supplier exchange: API clients, notices as received, the supplier feed

Revision ID: 0003a
Revises: 0002
Create Date: 2026-12-03 21:00:00
"""

from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0003a'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hint', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('webhook_url', sa.String(length=500), nullable=True),
    sa.Column('webhook_secret', sa.String(length=100), nullable=True),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rotated_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', engine.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('key', name=op.f('uq_api_client_key')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_client_token_hash'))
    )
    op.create_table('supplier_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('notice_key', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('received_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('planned_end_date', sa.String(length=10), nullable=True),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_supplier_notice_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_notice')),
    sa.UniqueConstraint('case_id', name=op.f('uq_supplier_notice_case_id')),
    sa.UniqueConstraint('supplier', 'notice_key', name=op.f('uq_supplier_notice_supplier_notice_key'))
    )
    with op.batch_alter_table('supplier_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_notice_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_notice_received_at'), ['received_at'], unique=False)

    op.create_table('supplier_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_supplier_feed_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_feed')),
    sa.UniqueConstraint('outbox_id', name=op.f('uq_supplier_feed_outbox_id')),
    sa.UniqueConstraint('supplier', 'position', name=op.f('uq_supplier_feed_supplier_position'))
    )


def downgrade() -> None:
    op.drop_table('supplier_feed')
    with op.batch_alter_table('supplier_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_notice_received_at'))
        batch_op.drop_index(batch_op.f('ix_supplier_notice_channel'))

    op.drop_table('supplier_notice')
    op.drop_table('api_client')
