"""the name career rules know a queue skill by: skill.code (a centre that names its skills in Chinese)

Revision ID: 0018_cndemo
Revises: 0017_i18n
Create Date: 2026-12-08 00:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_cndemo"
down_revision = "0017_i18n"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("skill") as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=120), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("skill") as batch_op:
        batch_op.drop_column("code")
