"""Contact volume forecasting per queue and interval.

Use::

    history = read_interval_csv("history.csv")            # scheduling.history, or history_from_frame(df)
    result = forecast(history, date(2025, 3, 3), 7, ForecastOptions(method="auto", country="IL",
                      special_days=(SpecialDay(date(2025, 3, 5), uplift=1.3),)))
    result.frame      # interval_start, queue, forecast, lower, upper, aht_seconds (open intervals only)
    result.methods    # {queue: chosen method}
    result.backtest   # queue, method, wmape, rmse, bias, floor, ratio, origins, chosen
    result.notes      # fallbacks, holidays treated as closed / like a weekday, short histories
    accuracy(actual, forecast)   # wMAPE, RMSE, bias, Poisson floor, ratio on any pair of arrays

Only history before ``start`` is used, so forecasting a past week gives an honest forecast-versus-actual.
Methods live in ``methods`` (``METHODS``; ``METHOD_NAMES`` adds the ``combined`` average), holidays and
special days in ``calendar``, rolling-origin backtests in ``backtest``, prediction bounds in ``bands``,
handle time in ``handle_time``. Inputs are validated eagerly: bad options raise ValueError naming the
field.
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
