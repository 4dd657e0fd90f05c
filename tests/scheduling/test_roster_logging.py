"""A roster solve says in the log why it ended where it did: the phases its size chose, the construction,
and how it ended (status, objective, bound), on the engine's own loggers (no prints)."""

import logging
from pathlib import Path

from scheduling.roster import read_curtois, solve_roster

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def test_a_solve_logs_its_regime_its_construction_and_how_it_ended(caplog, capsys):
    problem = read_curtois(FIXTURE)
    with caplog.at_level(logging.INFO, logger="scheduling.roster"):
        result = solve_roster(problem, time_limit=5, workers=1)
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("scheduling.roster")]
    assert any(m.startswith("Regime tiny for ") for m in messages), messages
    assert any(m.startswith("Construction: roster ") for m in messages), messages
    ended = [m for m in messages if m.startswith("Roster solve ended ")]
    assert len(ended) == 1
    assert ended[0].startswith(f"Roster solve ended {result.status}: objective {result.objective:g}")
    assert capsys.readouterr().out == ""  # nothing printed
