"""KPI trends: the last span against the span before, and week by week, averaged from the days given."""

import datetime as dt

from training.kpis import KpiDay, trends, weekly

LAST = dt.date(2026, 3, 31)


def day(back: int, handle: float, fcr: float, csat: float) -> KpiDay:
    return KpiDay("A1", LAST - dt.timedelta(days=back), handle, fcr, csat)


def test_a_trend_compares_the_last_span_with_the_one_before_and_says_which_way_is_better():
    days = [
        day(0, 300, 70, 90),
        day(29, 320, 80, 90),
        day(30, 280, 60, 80),
        day(59, 300, 70, 84),
        day(60, 1, 1, 1),
    ]
    got = {t.kpi: t for t in trends(days, LAST)}
    assert (got["handle_seconds"].now, got["handle_seconds"].before) == (310, 290)
    assert got["handle_seconds"].better is False  # longer calls
    assert (got["fcr"].now, got["fcr"].before, got["fcr"].better) == (75, 65, True)
    assert (got["csat"].now, got["csat"].before, got["csat"].better) == (90, 82, True)
    only_recent = {t.kpi: t for t in trends(days[:2], LAST)}
    assert only_recent["fcr"].before is None
    assert only_recent["fcr"].better is None


def test_weeks_run_oldest_first_and_each_averages_its_own_seven_days():
    days = [day(back, 200 + back, 70, 80) for back in range(0, 21, 2)]
    weeks = weekly(days, LAST, weeks=4)
    assert [first for first, _n, _f in weeks] == [LAST - dt.timedelta(days=6 + 7 * k) for k in (3, 2, 1, 0)]
    for first, n, figures in weeks:
        inside = [d for d in days if first <= d.day <= first + dt.timedelta(days=6)]
        assert n == len(inside)
        handle = {f.kpi: f for f in figures}["handle_seconds"].value
        assert handle == (round(sum(d.handle_seconds for d in inside) / len(inside), 1) if inside else None)
