"""A capacity scenario built from the live centre: headcount per career field and level, the attrition and
promotion rates measured from the centre's own leavers and promotions over the last year, the ladders'
next rungs as flows, and the demand of the queues through the engine's demand path.

Groups are (primary field, level) as the careers dashboards count them. Demand is required FTE per group
and month (`queue_demand`): each queue's monthly volume forecast from its interval history, turned into
FTE through the staffing models at the queue's targets with its shrinkage, goes to the groups whose agents
hold the queue's skill, by today's share of those heads. Groups that serve no queue keep today's
headcount as their requirement. Classes are hired into the entry group (the largest group on the first
rungs). Variants change one thing each: attrition x 1.5, promotion rates x 1.5, or a channel shift (a
share of voice volume a year moving to the chat queues, staffed at their own targets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from training.flows import GroupRates, first_year_rates, measured_rates
from wfm.capacity.queue_demand import GroupKey, QueueDemand, queue_demand
from wfm.careers.store import load_catalogue, records_of
from wfm.extensions import db
from wfm.formatting import counted, pct
from wfm.models import Agent

VARIANTS = {
    "base": _l("Base: measured rates"),
    "high_attrition": _l("High attrition: leavers × 1.5"),
    "faster_promotions": _l("Faster promotions: promotions × 1.5"),
    "channel_shift": _l("Channel shift: 10% of calls a year move to chat"),
}
MIN_PERSON_MONTHS = 12.0  # fewer: the group's own rate is too noisy, the centre's is used
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
    if level:
        return _("%(field)s, level %(level)s", field=field_name, level=level)
    return _("%(field)s, not yet on the ladder", field=field_name)


def measured(
    today: dt.date,
) -> tuple[list[GroupRates], GroupRates, dict[str, str], dict[str, int], dict[int, GroupKey]]:
    """Rates per (field, level) and of people in their first year over the last 12 months, the fields'
    names and ladder tops, and each employed agent's group today."""
    cat = load_catalogue()
    agents = list(db.session.scalars(select(Agent)).all())
    records = records_of(agents)
    year_ago = today - dt.timedelta(days=365)
    rates = measured_rates(records, year_ago, today)
    newcomers = first_year_rates(records, year_ago, today)
    names = {code: f.name for code, f in cat.fields.items()}
    tops = {code: f.ladder.top for code, f in cat.fields.items()}
    group_of = {
        int(r.agent_id): (r.primary_field, r.level_on(r.primary_field, today))
        for r in records
        if r.employed_on(today)
    }
    return rates, newcomers, names, tops, group_of


def demand_note(demand: QueueDemand, names: dict[str, str]) -> str:
    """How the requirement was made, in words: the queues, their forecasts and who serves them (in the
    language of the person who builds the scenario: it is kept with the plan)."""
    if not demand.queues:
        return _(
            "No queue has a complete month of history yet: every group's requirement holds today's headcount."
        )
    parts = []
    for q in demand.queues:
        served = (
            _(", ").join(group_name(names.get(f, f), lv) for f, lv in q["groups"])
            if q["served"]
            else _("nobody holds its skill yet, so the entry group is hired for it")
        )
        parts.append(
            _(
                "%(queue)s (%(channel)s, shrinkage %(shrinkage)s): %(fte)s FTE in the first month, served by "
                "%(served)s",
                queue=q["queue"],
                channel=q["channel"],
                shrinkage=pct(q["shrinkage"]),
                fte=f"{q['first_month_fte']:.1f}",
                served=served,
            )
        )
    return _(
        "Required FTE per group comes from each queue's monthly volume forecast, turned into FTE through "
        "the staffing model at the queue's targets with its shrinkage (40 contracted hours a week per FTE), "
        "and shared among the groups whose agents hold the queue's skill by today's share of those heads. "
        "Groups that serve no queue keep today's headcount. %(queues)s. "
        "The shift plan page counts the same requirement per interval over its four weeks, rounding each "
        "interval's agents up, against the hours all of the site's agents are contracted for, so its "
        "figure can differ from the first month here by a few FTE.",
        queues=_("; ").join(parts),
    )


def build_document(settings: Settings, today: dt.date) -> tuple[dict, str, list[dict]]:
    rates, newcomers, names, tops, group_of = measured(today)
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
    shift = CHANNEL_SHIFT_PER_YEAR if settings.variant == "channel_shift" else 0.0
    demand = queue_demand(settings.start, settings.months, today, group_of, channel_shift=shift)
    note = demand_note(demand, names)
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
        fte = demand.by_group.get(key)
        if key == entry and demand.unserved is not None:
            fte = demand.unserved if fte is None else fte + demand.unserved
        required = (
            [round(float(f), 2) for f in fte]
            if fte is not None
            else [float(rate.headcount)] * settings.months
        )
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
            note += " " + _(
                "New hires leave at %(rate)s a month in their first year (%(leavers)s in %(months)s "
                "person-months).",
                rate=pct(newcomers.attrition, 1),
                leavers=counted(newcomers.leavers, "leaver"),
                months=f"{newcomers.person_months:.0f}",
            )
    document = {
        "name": settings.name,
        "description": str(VARIANTS[settings.variant]),
        "start": settings.start,
        "months": settings.months,
        "groups": groups,
        "flows": flows,
        "hiring": hiring,
        "shortfall_cost_per_fte_month": settings.shortfall_cost,
        "overtime": {"max_share": settings.overtime_share, "cost_factor": 1.5},
    }
    return document, note, measured_figures
