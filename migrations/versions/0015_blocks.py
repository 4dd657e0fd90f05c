"""work blocks on roster cells (which queue an agent works when), and the site's shortest block

Revision ID: 0015_blocks
Revises: 0015_skills
Create Date: 2026-12-07 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_blocks'
down_revision = '0015_skills'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roster_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocks', sa.JSON(), nullable=True))
    with op.batch_alter_table('roster_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_block_minutes', sa.Integer(), nullable=False, server_default='60'))


def downgrade():
    with op.batch_alter_table('roster_rules', schema=None) as batch_op:
        batch_op.drop_column('min_block_minutes')
    with op.batch_alter_table('roster_assignment', schema=None) as batch_op:
        batch_op.drop_column('blocks')
