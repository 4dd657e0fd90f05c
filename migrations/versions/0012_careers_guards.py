"""careers guards: a promotion records the reason for promoting an agent who is not eligible

Revision ID: 0012_careers_guards
Revises: 0011_sessions
Create Date: 2026-12-07 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_careers_guards'
down_revision = '0011_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('career_promotion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('career_promotion', schema=None) as batch_op:
        batch_op.drop_column('override_reason')
