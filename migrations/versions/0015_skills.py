"""plan shifts by skill group: the group whose agents work each planned shift

Revision ID: 0015_skills
Revises: 0015_intraday
Create Date: 2026-12-07 20:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_skills'
down_revision = '0015_intraday'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skill_group', sa.String(length=500), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('plan_shift', schema=None) as batch_op:
        batch_op.drop_column('skill_group')
