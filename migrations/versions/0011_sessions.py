"""revocable sessions: a per-user session token named by the session and remember cookies

Revision ID: 0011_sessions
Revises: 0010
Create Date: 2026-12-07 15:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_sessions'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('user_account', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_session_token'), ['session_token'])


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_session_token'), type_='unique')
        batch_op.drop_column('session_token')
