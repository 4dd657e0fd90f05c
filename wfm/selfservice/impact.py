"""What approving time off would do, from the published roster against the plan's requirement.

Per affected day: agents on the phones per interval (shifts less their breaks) with and without the
agent, against the plan's required agents; the intervals short and the agent-intervals missing; and the
service-level estimate of `wfm.forecasting.service_level` (Erlang C on the skilled agents on the phones
against the forecast the plan was built on), or the reason it cannot be made."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wfm.forecasting.service_level import PhoneTime, estimate, from_roster, plan_requirements
from wfm.models import Roster, TimeOff
from wfm.rosters.coverage import off_phone
from wfm.selfservice.published import owners, published_rosters


def _on_phones(
    roster: Roster,
    rows: list[dict],
    day: dt.date,
    step: dt.timedelta,
    skip_agent: int | None = None,
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> dict:
    types = {t["id"]: t for t in roster.shift_types}
    out: dict[dt.datetime, int] = defaultdict(int)
    for r in rows:
        start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        if start.date() != day and end.date() != day:
            continue
        breaks = [
            (start + dt.timedelta(minutes=b[0]), start + dt.timedelta(minutes=b[1]))
            for b in off_phone(r, types)
        ]
        moment = start
        while moment + step <= end:
            off = r["agent_id"] == skip_agent and (
                window is None or (window[0] < moment + step and moment < window[1])
            )
            if not off and not any(s < moment + step and moment < e for s, e in breaks):
                out[moment] += 1
            moment += step
    return out


def _estimates(
    roster: Roster,
    rows: list[dict],
    day: dt.date,
    skip_agent: int,
    window: tuple[dt.datetime, dt.datetime] | None,
) -> dict:
    """The service-level estimates of the day and of the agent's hours, before and after (each a value or
    the reason it cannot be made)."""
    types = {t["id"]: t for t in roster.shift_types}
    phones = PhoneTime(
        [r for r in rows if r["day"] in {day.isoformat(), (day - dt.timedelta(days=1)).isoformat()}],
        lambda r: off_phone(r, types),
    )

    def before(t: dt.datetime, step: dt.timedelta) -> set[int]:
        return phones.at(t, step)

    def after(t: dt.datetime, step: dt.timedelta) -> set[int]:
        out = set(phones.at(t, step))
        if skip_agent in out and (window is None or (window[0] < t + step and t < window[1])):
            out.discard(skip_agent)
        return out

    def theirs(t: dt.datetime, step: dt.timedelta) -> bool:
        return skip_agent in before(t, step) and skip_agent not in after(t, step)

    requirements = plan_requirements((roster.plan.settings or {}).get("requirements", {}).values())
    first = dt.datetime.combine(day, dt.time())
    last = first + dt.timedelta(days=1)
    ids = [r["agent_id"] for r in rows]
    out = {}
    for name, when in (("sl", None), ("sl_hours", theirs)):
        b = estimate(requirements, first, last, from_roster(before, day, ids), when=when)
        a = estimate(requirements, first, last, from_roster(after, day, ids), when=when)
        both = b.level is not None and a.level is not None  # a figure only when both sides have one
        out[f"{name}_before"], out[f"{name}_after"] = (b.level, a.level) if both else (None, None)
        out[f"{name}_reason"] = None if both else b.reason or a.reason
    return out


def impact_of(t: TimeOff, site_id: int) -> list[dict]:
    """Per day of the request inside a published roster with a plan: the agent's shift; the smallest margin
    (on the phones less required) over the intervals they would leave; short intervals and missing
    agent-intervals over the day; and the service-level estimate (or why there is none), each before and
    after."""
    out = []
    pairs = published_rosters(site_id, t.first_day, t.last_day)
    owner = owners(pairs)
    for roster, version in pairs:
        plan = roster.plan
        if plan is None:
            continue
        step = dt.timedelta(minutes=plan.interval_minutes)
        required: dict[dt.datetime, int] = defaultdict(int)
        for c in plan.coverage:
            required[c.interval_start] += c.required
        day = max(t.first_day, roster.start_date)
        while day <= min(t.last_day, roster.end_date):
            if owner.get(day) != roster.id:
                day += dt.timedelta(days=1)
                continue
            midnight = dt.datetime.combine(day, dt.time())
            window = None
            if t.from_minute is not None:
                window = (
                    midnight + dt.timedelta(minutes=t.from_minute),
                    midnight + dt.timedelta(minutes=t.to_minute),
                )
            times = [midnight + k * step for k in range(int(dt.timedelta(days=1) / step))]
            before = _on_phones(roster, version.assignments, day, step)
            after = _on_phones(roster, version.assignments, day, step, skip_agent=t.agent_id, window=window)
            own = next(
                (
                    r
                    for r in version.assignments
                    if r["agent_id"] == t.agent_id and r["day"] == day.isoformat()
                ),
                None,
            )
            b = [before.get(x, 0) for x in times]
            a = [after.get(x, 0) for x in times]
            need = [required.get(x, 0) for x in times]
            theirs = [i for i, x in enumerate(times) if b[i] != a[i]]
            out.append(
                {
                    "day": day,
                    "roster": roster.name,
                    "shift": f"{dt.datetime.fromisoformat(own['start']):%H:%M}–"
                    f"{dt.datetime.fromisoformat(own['end']):%H:%M}"
                    if own
                    else None,
                    "margin_before": min((b[i] - need[i] for i in theirs), default=None),
                    "margin_after": min((a[i] - need[i] for i in theirs), default=None),
                    "short_before": sum(1 for x, n in zip(b, need, strict=True) if x < n),
                    "short_after": sum(1 for x, n in zip(a, need, strict=True) if x < n),
                    "missing_before": sum(max(0, n - x) for x, n in zip(b, need, strict=True)),
                    "missing_after": sum(max(0, n - x) for x, n in zip(a, need, strict=True)),
                    **(
                        _estimates(roster, version.assignments, day, t.agent_id, window)
                        if theirs
                        else {
                            "sl_before": None,
                            "sl_after": None,
                            "sl_hours_before": None,
                            "sl_hours_after": None,
                            "sl_reason": None,
                            "sl_hours_reason": None,
                            "no_change": True,
                        }
                    ),
                }
            )
            day += dt.timedelta(days=1)
    return out
