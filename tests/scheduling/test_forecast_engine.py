"""The engine around the methods: holidays, special days, short histories, bounds, handle time, auto."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scheduling.forecast import BACKTEST_COLUMNS, METHOD_NAMES, ForecastOptions, SpecialDay, forecast
from scheduling.history import history_from_frame
from tests.scheduling.fixtures.forecast.synthetic import make_history, pattern


def days_with_rows(frame: pd.DataFrame) -> set[date]:
    return set(frame["interval_start"].dt.date)


def test_holiday_closed_in_history_is_forecast_closed():
    # US holidays were closed in the history (zero volume); Independence Day 2025 is a Friday.
    import holidays

    past = [
        d.isoformat()
        for d in holidays.country_holidays("US", years=[2024, 2025])
        if date(2024, 6, 1) <= d <= date(2025, 6, 29)
    ]
    history = make_history("2024-06-01", "2025-06-29", closed_days=tuple(past))
    result = forecast(
        history, date(2025, 6, 30), 7, ForecastOptions(method="top_down", country="US", origins=0)
    )
    assert days_with_rows(result.frame) == {date(2025, 6, d) for d in (30,)} | {
        date(2025, 7, d) for d in (1, 2, 3, 5)
    }
    assert any("Independence Day: closed" in note for note in result.notes)
    # without the country, the Friday is an ordinary Friday
    plain = forecast(history, date(2025, 6, 30), 7, ForecastOptions(method="top_down", origins=0))
    assert date(2025, 7, 4) in days_with_rows(plain.frame)


def test_holiday_with_no_past_holiday_is_like_the_quietest_weekday():
    # No US holiday between March and mid-May; Memorial Day (Monday 27 May) follows the quietest
    # weekday, Sunday, which is closed.
    history = make_history("2024-03-04", "2024-05-19")
    result = forecast(history, date(2024, 5, 27), 7, ForecastOptions(method="weighted_average", country="US"))
    assert date(2024, 5, 27) not in days_with_rows(result.frame)
    assert date(2024, 5, 28) in days_with_rows(result.frame)


def test_special_days_uplift_like_another_date_and_closed():
    history = make_history("2024-01-01", "2024-02-25")
    specials = (
        SpecialDay(date(2024, 2, 27), uplift=1.5),  # Tuesday +50%
        SpecialDay(date(2024, 2, 28), like=date(2024, 2, 24)),  # Wednesday like a Saturday
        SpecialDay(date(2024, 2, 29), closed=True),
    )
    result = forecast(
        history,
        date(2024, 2, 26),
        7,
        ForecastOptions(method="slot_average", special_days=specials, origins=0),
    )
    got = result.frame.set_index("interval_start")["forecast"]
    assert got[pd.Timestamp("2024-02-27 12:00")] == pytest.approx(1.5 * pattern(1, 12))
    assert got[pd.Timestamp("2024-02-28 12:00")] == pytest.approx(pattern(5, 12))
    assert date(2024, 2, 29) not in days_with_rows(result.frame)
    assert got[pd.Timestamp("2024-02-26 12:00")] == pytest.approx(pattern(0, 12))
    with pytest.raises(ValueError, match="like"):
        SpecialDay(date(2024, 2, 27), like=date(2024, 3, 1))


def test_short_history_falls_back_and_says_so():
    history = make_history("2024-01-01", "2024-01-10")  # ten days: every weekday seen once or twice
    result = forecast(history, date(2024, 1, 11), 7)
    assert result.methods == {"q": "weighted_average"}
    assert any("too short to backtest" in note for note in result.notes)
    assert len(result.frame) == 6 * 10
    tiny = make_history("2024-01-01", "2024-01-03")  # Monday to Wednesday only
    result = forecast(tiny, date(2024, 1, 4), 4, ForecastOptions(method="seasonal_naive"))
    assert any("short history" in note for note in result.notes)
    assert days_with_rows(result.frame) == {date(2024, 1, d) for d in (4, 5, 6, 7)}


def test_auto_backtests_every_method_and_picks_the_best():
    history = make_history("2024-01-01", "2024-04-28", poisson=True, seed=11)
    result = forecast(history, date(2024, 4, 29), 7, ForecastOptions(origins=3))
    table = result.backtest
    assert list(table.columns) == list(BACKTEST_COLUMNS)
    assert set(table["method"]) == set(METHOD_NAMES)
    assert (table["origins"] == 3).all()
    best = table.loc[table["wmape"].idxmin(), "method"]
    assert result.methods["q"] == best == table.loc[table["chosen"], "method"].item()
    assert (table["floor"] > 0).all()
    assert (table["wmape"] >= table["floor"] * 0.8).all()


def test_bounds_cover_about_the_requested_share():
    history = make_history("2024-01-01", "2024-06-30", poisson=True, seed=7)
    result = forecast(history, date(2024, 7, 1), 28, ForecastOptions(method="top_down", coverage=0.9))
    actual = make_history("2024-01-01", "2024-07-28", poisson=True, seed=99).frame.set_index("interval_start")
    y = actual["offered"].reindex(result.frame["interval_start"]).to_numpy()
    inside = (y >= result.frame["lower"].to_numpy()) & (y <= result.frame["upper"].to_numpy())
    assert 0.85 <= inside.mean() <= 0.99
    assert (result.frame["lower"] <= result.frame["forecast"]).all()
    assert (result.frame["forecast"] <= result.frame["upper"]).all()


def test_handle_time_forecast_and_absence():
    history = make_history("2024-01-01", "2024-02-25", aht=240.0)
    result = forecast(history, date(2024, 2, 26), 7, ForecastOptions(method="top_down", origins=0))
    np.testing.assert_allclose(result.frame["aht_seconds"], 240.0)
    plain = forecast(
        make_history("2024-01-01", "2024-02-25"),
        date(2024, 2, 26),
        7,
        ForecastOptions(method="top_down", origins=0),
    )
    assert plain.frame["aht_seconds"].isna().all()


def test_start_inside_history_uses_only_what_came_before():
    full = make_history("2024-01-01", "2024-03-31", poisson=True, seed=2)
    cut = history_from_frame(full.frame[full.frame["interval_start"] < "2024-03-04"], interval_minutes=60)
    options = ForecastOptions(method="auto", origins=2)
    a = forecast(full, date(2024, 3, 4), 7, options)
    b = forecast(cut, date(2024, 3, 4), 7, options)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.methods == b.methods


def test_bad_options_name_the_field():
    history = make_history("2024-01-01", "2024-01-28")
    for options, field in (
        (ForecastOptions(method="magic"), "method"),
        (ForecastOptions(country="XX"), "country"),
        (ForecastOptions(coverage=1.5), "coverage"),
    ):
        with pytest.raises(ValueError, match=field):
            forecast(history, date(2024, 2, 1), 7, options)
    with pytest.raises(ValueError, match="start"):
        forecast(history, date(2023, 12, 1), 7)


def test_an_unlisted_outage_day_is_kept_out_of_learning():
    # A Tuesday with no calls (not a holiday anywhere) would pull the plain average to 7/8 of the pattern.
    history = make_history("2024-01-01", "2024-02-25", closed_days=("2024-02-13",))
    result = forecast(history, date(2024, 2, 26), 7, ForecastOptions(method="slot_average", origins=0))
    got = result.frame.set_index("interval_start")["forecast"]
    assert got[pd.Timestamp("2024-02-27 12:00")] == pytest.approx(pattern(1, 12))


def test_a_quiet_queue_keeps_its_busier_days():
    # 1 call a day on weekdays and, every other Wednesday, 4: ratios of 4 but well within Poisson noise.
    def rate(weekday: int, hour: int) -> float:
        return 1.0 if weekday < 5 and hour == 10 else 0.0

    frame = make_history("2024-01-01", "2024-02-25", rate=rate).frame.copy()
    wednesdays = (frame["interval_start"].dt.day_of_week == 2) & (frame["interval_start"].dt.hour == 10)
    busy = wednesdays & (frame["interval_start"].dt.isocalendar().week.to_numpy() % 2 == 0)
    frame.loc[busy, "offered"] = 4.0
    history = history_from_frame(frame, interval_minutes=60)
    result = forecast(history, date(2024, 2, 26), 7, ForecastOptions(method="slot_average", origins=0))
    got = result.frame.set_index("interval_start")["forecast"]
    assert got[pd.Timestamp("2024-02-28 10:00")] == pytest.approx(2.5)  # (4 x 4 + 4 x 1) / 8


def test_days_absent_from_the_file_are_closed_days():
    # A file listing only open intervals: no rows at all on Sundays.
    full = make_history("2024-01-01", "2024-02-25")
    frame = full.frame[full.frame["offered"] > 0]
    history = history_from_frame(frame, interval_minutes=60)
    result = forecast(history, date(2024, 2, 26), 7)
    assert days_with_rows(result.frame) == {date(2024, 2, d) for d in range(26, 30)} | {
        date(2024, 3, 1),
        date(2024, 3, 2),
    }
    assert len(result.frame) == 6 * 10
