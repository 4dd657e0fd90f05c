"""the career catalogue in Chinese beside English: name_zh / description_zh / title_zh columns, and the
three tracks as rows (career_track) named in both languages

Revision ID: 0017_cncatalogue
Revises: 0018_zh_self_notice_text
Create Date: 2026-12-07 23:55:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_cncatalogue"
down_revision = "0018_zh_self_notice_text"
branch_labels = None
depends_on = None

# table -> (column, length) added, each NOT NULL with '' for the rows already stored (not translated yet)
COLUMNS = {
    "career_competency": (("name_zh", 120), ("description_zh", 300)),
    "career_certification": (("name_zh", 120),),
    "career_course": (("name_zh", 120),),
    "career_field": (("name_zh", 160), ("description_zh", 300)),
    "career_level": (("title_zh", 120), ("description_zh", 300)),
}


def upgrade():
    op.create_table(
        "career_track",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_zh", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_career_track")),
        sa.UniqueConstraint("code", name=op.f("uq_career_track_code")),
    )
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, length in columns:
                batch_op.add_column(
                    sa.Column(name, sa.String(length), nullable=False, server_default=sa.text("''"))
                )


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, _length in reversed(columns):
                batch_op.drop_column(name)
    op.drop_table("career_track")
