"""The re-forecast of the rest of the day: the update's arithmetic by hand, what it learns from days
whose level carries (and from days whose mornings say nothing), and the command line's output."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scheduling.forecast import FORECAST_COLUMNS
from scheduling.forecast.calendar import Calendar, SpecialDay
from scheduling.forecast.reforecast import MIN_SPECIAL_DAYS, Carry, reforecast
from scheduling.history import history_from_frame
from wfm.commands.reforecast import command as reforecast_command

MINUTES = 30
OPEN, CLOSE = 8 * 60, 20 * 60
SLOTS = np.arange(OPEN, CLOSE, MINUTES)
PROFILE = 1 + np.sin(np.linspace(0, np.pi, len(SLOTS)))  # busier at midday
FIRST = dt.date(2025, 1, 5)


def test_the_update_by_hand():
    actual, forecast = np.array([10.0, 10.0]), np.array([5.0, 5.0])
    assert Carry(1.0, 0.0).ratio(actual, forecast, MINUTES) == pytest.approx(2.0)
    # half the surprise, with a prior of 10 contacts: 1 + 0.5 * (20 - 10) / (10 + 10)
    assert Carry(0.5, 10.0).ratio(actual, forecast, MINUTES) == pytest.approx(1.25)
    # a half-life of one interval (30 min): weights 0.5 and 1 -> 1 + (2.5 + 30 - 2.5 - 5) / (2.5 + 5)
    late_burst = np.array([5.0, 30.0])
    assert Carry(1.0, 0.0, 0.5).ratio(late_burst, forecast, MINUTES) == pytest.approx(1 + 25 / 7.5)
    assert Carry(0.0).ratio(actual, forecast, MINUTES) == 1.0
    assert Carry(1.0, 0.0, bounds=(0.8, 1.5)).ratio(actual, forecast, MINUTES) == 1.5


def synthetic(days: int, level_cv: float, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Poisson counts around 40 contacts an interval x profile, times a level per day (gamma, mean 1)."""
    rng = np.random.default_rng(seed)
    shape = 1 / level_cv**2 if level_cv else None
    levels = rng.gamma(shape, 1 / shape, days) if shape else np.ones(days)
    rows = []
    for d in range(days):
        day = pd.Timestamp(FIRST + dt.timedelta(days=d))
        counts = rng.poisson(40 * PROFILE * levels[d])
        for slot, count in zip(SLOTS, counts, strict=True):
            rows.append((day + pd.Timedelta(minutes=int(slot)), "q", float(count)))
    frame = pd.DataFrame(rows, columns=["interval_start", "queue", "offered"])
    return frame, levels


def day_forecast(day: dt.date) -> pd.DataFrame:
    starts = [pd.Timestamp(day) + pd.Timedelta(minutes=int(s)) for s in SLOTS]
    rate = 40 * PROFILE
    return pd.DataFrame(
        {
            "interval_start": starts,
            "queue": "q",
            "forecast": rate,
            "lower": rate * 0.8,
            "upper": rate * 1.2,
            "aht_seconds": 200.0,
        }
    )


def afternoon_errors(frame: pd.DataFrame, test_days: range) -> tuple[float, float, list[Carry]]:
    """Pooled afternoon |error| of the re-forecast made at noon and of the forecast, over test days."""
    again = kept = 0.0
    carries = []
    for d in test_days:
        day = FIRST + dt.timedelta(days=d)
        now = dt.datetime.combine(day, dt.time(12, 0))
        known = history_from_frame(frame[frame["interval_start"] < now], interval_minutes=MINUTES)
        result = reforecast(known, day_forecast(day), now)
        carries.append(result.carries["q"])
        truth = frame[(frame["interval_start"] >= now) & (frame["interval_start"].dt.date == day)]
        y = truth["offered"].to_numpy()
        again += np.abs(result.frame["forecast"].to_numpy() - y).sum()
        kept += np.abs(day_forecast(day)["forecast"].to_numpy()[len(SLOTS) - len(y) :] - y).sum()
    return again, kept, carries


def test_a_level_that_carries_through_the_day_is_learned_and_beats_the_forecast():
    frame, _levels = synthetic(days=84, level_cv=0.25, seed=3)
    again, kept, carries = afternoon_errors(frame, range(74, 84))
    assert all(c.carry >= 0.5 for c in carries)
    assert again < 0.8 * kept


def test_mornings_that_say_nothing_leave_the_forecast_nearly_alone():
    frame, _levels = synthetic(days=84, level_cv=0.0, seed=4)
    again, kept, carries = afternoon_errors(frame, range(74, 84))
    ratios = [c.ratio(np.array([1.0]), np.array([1.0]), MINUTES) for c in carries]
    assert ratios == [1.0] * len(ratios)  # no surprise, no change: sanity
    assert again < 1.05 * kept  # whatever it learned from noise costs little


SPECIAL_ROWS = (31, 38, 45, 52, 59, 66, 73)  # past special days (after the four weeks learning needs)
TODAY_ROW = 83


def with_special_days(frame: pd.DataFrame, rows: tuple[int, ...], surprise: str, seed: int) -> pd.DataFrame:
    """Special days on ``rows``: a morning rush (twice the volume before noon, an ordinary afternoon) that
    does not carry, or ("level") a level of their own (1.4 to 2x) all day long, that does."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    start = out["interval_start"]
    slot = ((start - start.dt.normalize()).dt.total_seconds() // 60 - OPEN).to_numpy() // MINUTES
    rate = 40 * PROFILE[slot.astype(int)]
    for row in rows:
        on_day = (start.dt.date == FIRST + dt.timedelta(days=row)).to_numpy()
        if surprise == "rush":
            factor = np.where(start.dt.hour.to_numpy() < 12, 2.0, 1.0)
        else:
            factor = np.full(len(out), rng.uniform(1.4, 2.0))
        out.loc[on_day, "offered"] = rng.poisson(rate[on_day] * factor[on_day]).astype(float)
    return out


def special_calendar(rows: tuple[int, ...]) -> Calendar:
    days = [FIRST + dt.timedelta(days=r) for r in rows]
    return Calendar(special={d: SpecialDay(d) for d in days})


def noon_reforecast(frame: pd.DataFrame, calendar: Calendar | None):
    day = FIRST + dt.timedelta(days=TODAY_ROW)
    now = dt.datetime.combine(day, dt.time(12, 0))
    known = history_from_frame(frame[frame["interval_start"] < now], interval_minutes=MINUTES)
    return reforecast(known, day_forecast(day), now, calendar=calendar)


def test_a_special_day_whose_past_morning_rushes_did_not_carry_keeps_the_forecast():
    ordinary, _levels = synthetic(days=TODAY_ROW + 1, level_cv=0.25, seed=6)
    frame = with_special_days(ordinary, (*SPECIAL_ROWS, TODAY_ROW), "rush", seed=7)
    result = noon_reforecast(frame, special_calendar((*SPECIAL_ROWS, TODAY_ROW)))
    # learned from the past special days: their doubled mornings said nothing of the afternoon, so
    # today's doubled morning does not raise it (the carry learned is nil or small and held within the
    # afternoon ratios those days saw)
    assert result.ratios["q"] <= 1.05
    chosen = result.backtest[result.backtest["chosen"]]
    assert chosen["days"].tolist() == [len(SPECIAL_ROWS)]
    kept = result.backtest[result.backtest["carry"] == 0]
    assert chosen["wmape"].iloc[0] <= kept["wmape"].iloc[0]
    expected = day_forecast(FIRST + dt.timedelta(days=TODAY_ROW))
    expected = expected[expected["interval_start"].dt.hour >= 12]["forecast"].to_numpy()
    assert result.frame["forecast"].to_numpy() == pytest.approx(expected * result.ratios["q"])
    # without the calendar the same morning is taken for an ordinary day's level, and moves the afternoon
    assert noon_reforecast(frame, None).ratios["q"] > 1.3


def test_a_special_day_learns_a_carry_from_past_special_days_whose_level_did_carry():
    ordinary, _levels = synthetic(days=TODAY_ROW + 1, level_cv=0.0, seed=8)
    frame = with_special_days(ordinary, (*SPECIAL_ROWS, TODAY_ROW), "level", seed=9)
    result = noon_reforecast(frame, special_calendar((*SPECIAL_ROWS, TODAY_ROW)))
    assert result.carries["q"].carry >= 0.5
    day = FIRST + dt.timedelta(days=TODAY_ROW)
    truth = frame[(frame["interval_start"].dt.date == day) & (frame["interval_start"].dt.hour >= 12)]
    kept = day_forecast(day)
    kept = kept[kept["interval_start"].dt.hour >= 12]["forecast"].to_numpy()
    y = truth["offered"].to_numpy()
    assert np.abs(result.frame["forecast"].to_numpy() - y).sum() < 0.6 * np.abs(kept - y).sum()


def test_a_special_day_with_too_few_past_ones_keeps_the_forecast_and_says_why():
    ordinary, _levels = synthetic(days=TODAY_ROW + 1, level_cv=0.25, seed=10)
    rows = (*SPECIAL_ROWS[: MIN_SPECIAL_DAYS - 1], TODAY_ROW)
    frame = with_special_days(ordinary, rows, "level", seed=11)
    result = noon_reforecast(frame, special_calendar(rows))
    assert result.carries["q"].carry == 0
    assert result.ratios["q"] == 1.0
    assert any("the forecast is kept" in note and "special day" in note for note in result.notes)


def test_the_output_covers_every_interval_from_now_to_the_end_of_the_day_and_ignores_later_rows():
    frame, _levels = synthetic(days=40, level_cv=0.2, seed=5)
    day = FIRST + dt.timedelta(days=39)
    now = dt.datetime.combine(day, dt.time(13, 10))  # inside the 13:00 interval
    history = history_from_frame(frame, interval_minutes=MINUTES)  # holds the whole day
    result = reforecast(history, day_forecast(day), now)
    starts = result.frame["interval_start"]
    assert list(result.frame.columns) == list(FORECAST_COLUMNS)
    assert starts.min() == pd.Timestamp(dt.datetime.combine(day, dt.time(13, 0)))
    assert len(result.frame) == len([s for s in SLOTS if s >= 13 * 60])
    trimmed = history_from_frame(frame[frame["interval_start"] < pd.Timestamp(now)], interval_minutes=MINUTES)
    same = reforecast(trimmed, day_forecast(day), now)
    pd.testing.assert_frame_equal(result.frame.reset_index(drop=True), same.frame.reset_index(drop=True))
    ratio = result.ratios["q"]
    expected = day_forecast(day).set_index("interval_start").loc[starts, "forecast"].to_numpy() * ratio
    assert result.frame["forecast"].to_numpy() == pytest.approx(expected)


def test_the_command_writes_the_forecast_columns_and_names_a_bad_forecast_file(tmp_path):
    frame, _levels = synthetic(days=40, level_cv=0.2, seed=6)
    day = FIRST + dt.timedelta(days=39)
    now = dt.datetime.combine(day, dt.time(12, 0))
    history = tmp_path / "history.csv"
    frame[frame["interval_start"] < now].assign(
        interval_start=lambda f: f["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    ).to_csv(history, index=False)
    planned = tmp_path / "forecast.csv"
    both_days = pd.concat([day_forecast(day), day_forecast(day + dt.timedelta(days=1))])
    both_days.to_csv(planned, index=False)
    out = tmp_path / "out.csv"
    args = [str(history), "--forecast", str(planned), "--now", f"{day}T12:00", "-o", str(out)]
    result = CliRunner().invoke(reforecast_command, [*args, "--tomorrow"])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, parse_dates=["interval_start"])
    assert list(written.columns) == list(FORECAST_COLUMNS)
    assert written["interval_start"].min() == pd.Timestamp(now)
    assert written["interval_start"].dt.date.nunique() == 2
    assert len(written) == len([s for s in SLOTS if s >= 12 * 60]) + len(SLOTS)

    bad = tmp_path / "bad.csv"
    both_days.assign(forecast=["x", *both_days["forecast"][1:]]).to_csv(bad, index=False)
    refused = CliRunner().invoke(reforecast_command, [str(history), "--forecast", str(bad), *args[3:]])
    assert refused.exit_code != 0
    assert "line 2, forecast" in refused.output


def test_the_command_keeps_the_forecast_of_a_holiday_the_history_has_no_past_holidays_for(tmp_path):
    frame, _levels = synthetic(days=44, level_cv=0.25, seed=13)
    day = dt.date(2025, 2, 17)  # Presidents' Day; the history (from 2025-01-05) holds one past holiday
    now = dt.datetime.combine(day, dt.time(12, 0))
    busy = frame["interval_start"].dt.date == day
    frame.loc[busy, "offered"] *= 2  # a morning twice the forecast
    history = tmp_path / "history.csv"
    frame[frame["interval_start"] < now].assign(
        interval_start=lambda f: f["interval_start"].dt.strftime("%Y-%m-%dT%H:%M")
    ).to_csv(history, index=False)
    planned = tmp_path / "forecast.csv"
    day_forecast(day).to_csv(planned, index=False)
    out = tmp_path / "out.csv"
    args = [str(history), "--forecast", str(planned), "--now", f"{day}T12:00", "-o", str(out)]
    kept = CliRunner().invoke(reforecast_command, [*args, "--country", "US"])
    assert kept.exit_code == 0, kept.output
    assert "the forecast is kept" in kept.output
    written = pd.read_csv(out, parse_dates=["interval_start"])
    expected = day_forecast(day)
    expected = expected[expected["interval_start"] >= pd.Timestamp(now)]["forecast"].round(3)
    assert written["forecast"].to_numpy() == pytest.approx(expected.to_numpy())

    moved = CliRunner().invoke(reforecast_command, args)  # without the calendar it is an ordinary day
    assert moved.exit_code == 0, moved.output
    assert pd.read_csv(out)["forecast"].sum() > 1.1 * expected.sum()

    unknown = CliRunner().invoke(reforecast_command, [*args, "--country", "XX"])
    assert unknown.exit_code != 0
    assert "country" in unknown.output
    assert "Traceback" not in unknown.output
