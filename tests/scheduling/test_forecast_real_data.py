"""The engine on the real Anonymous Bank 1999 calls: sane output and better than seasonal naive."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scheduling.forecast import ForecastOptions, accuracy, forecast
from scheduling.history import coarsen, history_from_frame
from tests.reference_data import CALLS_6MIN

DATA = CALLS_6MIN


@pytest.fixture(scope="module")
def bank():
    raw = pd.read_csv(DATA)
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(raw["date"] + " " + raw["start_time"]),
            "queue": "bank",
            "offered": raw["calls"].astype(float),
        }
    )
    return coarsen(history_from_frame(frame, interval_minutes=6), 30)


def test_two_weeks_ahead_beat_seasonal_naive_and_stay_above_the_floor(bank):
    start, days = date(1999, 6, 13), 14
    grid = pd.date_range(pd.Timestamp(start), periods=days * 48, freq="30min")
    actual = bank.frame.set_index("interval_start")["offered"].reindex(grid).to_numpy()
    scores = {}
    for method in ("auto", "seasonal_naive"):
        result = forecast(bank, start, days, ForecastOptions(method=method, country="IL", origins=3))
        assert result.frame["interval_start"].is_unique
        assert (result.frame["lower"] <= result.frame["upper"]).all()
        f = result.frame.set_index("interval_start")["forecast"].reindex(grid, fill_value=0.0).to_numpy()
        scores[method] = accuracy(actual, f)
    assert scores["auto"].wmape < 0.9 * scores["seasonal_naive"].wmape
    assert scores["auto"].ratio > 1.0  # nothing beats Poisson noise
    assert np.isfinite(scores["auto"].bias)
    assert abs(scores["auto"].bias) < 0.15
