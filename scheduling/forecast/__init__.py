"""Contact volume forecasting per queue and interval.

Entry point: ``forecast(history, start, days, ForecastOptions(...)) -> ForecastResult`` (see engine).
Methods live in ``methods`` (``METHODS``), accuracy measures in ``accuracy`` (reusable on any
actual/forecast pair), holidays and special days in ``calendar``, prediction bounds in ``bands``.
"""

from scheduling.forecast.accuracy import Accuracy, accuracy, poisson_floor
from scheduling.forecast.bands import prediction_bounds, rate_dispersion
from scheduling.forecast.calendar import SpecialDay
from scheduling.forecast.engine import (
    BACKTEST_COLUMNS,
    FORECAST_COLUMNS,
    METHOD_NAMES,
    ForecastOptions,
    ForecastResult,
    forecast,
)
from scheduling.forecast.methods import METHODS

__all__ = [
    "BACKTEST_COLUMNS",
    "FORECAST_COLUMNS",
    "METHODS",
    "METHOD_NAMES",
    "Accuracy",
    "ForecastOptions",
    "ForecastResult",
    "SpecialDay",
    "accuracy",
    "forecast",
    "poisson_floor",
    "prediction_bounds",
    "rate_dispersion",
]
