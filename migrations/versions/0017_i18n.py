"""each person's reading language: user_account.language

Revision ID: 0017_i18n
Revises: 0016_kpireq
Create Date: 2026-12-07 23:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_i18n"
down_revision = "0016_kpireq"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("language")
