"""Capacity: months ahead, how many to hire, train and promote per workforce group (integer programming).

Entry points:
- `parse_scenario(document)`: a `Scenario` from the JSON's object, or a `ScenarioError` naming the field;
- `solve(scenario, time_limit=)`: the cheapest `Plan` (class intakes per month, overtime, shortfalls);
- `spreadsheet_rule(scenario)`: the planners' rule (hire the gap training_months ahead, in classes);
- `evaluate(scenario, hires, method)`: any intakes' plan, figures recomputed from the dynamics;
- `balanced_rows(scenario, plan)`: the plan's CSV rows, each balancing exactly in hundredths;
- `demand`: monthly volume forecasts (trend, yearly seasonality, backtest) and channel shifts;
  `fte`: monthly volume to required FTE through the staffing models.
"""

from scheduling.capacity.explain import Shortfall, sentence
from scheduling.capacity.plan import Intake, MonthFigures, Plan, evaluate, solve, spreadsheet_rule
from scheduling.capacity.rows import CSV_COLUMNS, balanced_rows, for_spreadsheet
from scheduling.capacity.scenario import Scenario, ScenarioError, month_name, parse_scenario

__all__ = [
    "CSV_COLUMNS",
    "Intake",
    "MonthFigures",
    "Plan",
    "Scenario",
    "ScenarioError",
    "Shortfall",
    "balanced_rows",
    "evaluate",
    "for_spreadsheet",
    "month_name",
    "parse_scenario",
    "sentence",
    "solve",
    "spreadsheet_rule",
]
