"""Plain values for the agent's schedule pages and PDF: a week or a month of published shifts, breaks,
time off (approved or asked for) and the days changed since the agent last looked."""

from __future__ import annotations

import calendar as months
import datetime as dt

from flask_babel import gettext as _

from wfm.i18n.dates import written
from wfm.models import Agent
from wfm.rosters.problem import week_start_weekday
from wfm.rosters.truth import owner_map
from wfm.selfservice.published import mark_changes, shifts_of, time_off_of, training_of
from wfm.selfservice.timeoff import KINDS, period_label


def _span(
    view: str, anchor: dt.date, rolling: bool = False, week_start: int = 0
) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """First and last day shown, and the anchors of the previous and next page. A rolling week starts on
    the anchor (the default page: today and the next six days); other weeks, and the rows of a month,
    start on the site's first weekday `week_start` (0 = Monday)."""
    if view == "month":
        first = anchor.replace(day=1)
        last = first.replace(day=months.monthrange(first.year, first.month)[1])
        grid_first = first - dt.timedelta(days=(first.weekday() - week_start) % 7)
        grid_last = last + dt.timedelta(days=6 - (last.weekday() - week_start) % 7)
        return (
            grid_first,
            grid_last,
            (first - dt.timedelta(days=1)).replace(day=1),
            last + dt.timedelta(days=1),
        )
    start = anchor if rolling else anchor - dt.timedelta(days=(anchor.weekday() - week_start) % 7)
    return start, start + dt.timedelta(days=6), start - dt.timedelta(days=7), start + dt.timedelta(days=7)


def schedule(
    agent: Agent,
    user_id: int | None,
    view: str,
    anchor: dt.date | None,
    today: dt.date,
    remember: bool = True,
) -> dict:
    """`anchor` None: the rolling week from today (or this month)."""
    rolling = anchor is None
    anchor = anchor or today
    week_start = week_start_weekday(agent.site)
    first, last, previous, following = _span(view, anchor, rolling, week_start)
    shifts = shifts_of(agent.id, agent.site_id, first, last)
    changed = mark_changes(user_id, shifts, agent.id, agent.site_id, first, last, remember) if user_id else []
    leave = time_off_of(agent.id, first, last)
    sessions = training_of(agent.id, first, last)
    covered = set(owner_map(agent.site_id, first, last))  # days some published roster speaks for
    days = []
    day = first
    while day <= last:
        own = [s.plain() for s in shifts if s.day == day]
        away = [
            {
                "kind": KINDS.get(t.kind, (t.kind,))[0],
                "status": t.status,
                "label": period_label(t),
                "part": t.from_minute is not None,
            }
            for t in leave
            if t.first_day <= day <= t.last_day
        ]
        hours = sum(
            (s.end - s.start).total_seconds() / 3600
            - sum((e - b).total_seconds() / 3600 for _n, b, e in s.breaks)
            for s in shifts
            if s.day == day
        )
        days.append(
            {
                "day": day,
                "shifts": own,
                "time_off": away,
                "training": [t.plain() for t in sessions if t.day == day],
                "changed": day in changed,
                "today": day == today,
                "published": day in covered,
                "in_month": view != "month" or day.month == anchor.month,
                "hours": hours,
            }
        )
        day += dt.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return {
        "agent": agent.name,
        "number": agent.employee_number,
        "site": agent.site.name,
        "weekday_names": [written(first + dt.timedelta(days=k), "weekday") for k in range(7)],
        "time_zone": agent.site.time_zone,
        "view": view,
        "anchor": anchor,
        "first": first,
        "last": last,
        "previous": previous,
        "next": following,
        "days": days,
        "weeks": weeks,
        "changed": changed,
        "title": written(anchor, "month_year")
        if view == "month"
        else _(
            "%(first)s – %(last)s %(year)s",
            first=written(first, "month_day"),
            last=written(last, "month_day"),
            year=last.year,
        ),
        "hours": sum(d["hours"] for d in days if d["in_month"]),
        "published": bool(shifts) or bool(changed),
    }
