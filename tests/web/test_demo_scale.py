"""The demo's scale option (used by bench/load.py): the teams grow to the asked headcount; the default
demo stays as it was."""

from sqlalchemy import func, select

from wfm.demo import organisation
from wfm.models import Agent, AgentStatus, Team


def test_team_sizes_add_up_and_default_is_the_demo():
    assert organisation.team_sizes(None) == [size for _, size, _, _ in organisation.TEAMS]
    for total in (12, 61, 200, 1000):
        sizes = organisation.team_sizes(total)
        assert sum(sizes) == total
        assert all(s > 0 for s in sizes)


def test_scaled_demo_has_that_many_agents_in_the_same_teams(db_session):
    organisation.load(organisation.TEL_AVIV, agent_count=200)
    db_session.commit()
    in_teams = db_session.scalars(select(Team.name)).all()
    assert sorted(in_teams) == sorted(
        [*(name for name, *_ in organisation.TEAMS), organisation.FLOOR_TEAM[0]]
    )
    hired = db_session.scalar(
        select(func.count()).select_from(Agent).where(Agent.status == AgentStatus.ACTIVE)
    )
    assert hired == 200
