"""published rosters: the days each version speaks for (one published truth per site and day), and the
full text of a notification (a schedule change, day by day)

Revision ID: 0014_publish
Revises: 0014_wishes
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_publish'
down_revision = '0014_wishes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roster_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('days', sa.JSON(), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('detail')
    with op.batch_alter_table('roster_version', schema=None) as batch_op:
        batch_op.drop_column('days')
