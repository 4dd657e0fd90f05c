"""`wfm demo replay-day`: a real day of calls and generated agent states go in through the operations the
API uses, so the day's actuals and adherence exist afterwards; `wfm demo` itself is unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.hand_roster import START, make_published
from wfm.cli import main
from wfm.models import AdherenceDay, AgentStateEvent, QueueActual


@pytest.mark.slow
def test_a_replayed_morning_leaves_actuals_states_and_adherence(app, demo, db_session):
    make_published(db_session)
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["demo", "replay-day", "--day", str(START), "--instant", "--until", "10:00"])
    assert result.exit_code == 0, result.output
    actuals = db_session.scalars(select(QueueActual)).all()
    assert actuals
    assert all(a.interval_start.date() == START and a.interval_start.hour < 10 for a in actuals)
    assert all(a.answered + a.abandoned == a.offered for a in actuals)
    events = db_session.scalar(select(func.count()).select_from(AgentStateEvent))
    assert events > 0
    assert (
        db_session.scalar(select(func.count()).select_from(AdherenceDay)) >= 2
    )  # A001 and A003 work mornings
    again = runner.invoke(main, ["demo", "replay-day", "--day", str(START), "--instant", "--until", "10:00"])
    assert again.exit_code == 0, again.output
    assert db_session.scalar(select(func.count()).select_from(AgentStateEvent)) == events  # repeats ignored
    assert len(db_session.scalars(select(QueueActual)).all()) == len(actuals)  # replaced, not doubled


def test_wfm_demo_still_refuses_a_database_that_holds_data(app, demo):
    refused = app.test_cli_runner().invoke(main, ["demo"])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
