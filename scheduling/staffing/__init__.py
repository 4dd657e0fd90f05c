"""Staffing: from forecast volume to the fewest agents per interval that meet the service targets.

Models: Erlang C (callers wait), Erlang A (callers abandon after an exponential patience), Erlang B (no
queue, blocked calls are lost), chat with concurrency (each agent holds several sessions, each one a
server), and back-office work with a completion deadline. Shrinkage turns agents on the phones into
agents to schedule. All of it is vectorised over intervals with numpy and stable for hundreds of Erlangs
(Erlang B by its recursion, Erlang A's incomplete gamma functions in logs).

Entry points:
- `requirement_frame(forecast, targets, interval_minutes=, aht_seconds=)` and `evaluate_frame(...)`:
  pandas in, pandas out (see `frames` for the columns).
- `required_agents(traffic, aht_seconds, target)`, `required_agents_with_metrics(...)` (agents and
  their `QueueMetrics` in one pass) and `evaluate_agents(agents, traffic, aht_seconds, target)`: numpy arrays
  of intervals.
- `erlang_b`, `erlang_c`, `erlang_c_metrics`, `erlang_b_metrics`, `erlang_a_metrics`: the formulas.
- `plan_backoffice`, `evaluate_backoffice`, `daily_backlog`: deadline work, with an opening backlog and
  the backlog carried from one day to the next.
- `WorkStep`, `plan_steps`: back-office work done in steps by different people (entry, then review).
- `ServiceTarget`: the targets and model of one queue, checked when built (`TargetError.field`).
"""

from scheduling.staffing.backoffice import (
    BackOfficePlan,
    daily_backlog,
    evaluate_backoffice,
    plan_backoffice,
)
from scheduling.staffing.erlang import (
    QueueMetrics,
    erlang_b,
    erlang_b_metrics,
    erlang_c,
    erlang_c_metrics,
)
from scheduling.staffing.erlang_a import erlang_a_metrics
from scheduling.staffing.frames import (
    OUTPUT_COLUMNS,
    ForecastError,
    evaluate_frame,
    infer_interval_minutes,
    requirement_frame,
)
from scheduling.staffing.requirement import (
    evaluate_agents,
    required_agents,
    required_agents_with_metrics,
    required_servers,
)
from scheduling.staffing.steps import StepPlan, WorkStep, plan_steps
from scheduling.staffing.targets import MODELS, ServiceTarget, TargetError, scheduled_agents

__all__ = [
    "MODELS",
    "OUTPUT_COLUMNS",
    "BackOfficePlan",
    "ForecastError",
    "QueueMetrics",
    "ServiceTarget",
    "StepPlan",
    "TargetError",
    "WorkStep",
    "daily_backlog",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_b_metrics",
    "erlang_c",
    "erlang_c_metrics",
    "evaluate_agents",
    "evaluate_backoffice",
    "evaluate_frame",
    "infer_interval_minutes",
    "plan_backoffice",
    "plan_steps",
    "required_agents",
    "required_agents_with_metrics",
    "required_servers",
    "requirement_frame",
    "scheduled_agents",
]
