"""Plain values and charts for the shift-plan pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _

from wfm import charts
from wfm.models import ShiftPlan
from wfm.shiftplans.headcount import balance


def _totals(plan: ShiftPlan, queue: str | None) -> dict[dt.datetime, dict]:
    totals: dict[dt.datetime, dict] = defaultdict(
        lambda: {"required": 0, "on_phones": 0, "short": 0, "over": 0}
    )
    for c in plan.coverage:
        if queue and c.queue != queue:
            continue
        row = totals[c.interval_start]
        row["required"] += c.required
        row["on_phones"] += c.on_phones
        row["short"] += c.short
        row["over"] += c.over
    return dict(sorted(totals.items()))


def by_queue(plan: ShiftPlan) -> list[dict]:
    """Per queue over the whole plan, in agent-hours: required, planned (on the phones for the queue),
    short and over, from the stored coverage."""
    hours = plan.interval_minutes / 60
    sums: dict[str, dict] = {}
    for c in plan.coverage:
        row = sums.setdefault(c.queue, {"required": 0, "planned": 0, "short": 0, "over": 0})
        row["required"] += c.required
        row["planned"] += c.on_phones
        row["short"] += c.short
        row["over"] += c.over
    return [
        {"queue": queue, **{key: value * hours for key, value in row.items()}}
        for queue, row in sorted(sums.items())
    ]


def pooling(plan: ShiftPlan) -> list[str]:
    """Sentences saying where the plan lets agents move between queues (pooling) and where it does not."""
    settings = plan.settings or {}
    if not settings.get("by_skill"):  # a pooled plan says so under its chart already
        return []
    groups = settings.get("skill_groups", [])
    joined = settings.get("pooled_queues", [])
    said = [
        _(
            "Planned by skill group: %(groups)s groups of agents, each counted only on the queues its "
            "skills allow, and each agent once in an interval.",
            groups=len(groups),
        )
    ]
    for queues in joined:
        said.append(
            _(
                "Pooling is allowed across %(queues)s: agents who may serve several of them are shared "
                "among them interval by interval.",
                queues=_listed(queues),
            )
        )
    alone = sorted({q for g in groups for q in g["queues"]} - {q for queues in joined for q in queues})
    if alone:
        said.append(
            _(
                "No pooling for %(queues)s: only agents with that queue's skill are counted there.",
                queues=_listed(alone),
            )
        )
    return said


def _listed(names: list[str]) -> str:
    names = sorted(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _figures(plan: ShiftPlan) -> dict:
    paid_hours = sum(s.agents * (s.end - s.start).total_seconds() / 3600 for s in plan.shifts)
    return {
        "id": plan.id,
        "name": plan.name,
        "site": plan.site.name,
        "start": plan.start_date,
        "end": plan.end_date,
        "status": plan.solver_status,
        "cost": plan.cost,
        "penalty": plan.penalty,
        "bound": plan.bound,
        "gap": plan.gap,
        "seconds": plan.seconds,
        "unmet": plan.unmet_agent_intervals,
        "shifts": sum(s.agents for s in plan.shifts),
        "hours": paid_hours,
        "settings": plan.settings,
        "created_at": plan.created_at,
        "created_by": plan.created_by.display_name if plan.created_by else "",
        "interval_minutes": plan.interval_minutes,
        "stats": plan.stats,
    }


def plan_page(plan: ShiftPlan, queue: str | None, day: dt.date | None) -> dict:
    totals = _totals(plan, queue)
    times = list(totals)
    chart = charts.render(
        charts.TimeChart(
            times=times,
            lines=[
                charts.Line(_("required"), [t["required"] for t in totals.values()], "required", step=True),
                charts.Line(
                    _("on the phones"), [t["on_phones"] for t in totals.values()], "planned", step=True
                ),
            ],
            marks=[
                charts.Marks(_("short"), [-t["short"] for t in totals.values()], "short"),
                charts.Marks(_("over"), [t["over"] for t in totals.values()], "over"),
            ],
            title=_("%(plan)s: required against planned", plan=plan.name),
            y_label=_("agents"),
        )
    )
    days: dict[dt.date, dict] = defaultdict(lambda: {"shifts": 0, "hours": 0.0, "short": 0, "over": 0})
    for s in plan.shifts:
        days[s.start.date()]["shifts"] += s.agents
        days[s.start.date()]["hours"] += s.agents * (s.end - s.start).total_seconds() / 3600
    for time, t in totals.items():
        days[time.date()]["short"] += t["short"]
        days[time.date()]["over"] += t["over"]
    ordered = sorted(days.items())
    day = day if day in days else (ordered[0][0] if ordered else None)
    shortfalls = [{"time": time, **t} for time, t in totals.items() if t["short"] > 0]
    return {
        **_figures(plan),
        "staffing": balance(plan),
        "queues": sorted({c.queue for c in plan.coverage}),
        "queue": queue,
        "chart": chart,
        "days": ordered,
        "day": day,
        "rows": [
            {
                "template": s.template,
                "start": s.start,
                "end": s.end,
                "agents": s.agents,
                "breaks": s.breaks,
                "queues": s.queues,
                "skill_group": s.skill_group,
            }
            for s in plan.shifts
            if s.start.date() == day
        ],
        "shortfalls": shortfalls[:200],
        "shortfall_count": len(shortfalls),
        # a pooled plan covers the queues' total only: it says nothing of each queue's skill
        "pooled": any(c.queue == "*" for c in plan.coverage),
        "by_queue": by_queue(plan),
        "pooling": pooling(plan),
        "skill_groups": (plan.settings or {}).get("skill_groups", []),
    }


def compare_page(first: ShiftPlan, second: ShiftPlan) -> dict:
    a, b = _totals(first, None), _totals(second, None)
    times = sorted(set(a) | set(b))
    chart = charts.render(
        charts.TimeChart(
            times=times,
            lines=[
                charts.Line(
                    _("required"),
                    [(a.get(t) or b.get(t))["required"] for t in times],
                    "required",
                    step=True,
                ),
                charts.Line(
                    _("#%(plan)s on the phones", plan=first.id),
                    [a[t]["on_phones"] if t in a else None for t in times],
                    "planned",
                    step=True,
                ),
                charts.Line(
                    _("#%(plan)s on the phones", plan=second.id),
                    [b[t]["on_phones"] if t in b else None for t in times],
                    "forecast",
                    step=True,
                ),
            ],
            title=_("Two plans against the requirement"),
            y_label=_("agents"),
        )
    )
    return {"a": _figures(first), "b": _figures(second), "chart": chart}
