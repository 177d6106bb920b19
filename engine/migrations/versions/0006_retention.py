"""retention: the date a case's personal data may be kept until, and when it was anonymised

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 23:00:00
"""

from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retain_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', engine.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_retain_until'), ['retain_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_retain_until'))
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('retain_until')
