"""The demo's first planning run: forecasts of the queues with history and their requirements, made by
the same job and operations a scheduler uses, so the planning pages have something real to show."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from wfm.demo import centres
from wfm.extensions import db
from wfm.forecasting.requirements import make_requirement
from wfm.forecasting.typed import make_typed_forecast, queues_with_history
from wfm.jobs import lifecycle
from wfm.models import Forecast, HistoryInterval, Queue, Site
from wfm.shiftplans.plans import DEFAULT_COLUMN

DAYS = 28
# Queues without history get contacts typed as a scheduler would for a new channel: per weekday
# (Monday..Sunday), a handle time, and the queue whose intraday pattern they follow (None: even). The demo
# history derives these channels from the 1999 calls (`history.DERIVED`), so this is for a demo loaded
# without history, or a new queue a scheduler adds.
TYPED = {
    "Web chat": ((260, 250, 240, 240, 90, 40, 270), 420, "Internet support"),
    "Video advice": ((24, 22, 22, 20, 6, 0, 26), 1200, "Priority clients"),
    "Back office": ((180, 170, 170, 160, 60, 0, 190), 600, None),
}
PLAN_ATTEMPTS = 3  # the plan solve gets its time, then twice, then four times that when it finds nothing


def forecast_and_staff(site: Site, start: dt.date, user_id: int | None = None, days: int = DAYS) -> list[int]:
    """Forecast every queue of the site that has history, from `start` for `days` (four weeks), type the
    contacts of the others; then requirements for all."""
    queue_ids = db.session.scalars(
        select(Queue.id).where(
            Queue.site_id == site.id, Queue.id.in_(select(HistoryInterval.queue_id).distinct())
        )
    ).all()
    if not queue_ids:
        return []
    job = lifecycle.submit(
        "forecast",
        f"Demo forecast from {start}",
        {"queue_ids": list(queue_ids), "start": start.isoformat(), "days": days, "method": "auto"},
        user_id,
    )
    db.session.commit()
    lifecycle.run(current_app._get_current_object(), job.id)
    db.session.expire_all()
    forecast_ids = list((db.session.get(type(job), job.id).result or {}).get("forecast_ids", []))
    forecast_ids += [record.id for record in _typed_forecasts(site, start, days, user_id)]
    ids = []
    for forecast_id in forecast_ids:
        requirement = make_requirement(db.session.get(Forecast, forecast_id), user_id)
        ids.append(requirement.id)
    db.session.commit()
    return ids


def _typed_forecasts(site: Site, start: dt.date, days: int, user_id: int | None) -> list[Forecast]:
    """Forecasts of the site's queues without history, from the demo's typed contacts."""
    queues = {
        q.name: q for q in db.session.scalars(select(Queue).where(Queue.site_id == site.id, Queue.active))
    }
    with_history = queues_with_history([q.id for q in queues.values()], start)
    centre = centres.of_site(site)
    made = []
    for name, (per_weekday, aht, like) in TYPED.items():
        queue = queues.get(centre.say("queue", name))
        if queue is None or queue.id in with_history:
            continue
        per_weekday = centre.per_weekday(per_weekday)
        profile = queues.get(centre.say("queue", like)) if like else None
        made.append(
            make_typed_forecast(
                queue,
                start,
                days,
                dict(enumerate(map(float, per_weekday))),
                float(aht),
                profile.id if profile is not None and profile.id in with_history else None,
                user_id,
            )
        )
    return made


def plan_and_roster(
    site: Site,
    start: dt.date,
    plan_seconds: float = 20,
    roster_seconds: float = 30,
    user_id: int | None = None,
) -> tuple[int | None, int | None]:
    """A four-week shift plan from the requirements, and a published roster staffing it."""
    from wfm.models import Job, Roster, ShiftPlan, ShiftTemplate
    from wfm.rosters.operations import publish

    # the templates serving every queue: the demo's four-week plan pools the queues (a plan by skill group
    # of four weeks is solved one day at a time, each day given at least `by_day.MIN_DAY_SECONDS`: more
    # than the demo's seconds; a scheduler plans by skill group from the plan form)
    templates = [
        t.id
        for t in db.session.scalars(select(ShiftTemplate).where(ShiftTemplate.site_id == site.id))
        if not t.queue_ids
    ]
    centre = centres.of_site(site)
    day = centre.say("text", "{day:%d %b}").format(day=start, month=start.month, day_of_month=start.day)
    app = current_app._get_current_object()
    plan_id = None
    for attempt in range(PLAN_ATTEMPTS):  # a busy machine may find no plan in time: give it longer
        job = lifecycle.submit(
            "shift-plan",
            "Demo shift plan",
            {
                "site_id": site.id,
                "name": centre.say("text", "Demo plan from {start}").format(start=day),
                "start": start.isoformat(),
                "days": DAYS,
                "template_ids": list(templates),
                "column": DEFAULT_COLUMN,  # shrinkage included, as the form plans by default
                "time_limit": plan_seconds * 2**attempt,
            },
            user_id,
        )
        db.session.commit()
        lifecycle.run(app, job.id)
        db.session.expire_all()
        plan_id = (db.session.get(Job, job.id).result or {}).get("plan_id")
        plan = db.session.get(ShiftPlan, plan_id) if plan_id is not None else None
        if plan is not None and plan.shifts:
            break
        if plan is not None:  # an empty plan (nothing found in time) is no demo plan
            db.session.delete(plan)
            db.session.commit()
        plan_id = None
    if plan_id is None:
        return None, None
    job = lifecycle.submit(
        "roster",
        "Demo roster",
        {
            "site_id": site.id,
            "plan_id": plan_id,
            "start": start.isoformat(),
            "days": DAYS,
            "name": centre.say("text", "Roster from {start}").format(start=day),
            "time_limit": roster_seconds,
        },
        user_id,
    )
    db.session.commit()
    lifecycle.run(app, job.id)
    db.session.expire_all()
    roster_id = (db.session.get(Job, job.id).result or {}).get("roster_id")
    if roster_id is not None:
        roster = db.session.get(Roster, roster_id)
        _team_meetings(roster, user_id, centre.say("text", "{team} weekly"))
        publish(roster, roster.lock_version, user_id)
        db.session.commit()
    return plan_id, roster_id


def _team_meetings(roster, user_id: int | None, title: str = "{team} weekly") -> None:
    """A half-hour team meeting for each team on the busiest day of the roster's first week, as a scheduler
    would set it."""
    from wfm.rosters.operations import RosterProblemError, schedule_activity

    teams: dict[str, list[int]] = {}
    for a in roster.assignments:
        if a.agent.team is not None:
            teams.setdefault(a.agent.team.name, []).append(a.agent_id)
    week = roster.dates[:7]
    day = max(week, key=lambda d: (sum(1 for a in roster.assignments if a.day == d), -week.index(d)))
    for name, members in sorted(teams.items()):
        try:
            schedule_activity(
                roster,
                sorted(set(members)),
                day,
                "meeting",
                title.format(team=name),
                30,
                (9 * 60, 17 * 60),
                True,
                roster.lock_version,
                user_id,
            )
        except RosterProblemError:  # nobody of the team works that day inside the window
            continue
