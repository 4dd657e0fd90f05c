"""ladder requirements naming a KPI and a threshold: career_level.kpis

Revision ID: 0016_kpireq
Revises: 0015_talent
Create Date: 2026-12-07 22:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_kpireq"
down_revision = "0015_talent"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("career_level") as batch_op:
        batch_op.add_column(sa.Column("kpis", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade():
    with op.batch_alter_table("career_level") as batch_op:
        batch_op.drop_column("kpis")
