"""talent pool: departures (left the bank or moved within it), internal vacancies and applications,
agents' development plans and their requests to enrol in training

Revision ID: 0015_talent
Revises: 0015_blocks
Create Date: 2026-12-07 21:15:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_talent"
down_revision = "0015_blocks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "talent_departure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("reason_text", sa.String(length=300), nullable=False),
        sa.Column("voluntary", sa.Boolean(), nullable=True),
        sa.Column("regretted", sa.Boolean(), nullable=True),
        sa.Column("department", sa.String(length=30), nullable=True),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("field_code", sa.String(length=60), nullable=True),
        sa.Column("level_reached", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('left', 'moved')", name=op.f("ck_talent_departure_kind_known")),
        sa.CheckConstraint(
            "kind <> 'left' OR reason IS NOT NULL", name=op.f("ck_talent_departure_left_has_reason")
        ),
        sa.CheckConstraint(
            "kind <> 'moved' OR department IS NOT NULL", name=op.f("ck_talent_departure_moved_has_department")
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_talent_departure_agent_id_agent"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["field_code"], ["career_field.code"], name=op.f("fk_talent_departure_field_code_career_field")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_departure")),
        sa.UniqueConstraint("agent_id", name=op.f("uq_talent_departure_agent_id")),
    )
    op.create_table(
        "talent_vacancy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("department", sa.String(length=30), nullable=False),
        sa.Column("field_code", sa.String(length=60), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("level >= 1", name=op.f("ck_talent_vacancy_level_positive")),
        sa.ForeignKeyConstraint(
            ["field_code"], ["career_field.code"], name=op.f("fk_talent_vacancy_field_code_career_field")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_vacancy")),
    )
    op.create_table(
        "talent_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_talent_application_agent_id_agent"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["talent_vacancy.id"],
            name=op.f("fk_talent_application_vacancy_id_talent_vacancy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_application")),
        sa.UniqueConstraint("vacancy_id", "agent_id", name=op.f("uq_talent_application_vacancy_id_agent_id")),
    )
    with op.batch_alter_table("talent_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_application_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_talent_application_vacancy_id"), ["vacancy_id"], unique=False)

    op.create_table(
        "talent_development_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("target_field", sa.String(length=60), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agent.id"],
            name=op.f("fk_talent_development_plan_agent_id_agent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_field"],
            ["career_field.code"],
            name=op.f("fk_talent_development_plan_target_field_career_field"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_development_plan")),
        sa.UniqueConstraint("agent_id", name=op.f("uq_talent_development_plan_agent_id")),
    )
    op.create_table(
        "talent_enrolment_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agent.id"],
            name=op.f("fk_talent_enrolment_request_agent_id_agent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["career_session.id"],
            name=op.f("fk_talent_enrolment_request_session_id_career_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_enrolment_request")),
        sa.UniqueConstraint(
            "session_id", "agent_id", name=op.f("uq_talent_enrolment_request_session_id_agent_id")
        ),
    )
    with op.batch_alter_table("talent_enrolment_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_enrolment_request_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_talent_enrolment_request_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "talent_quality_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_quality_form")),
        sa.UniqueConstraint("name", name=op.f("uq_talent_quality_form_name")),
    )
    op.create_table(
        "talent_quality_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("evaluator", sa.String(length=64), nullable=False),
        sa.Column("contact", sa.String(length=120), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("calibration", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("agent_comment", sa.String(length=1000), nullable=False),
        sa.Column("answer", sa.String(length=1000), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 100", name=op.f("ck_talent_quality_evaluation_score_range")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_talent_quality_evaluation_agent_id_agent"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["form_id"], ["talent_quality_form.id"], name=op.f("fk_talent_quality_evaluation_form_id_talent_quality_form")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_quality_evaluation")),
    )
    with op.batch_alter_table("talent_quality_evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_quality_evaluation_agent_id"), ["agent_id"], unique=False)

    op.create_table(
        "talent_agent_kpi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("handle_seconds", sa.Double(), nullable=False),
        sa.Column("fcr", sa.Double(), nullable=False),
        sa.Column("csat", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agent.id"], name=op.f("fk_talent_agent_kpi_agent_id_agent"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_agent_kpi")),
        sa.UniqueConstraint("agent_id", "day", name=op.f("uq_talent_agent_kpi_agent_id_day")),
    )
    with op.batch_alter_table("talent_agent_kpi", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_agent_kpi_agent_id"), ["agent_id"], unique=False)


def downgrade():
    with op.batch_alter_table("talent_agent_kpi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_agent_kpi_agent_id"))
    op.drop_table("talent_agent_kpi")
    with op.batch_alter_table("talent_quality_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_quality_evaluation_agent_id"))
    op.drop_table("talent_quality_evaluation")
    op.drop_table("talent_quality_form")
    with op.batch_alter_table("talent_enrolment_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_enrolment_request_session_id"))
        batch_op.drop_index(batch_op.f("ix_talent_enrolment_request_agent_id"))
    op.drop_table("talent_enrolment_request")
    op.drop_table("talent_development_plan")
    with op.batch_alter_table("talent_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_application_vacancy_id"))
        batch_op.drop_index(batch_op.f("ix_talent_application_agent_id"))
    op.drop_table("talent_application")
    op.drop_table("talent_vacancy")
    op.drop_table("talent_departure")
