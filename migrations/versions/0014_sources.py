"""forecasts, requirements, shift plans and rosters: fingerprints of what each was built from

Revision ID: 0014_sources
Revises: 0014_publish
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_sources'
down_revision = '0014_publish'
branch_labels = None
depends_on = None

TABLES = ('forecast', 'requirement', 'shift_plan', 'roster')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=True))
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typed', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_column('typed')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sources')
