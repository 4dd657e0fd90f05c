"""Schemathesis against the app's own OpenAPI document: generated calls to every operation, as a
scheduler, an administrator and an agent, must never meet a server error and every answer must match the
documented status codes, content type and response schema.

One test per database walks all operations with `operation.as_strategy()`, so the demo centre and a
forecast with its requirement are built once, and the number of examples per operation is bounded
(`EXAMPLES`), which keeps the run to a minute or two.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from tests.web.api_support import build_pipeline, make_token
from wfm.models import Agent, Skill, TrainingSession, User

EXAMPLES = int(os.environ.get("WFM_API_EXAMPLES", "12"))  # per operation; raise it for a deeper run
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _known_ids(db_session, made: dict) -> dict[str, list[int]]:
    """Ids that exist, per path parameter: generated cases use them half of the time, so detail answers
    are checked with real content and not only as 404s."""
    from wfm.careers.store import seed_catalogue
    from wfm.models.careers import CareerCourse, Enrolment

    seed_catalogue()
    me = db_session.scalar(select(User).where(User.username == "agent"))
    session = TrainingSession(
        course=db_session.scalar(select(CareerCourse.code).limit(1)),
        site_id=made["site_id"],
        day=made["start"],
        start_minute=540,
        end_minute=600,
        capacity=5,
    )
    db_session.add(session)
    db_session.flush()
    db_session.add(Enrolment(session_id=session.id, agent_id=me.agent_id))
    db_session.commit()
    return {
        "site_id": [made["site_id"]],
        "queue_id": [made["queue_id"]],
        "skill_id": [db_session.scalar(select(Skill.id).limit(1))],
        "agent_id": [
            me.agent_id,
            db_session.scalar(select(Agent.id).where(Agent.id != me.agent_id).limit(1)),
        ],
        "forecast_id": [made["forecast_id"]],
        "requirement_id": [made["requirement_id"]],
        "plan_id": [made["plan_id"]],
        "roster_id": [made["roster_id"]],
        "job_id": [made["job_id"]],
        "number": [made["number"]],
        "session_id": [session.id],
    }


@pytest.mark.slow
@pytest.mark.postgres
def test_no_server_error_and_answers_match_the_document(app, demo, db_session):
    secrets = {name: make_token(db_session, name) for name in ("scheduler", "admin", "agent")}
    made = build_pipeline(app, db_session, secrets["scheduler"])
    known = _known_ids(db_session, made)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35
    failures: list[str] = []
    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        existing = (
            st.fixed_dictionaries({n: st.sampled_from(known[n]) for n in names}) if names else st.just({})
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=operation.as_strategy(),
            role=st.sampled_from(sorted(secrets)),
            use_known=st.booleans(),
            ids=existing,
        )
        def call(case, role, use_known, ids):
            if use_known and ids:
                case.path_parameters = {**(case.path_parameters or {}), **ids}
            case.call_and_validate(headers={"Authorization": f"Bearer {secrets[role]}"}, checks=CHECKS)

        try:
            call()
        except Exception as failure:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n\n".join(failures)
