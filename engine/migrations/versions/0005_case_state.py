"""case state apart from the case row; inbox scope on the task rows; prefix search on names

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 22:10:00

The workflow state moves from ``case.state`` into its own table ``case_state`` (one row per case), so that the
case row stays small for the inbox, the timer sweep and the case lists. The data is copied both ways.
``human_task.team`` (copied from the case) and two composite indexes answer the inbox scope and its counts from
one index; ``case.search_name`` (lower-case family name) makes name search a prefix range on an index.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_state',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_state_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_state'))
    )
    op.execute('INSERT INTO case_state (case_id, state) SELECT id, state FROM "case"')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('state')
        batch_op.add_column(sa.Column('search_name', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_search_name'), ['search_name'], unique=False)
    op.execute('UPDATE "case" SET search_name = lower(family_name)')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=100), nullable=True))
        batch_op.create_index('ix_human_task_scope', ['state', 'team', 'lane', 'assignee'], unique=False)
        batch_op.create_index('ix_human_task_scope_due', ['state', 'team', 'due_at'], unique=False)
    op.execute('UPDATE human_task SET team = (SELECT c.team FROM "case" c WHERE c.id = human_task.case_id)')


def downgrade() -> None:
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_scope_due')
        batch_op.drop_index('ix_human_task_scope')
        batch_op.drop_column('team')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_search_name'))
        batch_op.drop_column('search_name')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=False, server_default=''))
    op.execute('UPDATE "case" SET state = (SELECT s.state FROM case_state s WHERE s.case_id = "case".id)')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.alter_column('state', server_default=None)
    op.drop_table('case_state')
