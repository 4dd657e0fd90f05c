"""time off: the working days it was charged for, fixed when requested and when approved

Revision ID: 0013_figures
Revises: 0012_careers_guards
Create Date: 2026-12-07 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_figures'
down_revision = '0012_careers_guards'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charged_on', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.drop_column('charged_on')
