"""Whether the site's agents can staff a shift plan, in FTE: the hours its requirement asks against the hours
the agents employed over its days are contracted for. A plan that is short says so in its headline, so
nobody rosters sixty agents against a plan that needs seventy without being told.

It is a necessary condition, not a sufficient one: shifts cannot follow the requirement exactly, and
breaks and rostering rules take some of the spare hours; time off is not counted.
"""

from __future__ import annotations

import datetime as dt

from wfm.models import ShiftPlan
from wfm.site_agents import agents_for

FTE_HOURS = 40.0  # one full-time equivalent: a 40-hour contract a week


def balance(plan: ShiftPlan) -> dict:
    """Weekly hours required and contracted, and the difference in FTE (positive: short)."""
    weeks = plan.days / 7
    required = sum(c.required for c in plan.coverage) * plan.interval_minutes / 60
    contracted = 0.0
    agents = agents_for(plan.site, plan.start_date, plan.end_date)
    for d in range(plan.days):
        day = plan.start_date + dt.timedelta(days=d)
        contracted += sum(
            a.contracted_hours / 7
            for a in agents
            if a.hire_date <= day and (a.leaving_date is None or a.leaving_date >= day)
        )
    short = round((required - contracted) / weeks / FTE_HOURS, 1)
    with_shrinkage = (plan.settings or {}).get("column", "scheduled_agents") == "scheduled_agents"
    headline = f"{short:.1f} FTE short" if short > 0 else f"covered with {abs(short):.1f} FTE to spare"
    return {
        "short_fte": short,
        "headline": headline,
        "required_hours_per_week": required / weeks,
        "contracted_hours_per_week": contracted / weeks,
        "agents": len(agents),
        "with_shrinkage": with_shrinkage,
        "fte_hours": FTE_HOURS,
    }
