"""activities (meetings, coaching, offline work) on roster cells

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roster_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activities', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('roster_assignment', schema=None) as batch_op:
        batch_op.drop_column('activities')
