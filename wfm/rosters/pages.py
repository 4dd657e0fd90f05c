"""Plain values for the roster pages and the PDF (templates get no ORM objects)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import func, select

from wfm import charts
from wfm.extensions import db
from wfm.i18n import localized
from wfm.models import Roster, RosterChange, TimeOff
from wfm.models.careers import CareerCourse, Enrolment, TrainingSession
from wfm.rosters import blocks, coverage, labels, offphone
from wfm.rosters.operations import cell_rows, evaluation_of
from wfm.rosters.problem import breaks_of, week_start_weekday
from wfm.rosters.shift_types import ShiftTypes

TEMPLATE_CLASSES = 6  # colours for shift templates (app.css .tpl-0 ... .tpl-5)


def _short(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _wish_text(on: bool, shift: str | None) -> str:
    if shift is None:
        return _("wished to work") if on else _("wished a day off")
    return (
        _("wished to work %(shift)s", shift=shift) if on else _("wished not to work %(shift)s", shift=shift)
    )


def coverage_chart(cover: dict | None, name: str):
    """Agents on the phones (shifts less their breaks and activities) against the plan's requirement, per
    interval: drawn from `coverage.total_cover`, the computation the text's shortfalls come from too."""
    if cover is None:
        return None
    return charts.render(
        charts.TimeChart(
            times=cover["times"],
            lines=[
                charts.Line(_("required"), cover["need"], "required", step=True),
                charts.Line(_("rostered on the phones"), cover["phones"], "planned", step=True),
            ],
            marks=[charts.Marks(_("short"), [-s for s in cover["short"]], "short")],
            title=_("%(roster)s: rostered against required", roster=name),
            y_label=_("agents"),
        )
    )


def cover_on(cover: dict | None, dates: list[dt.date]) -> dict | None:
    """The part of `coverage.total_cover`'s figures on `dates` (the week a page shows)."""
    if cover is None:
        return None
    days = set(dates)
    keep = [i for i, moment in enumerate(cover["times"]) if moment.date() in days]
    return {**cover, **{key: [cover[key][i] for i in keep] for key in ("times", "need", "phones", "short")}}


def interval_gaps(cover: dict | None) -> list[dict]:
    """Intervals with fewer agents on the phones than the requirement asks (all queues together), joined
    into runs of one day with the same shortfall: {day, from, to, short}. The same figures the chart draws."""
    if cover is None:
        return []
    runs: list[dict] = []
    step = cover["step"]
    for moment, short in zip(cover["times"], cover["short"], strict=True):
        if short <= 0:
            continue
        last = runs[-1] if runs else None
        if last and last["day"] == moment.date() and last["end"] == moment and last["short"] == short:
            last["end"] = moment + step
        else:
            runs.append({"day": moment.date(), "start": moment, "end": moment + step, "short": short})
    return [
        {"day": r["day"], "from": f"{r['start']:%H:%M}", "to": f"{r['end']:%H:%M}", "short": r["short"]}
        for r in runs
    ]


def activity_labels(cell, short: bool = False) -> list[str]:
    """A cell's activities as "coaching Call review 10:15–10:45", or "coaching 10:15" when `short` (an
    assignment or a published row)."""
    start = cell["start"] if isinstance(cell, dict) else cell.start
    start = dt.datetime.fromisoformat(start) if isinstance(start, str) else start
    activities = offphone.activities_of(cell)
    if short:
        return [f"{labels.activity_kind(a.kind)} {a.at(start)[0]:%H:%M}" for a in activities]
    return [
        " ".join(filter(None, (labels.activity_kind(a.kind), a.title, _short(*a.at(start)))))
        for a in activities
    ]


def weeks_of(roster: Roster) -> list[dict]:
    """The roster's weeks as pages of the grid: {number, first, last} (the last one may be shorter)."""
    dates = roster.dates
    return [
        {"number": n + 1, "first": dates[i], "last": dates[min(i + 7, len(dates)) - 1]}
        for n, i in enumerate(range(0, len(dates), 7))
    ]


def _approved_leave(roster: Roster, agents: list) -> defaultdict[int, set[dt.date]]:
    """Agent id -> the roster's days they have approved time off."""
    leave = defaultdict(set)
    for t in TimeOff.query.filter(
        TimeOff.agent_id.in_([a.id for a in agents]),
        TimeOff.status == "approved",
        TimeOff.first_day <= roster.end_date,
        TimeOff.last_day >= roster.start_date,
    ):
        for day in roster.dates:
            if t.first_day <= day <= t.last_day:
                leave[t.agent_id].add(day)
    return leave


def _training_labels(roster: Roster, agents: list) -> defaultdict[tuple[int, dt.date], list[str]]:
    """(agent id, day) -> the training sessions they are enrolled in: fixed activities on the roster."""
    training = defaultdict(list)
    for trainee, day, start, end, course, course_zh in db.session.execute(
        select(
            Enrolment.agent_id,
            TrainingSession.day,
            TrainingSession.start_minute,
            TrainingSession.end_minute,
            func.coalesce(CareerCourse.name, TrainingSession.course),  # the course's name, not its code
            CareerCourse.name_zh,
        )
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .outerjoin(CareerCourse, CareerCourse.code == TrainingSession.course)
        .where(
            Enrolment.agent_id.in_([a.id for a in agents]),
            TrainingSession.day.between(roster.start_date, roster.end_date),
        )
    ):
        training[(trainee, day)].append(
            _(
                "training %(course)s %(start)s–%(end)s",
                course=localized(course, course_zh),
                start=f"{start // 60:02d}:{start % 60:02d}",
                end=f"{end // 60:02d}:{end % 60:02d}",
            )
        )
    return training


def _cell(a, day: dt.date, types: ShiftTypes, colour: dict, on_leave: bool, training: list[str]) -> dict:
    """One cell of the grid: the shift `a` (with its breaks, activities and any training), else the
    agent's training, leave or day off."""
    if a is not None:
        kind = types.get(a.shift, {})
        cell = {
            "day": day,
            "label": _short(a.start, a.end),
            "shift": a.shift,
            "template": kind.get("template", ""),
            "css": colour.get(kind.get("template"), ""),
            "pinned": a.pinned,
            "breaks": [f"{b[2]} {(a.start + dt.timedelta(minutes=b[0])):%H:%M}" for b in breaks_of(a, types)]
            + activity_labels(a),
            "activities": activity_labels(a, short=True),
            "work": blocks.labels(a),
        }
        if a.activities:
            cell["css"] += " with-activity"
        if training:
            cell["breaks"] = cell["breaks"] + training
            cell["css"] += " with-training"
        return cell
    if training:
        return {
            "day": day,
            "label": _("training"),
            "shift": None,
            "css": "training",
            "activities": [],
            "breaks": training,
        }
    return {
        "day": day,
        "label": _("leave") if on_leave else "",
        "shift": None,
        "css": "leave" if on_leave else "off",
        "activities": [],
    }


def grid(
    roster: Roster,
    team: str | None = None,
    agent_id: int | None = None,
    week: int | None = None,
    chart: bool = True,
) -> dict:
    """Agents × days with each cell's shift; per-day cover against the plan; broken rules; versions.

    `week` (1-based) limits the cells, the day totals and the coverage chart to that week of the roster (the
    grid's pages: 200 agents x 4 weeks was 900 KB of HTML); None gives every day (the PDF). Hours, broken
    rules and the lists below the grid always cover the whole roster. `chart=False` leaves the coverage chart
    and the cover figures below the grid out (paper has neither)."""
    assignments = cell_rows(roster)
    data, evaluation = evaluation_of(roster, assignments)
    shown = range(roster.days) if week is None else range(7 * (week - 1), min(7 * week, roster.days))
    shown_dates = [roster.dates[d] for d in shown]
    templates = sorted({t["template"] for t in data.shift_types})
    colour = {name: f"tpl-{i % TEMPLATE_CLASSES}" for i, name in enumerate(templates)}
    types = {t["id"]: t for t in data.shift_types}
    cells = {(a.agent_id, a.day): a for a in assignments}
    leave = _approved_leave(roster, data.agents)
    training = _training_labels(roster, data.agents)
    paid = defaultdict(int)  # the whole roster's paid minutes per agent, whichever week is shown
    for a in assignments:
        paid[a.agent_id] += types.get(a.shift, {}).get("paid_minutes", 0)
    rows = []
    for agent in data.agents:
        team_name = agent.team.name if agent.team else ""
        if (team and team_name != team) or (agent_id and agent.id != agent_id):
            continue
        row_cells = [
            _cell(
                cells.get((agent.id, day)),
                day,
                types,
                colour,
                day in leave[agent.id],
                training[(agent.id, day)],
            )
            for day in shown_dates
        ]
        rows.append(
            {
                "id": agent.id,
                "name": agent.name,
                "number": agent.employee_number,
                "team": team_name,
                "contract": agent.contracted_hours,
                "hours": paid[agent.id] / 60,
                "cells": row_cells,
            }
        )
    planned = defaultdict(int)
    for c in data.problem.cover:
        planned[c.day] += c.requirement
    short = defaultdict(int)
    over = defaultdict(int)
    for day_index, _shift, deviation in evaluation.cover_deviations:
        (over if deviation > 0 else short)[day_index] += abs(deviation)
    worked = defaultdict(int)
    for a in assignments:
        worked[(a.day - roster.start_date).days] += 1
    days = [
        {
            "day": roster.dates[d],
            "planned": planned[d],
            "worked": worked[d],
            "short": short[d],
            "over": over[d],
        }
        for d in shown
    ]
    names = {a.id: a.name for a in data.agents}
    cover = coverage.total_cover(roster, types, assignments) if chart else None
    wanted = {(r.employee, r.day, r.shift): r.on for r in data.problem.requests}
    return {
        "id": roster.id,
        "name": roster.name,
        "site": roster.site.name,
        "start": roster.start_date,
        "week_start": week_start_weekday(roster.site),
        "end": roster.end_date,
        "dates": roster.dates,
        "shown": shown_dates,
        "week": week,
        "weeks": weeks_of(roster),
        "rows": rows,
        "days": days,
        "templates": colour,
        "status": roster.solver_status,
        "objective": roster.objective,
        "bound": roster.bound,
        "seconds": roster.seconds,
        "lock_version": roster.lock_version,
        "published": roster.published_version,
        "plan_id": roster.plan_id,
        "current_objective": evaluation.objective,
        "parts": evaluation.parts,
        "broken": [
            {
                "rule": b["rule"].replace("_", " "),
                "agent": names.get(b["agent_id"], b["agent_id"]),
                "days": b["days"],
                "amount": b["amount"],
            }
            for b in roster.broken
        ],
        "violations": [
            {
                "rule": v.rule.replace("_", " "),
                "agent": names.get(int(v.employee), v.employee),
                "detail": v.detail,
            }
            for v in evaluation.violations
        ],
        "teams": sorted({a.team.name for a in data.agents if a.team}),
        "shift_types": data.shift_types,
        "by_skill_group": any(t.get("skill_group") for t in data.shift_types),
        "versions": [
            {
                "number": v.number,
                "at": v.published_at,
                "by": v.published_by.display_name if v.published_by else "",
                "changed": [names.get(a, a) for a in v.agents_changed],
            }
            for v in reversed(roster.versions)
        ],
        "changes": [
            {
                "at": c.at,
                "kind": c.kind,
                "agent": c.agent.name if c.agent else "",
                "day": c.day,
                "before": c.before,
                "after": c.after,
                "note": c.note,
                "by": c.user.display_name if c.user else "",
            }
            for c in RosterChange.query.filter_by(roster_id=roster.id)
            .order_by(RosterChange.id.desc())
            .limit(25)
        ],
        "shifts_total": len(assignments),
        "wishes_broken": [
            {
                "agent": names.get(int(e), e),
                "day": roster.dates[d],
                "what": _wish_text(wanted.get((e, d, shift), False), shift),
                "weight": w,
            }
            for e, d, shift, w in evaluation.broken_requests
        ][:100],
        "cover_gaps": [
            {"day": roster.dates[d], "shift": shift, "deviation": dev}
            for d, shift, dev in sorted(evaluation.cover_deviations, key=lambda x: (x[0], x[1]))
            if dev < 0
        ][:200],
        "interval_gaps": interval_gaps(cover)[:100],
        "chart": coverage_chart(cover_on(cover, shown_dates), roster.name)
        if chart and not (team or agent_id)
        else None,
        "queues": coverage.skill_cover(roster, types, data.agents, assignments)
        if chart and not (team or agent_id)
        else [],
    }
