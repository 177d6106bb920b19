"""workbench: process drafts and their files

Revision ID: 0004
Revises: 0003a
Create Date: 2026-12-08 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0004'
down_revision = '0003a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('process_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.String(length=200), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['base_version_id'], ['process_version.id'], name=op.f('fk_process_draft_base_version_id_process_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_draft')),
    sa.UniqueConstraint('process_id', name=op.f('uq_process_draft_process_id'))
    )
    op.create_table('process_draft_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', engine.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['process_draft.id'], name=op.f('fk_process_draft_file_draft_id_process_draft')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_draft_file')),
    sa.UniqueConstraint('draft_id', 'name', name=op.f('uq_process_draft_file_draft_id_name'))
    )
    with op.batch_alter_table('process_draft_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_draft_file_draft_id'), ['draft_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('process_draft_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_draft_file_draft_id'))

    op.drop_table('process_draft_file')
    op.drop_table('process_draft')
