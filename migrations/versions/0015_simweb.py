"""simulation checks: what a shift plan or roster is simulated to deliver, per queue and interval

Revision ID: 0015_simweb
Revises: 0014_speed
Create Date: 2026-12-07 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_simweb'
down_revision = '0014_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'simulation_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('roster_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('demand', sa.String(length=20), nullable=False),
        sa.Column('start', sa.DateTime(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('interval_minutes', sa.Integer(), nullable=False),
        sa.Column('replications', sa.Integer(), nullable=False),
        sa.Column('seed', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Double(), nullable=False),
        sa.Column('intervals', sa.JSON(), nullable=False),
        sa.Column('totals', sa.JSON(), nullable=False),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.Column('sources', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['shift_plan.id'], name=op.f('fk_simulation_check_plan_id_shift_plan'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['roster_id'], ['roster.id'], name=op.f('fk_simulation_check_roster_id_roster'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_simulation_check_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_simulation_check')),
    )
    with op.batch_alter_table('simulation_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_simulation_check_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_simulation_check_roster_id'), ['roster_id'], unique=False)


def downgrade():
    with op.batch_alter_table('simulation_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_simulation_check_roster_id'))
        batch_op.drop_index(batch_op.f('ix_simulation_check_plan_id'))
    op.drop_table('simulation_check')
