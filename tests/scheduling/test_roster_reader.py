"""The Curtois & Qu reader and the SOLUTION.csv writer, on a small hand-made instance."""

from pathlib import Path

import pytest

from scheduling.roster import RosterInputError, parse_curtois, read_curtois, read_solution, write_solution

FIXTURE = Path(__file__).parent / "fixtures" / "roster" / "tiny.txt"


def test_reads_every_section_of_the_hand_made_instance():
    problem = read_curtois(FIXTURE)
    assert problem.horizon == 7
    assert problem.shift_ids == ("E", "L")
    assert problem.shift("E").cannot_follow == frozenset()
    assert problem.shift("L").cannot_follow == frozenset({"E"})
    assert problem.shift("L").minutes == 480
    staff = {p.id: p for p in problem.staff}
    assert list(staff) == ["A", "B", "C"]
    b = staff["B"]
    assert dict(b.max_shifts) == {"E": 7, "L": 0}
    assert (b.max_minutes, b.min_minutes) == (2400, 960)
    assert (b.max_consecutive, b.min_consecutive, b.min_days_off, b.max_weekends) == (3, 2, 2, 1)
    assert b.days_off == frozenset({0})
    assert staff["C"].days_off == frozenset({6})
    on = [(r.employee, r.day, r.shift, r.weight) for r in problem.requests if r.on]
    off = [(r.employee, r.day, r.shift, r.weight) for r in problem.requests if not r.on]
    assert on == [("A", 0, "E", 2), ("C", 2, "L", 3)]
    assert off == [("B", 5, "E", 1)]
    assert len(problem.cover) == 14
    last_saturday_late = next(c for c in problem.cover if (c.day, c.shift) == (5, "L"))
    assert (
        last_saturday_late.requirement,
        last_saturday_late.under_weight,
        last_saturday_late.over_weight,
    ) == (0, 100, 5)
    assert problem.weekends() == [(5, 6)]


def test_reads_the_published_instances():
    from tests.reference_data import ROSTERING_BENCHMARK

    problem = read_curtois(ROSTERING_BENCHMARK / "Instance10.txt")
    assert (problem.horizon, len(problem.staff), len(problem.shifts)) == (28, 40, 5)
    assert problem.shift("N").cannot_follow == frozenset({"E", "d1", "d2", "L"})


def _broken(line_number: int, old: str, new: str) -> str:
    lines = FIXTURE.read_text().splitlines()
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("line", "old", "new", "field"),
    [
        (13, "A,E=7|L=7,2400", "A,E=7|L=7,24x0", "MaxTotalMinutes"),
        (13, "E=7|L=7", "E=7|Q=7", "MaxShifts"),
        (19, "A,3", "Z,3", "EmployeeID"),
        (25, "A,0,E,2", "A,0,X,2", "ShiftID"),
        (34, "0,E,1,100,1", "0,E,1,100", "Day, ShiftID"),
        (34, "0,E,1,100,1", "9,E,1,100,1", "Day"),
        (9, "L,480,E", "L,480,Q", "cannot_follow"),
    ],
)
def test_bad_input_names_file_line_and_field(line, old, new, field):
    with pytest.raises(RosterInputError) as error:
        parse_curtois(_broken(line, old, new), source="tiny.txt")
    message = str(error.value)
    assert f"tiny.txt, line {line}, field {field}" in message


def test_missing_file_and_missing_section_are_named(tmp_path):
    with pytest.raises(RosterInputError, match=r"nope\.txt"):
        read_curtois(tmp_path / "nope.txt")
    with pytest.raises(RosterInputError, match="SECTION_STAFF"):
        parse_curtois("SECTION_HORIZON\n7\nSECTION_SHIFTS\nD,480,\n", source="x.txt")


def test_solution_csv_round_trips(tmp_path):
    problem = read_curtois(FIXTURE)
    roster = {"A": ("E", "E", None, None, None, "L", "L"), "B": (None,) * 7, "C": ("L",) + (None,) * 6}
    path = tmp_path / "SOLUTION.csv"
    write_solution(roster, path)
    lines = path.read_text().splitlines()
    assert lines[0] == "employee,day,shift"
    assert lines[1:] == ["A,0,E", "A,1,E", "A,5,L", "A,6,L", "C,0,L"]
    assert read_solution(path, problem) == roster
