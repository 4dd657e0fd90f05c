"""notifications kept as sentence template and values, written in the reader's language when read

Revision ID: 0018_zh_self_notice_text
Revises: 0018_cndemo
Create Date: 2026-12-08 00:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_zh_self_notice_text"
down_revision = "0018_cndemo"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.add_column(sa.Column("text", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_column("text")
