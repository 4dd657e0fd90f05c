"""The talent pool's engine: turnover split into lost to the bank and placed in it, placements per year,
the candidates for a vacancy (eligible, or one requirement short), and who may take each application step."""

import dataclasses
import datetime as dt
import random

import pytest

from tests.training.test_eligibility import ON, wealth_manager
from training.attrition import Employment, grouped, tenure_band, turnover, turnover_by
from training.defaults import default_catalogue
from training.mobility import APPLICATION, LEFT, MOVED, Exit, candidates, placements_per_year
from training.records import LevelHeld
from training.workflow import Actor, NotAllowed, WorkflowError

D = dt.date
CAT = default_catalogue()
NOW = dt.datetime(2026, 3, 15, 9, 0)


def _people(seed: int) -> list[Employment]:
    rng = random.Random(seed)
    people = []
    for n in range(60):
        hire = D(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 1200))
        leaving = None
        if rng.random() < 0.5:
            leaving = hire + dt.timedelta(days=rng.randint(0, 700))
        people.append(
            Employment(hire, leaving, f"team {n % 3}", moved=leaving is not None and rng.random() < 0.4)
        )
    return people


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_turnover_splits_leavers_into_lost_and_placed(seed):
    people = _people(seed)
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    t = turnover(people, start, end)
    in_period = [p for p in people if p.leaving_date and start <= p.leaving_date <= end]
    placed = [p for p in in_period if p.moved]
    assert t.leavers == len(in_period)
    assert t.placed == len(placed)
    assert t.lost == len(in_period) - len(placed)
    assert t.placed > 0  # the seeds give both, so the split is really tested
    assert t.lost > 0
    assert t.lost_rate == pytest.approx(t.lost / t.average_headcount)
    assert t.lost_rate < t.rate
    by_team = turnover_by(people, start, end)
    assert sum(x.placed for x in by_team.values()) == len(placed)
    banded = grouped(people, lambda p: tenure_band(p.hire_date, p.leaving_date or end))
    assert sum(x.placed for x in turnover_by(banded, start, end).values()) == len(placed)


def test_placements_per_year_counts_moves_only_and_every_year_asked():
    exits = [
        Exit("1", D(2024, 3, 1), MOVED, department="branch_network", role="Teller"),
        Exit("2", D(2024, 12, 31), MOVED, department="risk", role="Analyst"),
        Exit("3", D(2024, 6, 1), LEFT, reason="pay", voluntary=True, regretted=True),
        Exit("4", D(2025, 1, 1), MOVED, department="it", role="Developer"),
    ]
    counts = placements_per_year(exits, [2023, 2024, 2025])
    independent = {
        y: len([e for e in exits if e.kind == MOVED and e.on.year == y]) for y in (2023, 2024, 2025)
    }
    assert counts == independent == {2023: 0, 2024: 2, 2025: 1}


def test_an_exit_needs_a_coded_reason_or_a_department():
    with pytest.raises(ValueError, match="reason"):
        Exit("1", D(2024, 3, 1), LEFT, reason="bored")
    with pytest.raises(ValueError, match="department"):
        Exit("1", D(2024, 3, 1), MOVED)


def test_vacancy_candidates_eligible_nearly_and_not():
    ready = wealth_manager()
    one_short = wealth_manager(agent_id="short", quality_score=70)
    two_short = wealth_manager(agent_id="two", quality_score=70, certifications=())
    already = wealth_manager(
        agent_id="there", levels=(*ready.levels, LevelHeld("wealth_manager", 2, D(2025, 12, 1)))
    )
    gone = wealth_manager(agent_id="gone", leaving_date=D(2026, 1, 31))
    eligible, nearly = candidates([ready, one_short, two_short, already, gone], "wealth_manager", 2, ON, CAT)
    assert [c.agent_id for c in eligible] == ["a7"]
    assert [c.agent_id for c in nearly] == ["short"]
    assert len(nearly[0].missing) == 1
    assert "quality" in nearly[0].missing[0]


HR = Actor("hr", frozenset({"hr"}))
ME = Actor("ann", frozenset({"agent"}), agent_id="7")
OTHER = Actor("bob", frozenset({"agent"}), agent_id="8")


def test_application_steps_and_who_may_take_them():
    assert APPLICATION.transition("a", None, "applied", ME, NOW, owner="7").to_state == "applied"
    with pytest.raises(NotAllowed):
        APPLICATION.transition("a", None, "applied", OTHER, NOW, owner="7")
    with pytest.raises(NotAllowed):
        APPLICATION.transition("a", "applied", "shortlisted", ME, NOW, owner="7")
    assert APPLICATION.transition("a", "applied", "shortlisted", HR, NOW, owner="7").role == "hr"
    assert APPLICATION.transition("a", "shortlisted", "offered", HR, NOW, owner="7").role == "hr"
    with pytest.raises(NotAllowed):
        APPLICATION.transition("a", "offered", "accepted", HR, NOW, owner="7")
    with pytest.raises(NotAllowed):
        APPLICATION.transition("a", "offered", "accepted", OTHER, NOW, owner="7")
    assert APPLICATION.transition("a", "offered", "accepted", ME, NOW, owner="7").role == "agent"
    with pytest.raises(WorkflowError, match="final"):
        APPLICATION.transition("a", "accepted", "withdrawn", ME, NOW, owner="7")
    with pytest.raises(WorkflowError, match="note"):
        APPLICATION.transition("a", "applied", "not taken", HR, NOW, owner="7")
    assert (
        dataclasses.asdict(APPLICATION.transition("a", "applied", "withdrawn", ME, NOW, owner="7"))[
            "to_state"
        ]
        == "withdrawn"
    )
