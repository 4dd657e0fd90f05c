"""intraday: queue actuals per interval, agent-state events, adherence settings, exceptions and days

Revision ID: 0015_intraday
Revises: 0015_capacity
Create Date: 2026-12-07 20:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_intraday'
down_revision = '0015_capacity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'queue_actual',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('queue_id', sa.Integer(), nullable=False),
        sa.Column('interval_start', sa.DateTime(), nullable=False),
        sa.Column('interval_minutes', sa.Integer(), nullable=False),
        sa.Column('offered', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), nullable=False),
        sa.Column('abandoned', sa.Integer(), nullable=False),
        sa.Column('answered_within_target', sa.Integer(), nullable=False),
        sa.Column('aht_seconds', sa.Double(), nullable=True),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('times_sent', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['queue_id'], ['queue.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('queue_id', 'interval_start'),
    )
    op.create_index('ix_queue_actual_start', 'queue_actual', ['interval_start'], unique=False)
    op.create_table(
        'agent_state_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.String(length=80), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(length=30), nullable=False),
        sa.Column('queue_id', sa.Integer(), nullable=True),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agent_id'], ['agent.id']),
        sa.ForeignKeyConstraint(['queue_id'], ['queue.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id'),
    )
    op.create_index('ix_agent_state_event_agent_at', 'agent_state_event', ['agent_id', 'at'], unique=False)
    op.create_table(
        'adherence_setting',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('grace_minutes', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('site_id'),
    )
    op.create_table(
        'adherence_exception',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('start', sa.DateTime(), nullable=False),
        sa.Column('end', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agent_id'], ['agent.id']),
        sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        op.f('ix_adherence_exception_agent_id'), 'adherence_exception', ['agent_id'], unique=False
    )
    op.create_table(
        'adherence_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('scheduled_minutes', sa.Integer(), nullable=False),
        sa.Column('adherent_minutes', sa.Integer(), nullable=False),
        sa.Column('worked_minutes', sa.Integer(), nullable=False),
        sa.Column('adherence', sa.Double(), nullable=True),
        sa.Column('conformance', sa.Double(), nullable=True),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agent_id'], ['agent.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agent_id', 'day'),
    )


def downgrade():
    op.drop_table('adherence_day')
    op.drop_index(op.f('ix_adherence_exception_agent_id'), table_name='adherence_exception')
    op.drop_table('adherence_exception')
    op.drop_table('adherence_setting')
    op.drop_index('ix_agent_state_event_agent_at', table_name='agent_state_event')
    op.drop_table('agent_state_event')
    op.drop_index('ix_queue_actual_start', table_name='queue_actual')
    op.drop_table('queue_actual')
