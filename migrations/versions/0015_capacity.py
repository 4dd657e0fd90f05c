"""capacity scenarios: the scenario built from the live centre and its solved plan

Revision ID: 0015_capacity
Revises: 0015_simweb
Create Date: 2026-12-07 21:35:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_capacity'
down_revision = '0015_simweb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'capacity_scenario',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('variant', sa.String(length=40), nullable=False),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('plan', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'],
            name=op.f('fk_capacity_scenario_created_by_id_user_account'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_scenario')),
    )


def downgrade():
    op.drop_table('capacity_scenario')
