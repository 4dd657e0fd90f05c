"""A capacity scenario built from the live centre: headcount per career field and level, the attrition and
promotion rates measured from the centre's own leavers and promotions over the last year, the ladders'
next rungs as flows, and the phones' demand following the long-range forecast of the queues' history.

Groups are (primary field, level) as the careers dashboards count them. Each group's required FTE holds
its headcount of today, except the entry group (the largest group on the service track's first rungs,
where classes are hired), whose requirement follows the monthly volume forecast relative to the last
complete month of history. Variants change one thing each: attrition × 1.5, promotion rates × 1.5, or a
channel shift (a share of calls a year moving to text, where a contact takes half an agent's time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select

from scheduling.capacity.demand import complete_months, forecast_months
from training.flows import GroupRates, first_year_rates, measured_rates
from wfm.careers.store import load_catalogue, records_of
from wfm.extensions import db
from wfm.formatting import counted
from wfm.models import Agent, HistoryInterval

VARIANTS = {
    "base": "Base: measured rates",
    "high_attrition": "High attrition: leavers × 1.5",
    "faster_promotions": "Faster promotions: promotions × 1.5",
    "channel_shift": "Channel shift: 10% of calls a year move to text",
}
MIN_PERSON_MONTHS = 12.0  # fewer: the group's own rate is too noisy, the centre's is used
TEXT_EFFORT = 0.5  # agent time of a text contact against a call (two chats at once)
CHANNEL_SHIFT_PER_YEAR = 0.10


@dataclass(frozen=True)
class Settings:
    name: str
    variant: str
    start: str  # YYYY-MM
    months: int
    entry_salary: float
    salary_step: float
    class_min: int
    class_max: int
    training_months: int
    cost_per_hire: float
    shortfall_cost: float
    overtime_share: float


def group_name(field_name: str, level: int) -> str:
    return f"{field_name}, level {level}" if level else f"{field_name}, not yet on the ladder"


def measured(today: dt.date) -> tuple[list[GroupRates], GroupRates, dict[str, str], dict[str, int]]:
    """Rates per (field, level) and of people in their first year over the last 12 months, the fields'
    names and ladder tops."""
    cat = load_catalogue()
    agents = list(db.session.scalars(select(Agent)).all())
    records = records_of(agents)
    year_ago = today - dt.timedelta(days=365)
    rates = measured_rates(records, year_ago, today)
    newcomers = first_year_rates(records, year_ago, today)
    names = {code: f.name for code, f in cat.fields.items()}
    tops = {code: f.ladder.top for code, f in cat.fields.items()}
    return rates, newcomers, names, tops


def demand_factors(start: str, months: int) -> tuple[np.ndarray, str]:
    """Monthly volume forecast relative to the last complete month of the centre's history (all queues)."""
    rows = db.session.execute(
        select(func.date(HistoryInterval.interval_start), func.sum(HistoryInterval.offered)).group_by(
            func.date(HistoryInterval.interval_start)
        )
    ).all()
    if not rows:
        return np.ones(months), "No history yet: every group's requirement holds today's headcount."
    daily = pd.Series([float(v or 0) for _, v in rows], index=pd.to_datetime([str(d) for d, _ in rows]))
    daily = daily.asfreq("D", fill_value=0.0)
    history = complete_months(daily)
    if history.empty:
        return np.ones(months), "Less than a month of history: the requirement holds today's headcount."
    last = history.index[-1]
    first = pd.Period(start, freq="M")
    if first <= last:
        first = last + 1
    forecast = forecast_months(daily, months, start=str(first))
    note = (
        f"The phones' requirement follows the monthly forecast of "
        f"{counted(len(history), 'month')} of history (relative to {last.strftime('%B %Y')})."
    )
    return forecast.volume / float(history.iloc[-1]), note


def build_document(settings: Settings, today: dt.date) -> tuple[dict, str, list[dict]]:
    rates, newcomers, names, tops = measured(today)
    groups_rates = {(r.field, r.level): r for r in rates if r.headcount > 0}
    for code, level in list(groups_rates):
        if level + 1 <= tops.get(code, 0) and (code, level + 1) not in groups_rates:
            groups_rates[(code, level + 1)] = GroupRates(code, level + 1, 0, 0.0, 0, 0)
    total_months = sum(r.person_months for r in rates)
    centre_attrition = sum(r.leavers for r in rates) / total_months if total_months else 0.02
    attrition_factor = 1.5 if settings.variant == "high_attrition" else 1.0
    promotion_factor = 1.5 if settings.variant == "faster_promotions" else 1.0
    entry = max(
        (key for key in groups_rates if key[1] <= 1),
        key=lambda key: groups_rates[key].headcount,
        default=None,
    )
    factors, note = demand_factors(settings.start, settings.months)
    if settings.variant == "channel_shift":
        moved = 1 - (1 - CHANNEL_SHIFT_PER_YEAR) ** ((np.arange(settings.months) + 1) / 12)
        factors = factors * (1 - moved * (1 - TEXT_EFFORT))
    groups, flows, measured_figures = [], [], []
    for key in sorted(groups_rates):
        rate = groups_rates[key]
        own = rate.attrition if rate.person_months >= MIN_PERSON_MONTHS else centre_attrition
        promotion = rate.promotion_rate if rate.person_months >= MIN_PERSON_MONTHS else 0.0
        name = group_name(names.get(key[0], key[0]), key[1])
        measured_figures.append(
            {
                "group": name,
                "person_months": round(rate.person_months, 1),
                "leavers": rate.leavers,
                "promotions": rate.promotions,
                "attrition": rate.attrition,
                "attrition_error": rate.attrition_error,
                "own_rate": rate.person_months >= MIN_PERSON_MONTHS,
            }
        )
        required = [float(rate.headcount)] * settings.months
        if key == entry:
            required = [round(rate.headcount * float(f), 2) for f in factors]
        groups.append(
            {
                "name": name,
                "headcount": rate.headcount,
                "required_fte": required,
                "monthly_attrition": round(min(own * attrition_factor, 0.5), 5),
                "salary_per_month": settings.entry_salary + settings.salary_step * max(key[1] - 1, 0),
            }
        )
        if (key[0], key[1] + 1) in groups_rates and promotion > 0:
            flows.append(
                {
                    "from": name,
                    "to": group_name(names.get(key[0], key[0]), key[1] + 1),
                    "monthly_rate": round(min(promotion * promotion_factor, 0.3), 5),
                }
            )
    hiring = []
    if entry is not None:
        hiring.append(
            {
                "into": group_name(names.get(entry[0], entry[0]), entry[1]),
                "class_min": settings.class_min,
                "class_max": settings.class_max,
                "training_months": settings.training_months,
                "ramp": [0.5, 0.8],
                "cost_per_hire": settings.cost_per_hire,
                "max_classes_per_month": 1,
                "first_year_attrition": (
                    round(min(newcomers.attrition * attrition_factor, 0.5), 5)
                    if newcomers.person_months >= MIN_PERSON_MONTHS
                    else None
                ),
            }
        )
        if newcomers.person_months >= MIN_PERSON_MONTHS:
            note += (
                f" New hires leave at {newcomers.attrition:.1%} a month in their first year "
                f"({counted(newcomers.leavers, 'leaver')} in {newcomers.person_months:.0f} person-months)."
            )
    document = {
        "name": settings.name,
        "description": VARIANTS[settings.variant],
        "start": settings.start,
        "months": settings.months,
        "groups": groups,
        "flows": flows,
        "hiring": hiring,
        "shortfall_cost_per_fte_month": settings.shortfall_cost,
        "overtime": {"max_share": settings.overtime_share, "cost_factor": 1.5},
    }
    return document, note, measured_figures
