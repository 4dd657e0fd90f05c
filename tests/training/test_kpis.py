"""KPI files are validated by line and column; the scorecard averages against targets."""

import datetime as dt

import pytest

from training.kpis import KpiDay, KpiError, read_csv, scorecard

HEAD = "employee_number,day,handle_seconds,fcr,csat\n"


def test_a_good_file_reads_every_line():
    rows = read_csv(HEAD + "A001,2026-03-02,280,80,90\nA002,2026-03-02,340,70,82\n")
    assert rows[1] == KpiDay("A002", dt.date(2026, 3, 2), 340, 70, 82)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("A001,2026-13-02,280,80,90\n", "Line 2: the day"),
        ("A001,2026-03-02,280,80,90\nA001,2026-03-02,280,80,90\n", "Line 3: a second line"),
        ("A001,2026-03-02,280,180,90\n", "first-contact resolution (%) must be between 0 and 100"),
        ("A001,2026-03-02,fast,80,90\n", "must be a number"),
    ],
)
def test_the_first_bad_line_refuses_the_file(body, words):
    with pytest.raises(KpiError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_csv(HEAD + body)
    with pytest.raises(KpiError, match="missing: csat"):
        read_csv("employee_number,day,handle_seconds,fcr\n")


def test_scorecard_averages_against_targets():
    days = [KpiDay("A1", dt.date(2026, 3, d), h, f, c) for d, h, f, c in ((1, 280, 80, 90), (2, 340, 70, 70))]
    figures = {f.kpi: f for f in scorecard(days)}
    assert figures["handle_seconds"].value == 310
    assert figures["handle_seconds"].met is False  # above the 300-second target
    assert figures["fcr"].value == 75
    assert figures["fcr"].met is True
    assert figures["csat"].met is False
    assert all(f.value is None for f in scorecard([]))
