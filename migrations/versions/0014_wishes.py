"""wishes agents enter themselves: a period (last day), hours they cannot work, and who entered the wish

Revision ID: 0014_wishes
Revises: 0013_figures
Create Date: 2026-12-07 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_wishes'
down_revision = '0013_figures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wish', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('from_minute', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('to_minute', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_wish_entered_by_id_user_account'), 'user_account', ['entered_by_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('wish', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_wish_entered_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('to_minute')
        batch_op.drop_column('from_minute')
        batch_op.drop_column('last_day')
