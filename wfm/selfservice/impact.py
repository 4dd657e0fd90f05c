"""What approving time off would do, from the published roster against the plan's requirement.

Per affected day: agents on the phones per interval (shifts less their breaks) with and without the
agent, against the plan's required agents; the intervals short and the agent-intervals missing; and a
service-level estimate that pools the site's live queues into one Erlang C queue per interval (calls and
handle times from the requirement the plan was built on). The pooled figure is an estimate: it ignores
skills, and says so on the page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from wfm.forecasting.service_level import live_requirements, pooled_service_level
from wfm.models import Roster, TimeOff
from wfm.rosters.coverage import off_phone
from wfm.selfservice.published import owners, published_rosters


def _on_phones(roster: Roster, rows: list[dict], day: dt.date, step: dt.timedelta,
               skip_agent: int | None = None, window: tuple[dt.datetime, dt.datetime] | None = None) -> dict:
    types = {t["id"]: t for t in roster.shift_types}
    out: dict[dt.datetime, int] = defaultdict(int)
    for r in rows:
        start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        if start.date() != day and end.date() != day:
            continue
        breaks = [(start + dt.timedelta(minutes=b[0]), start + dt.timedelta(minutes=b[1]))
                  for b in off_phone(r, types)]
        moment = start
        while moment + step <= end:
            off = r["agent_id"] == skip_agent and (window is None or (window[0] < moment + step and moment < window[1]))
            if not off and not any(s < moment + step and moment < e for s, e in breaks):
                out[moment] += 1
            moment += step
    return out


def _service_level(roster: Roster, times: list[dt.datetime], agents: list[float]) -> float | None:
    """Pooled Erlang C service level over the intervals, weighted by calls (None without data). `agents`
    are those on the phones for the live queues (the caller takes the live queues' share)."""
    plan = roster.plan
    if plan is None:
        return None
    requirements = live_requirements((plan.settings or {}).get("requirements", {}).values())
    return pooled_service_level(requirements, plan.interval_minutes, times, agents)


def impact_of(t: TimeOff, site_id: int) -> list[dict]:
    """Per day of the request inside a published roster with a plan: the agent's shift; the smallest margin
    (on the phones less required) over the intervals they would leave; short intervals and missing
    agent-intervals over the day; and the pooled service level, each before and after."""
    out = []
    pairs = published_rosters(site_id, t.first_day, t.last_day)
    owner = owners(pairs)
    for roster, version in pairs:
        plan = roster.plan
        if plan is None:
            continue
        step = dt.timedelta(minutes=plan.interval_minutes)
        required: dict[dt.datetime, int] = defaultdict(int)
        live_required: dict[dt.datetime, int] = defaultdict(int)
        live = {q.name for q in roster.site.queues if not q.channel.is_deferred and q.answer_seconds}
        for c in plan.coverage:
            required[c.interval_start] += c.required
            if c.queue in live:
                live_required[c.interval_start] += c.required
        day = max(t.first_day, roster.start_date)
        while day <= min(t.last_day, roster.end_date):
            if owner.get(day) != roster.id:
                day += dt.timedelta(days=1)
                continue
            midnight = dt.datetime.combine(day, dt.time())
            window = None
            if t.from_minute is not None:
                window = (midnight + dt.timedelta(minutes=t.from_minute), midnight + dt.timedelta(minutes=t.to_minute))
            times = [midnight + k * step for k in range(int(dt.timedelta(days=1) / step))]
            before = _on_phones(roster, version.assignments, day, step)
            after = _on_phones(roster, version.assignments, day, step, skip_agent=t.agent_id, window=window)
            own = next((r for r in version.assignments if r["agent_id"] == t.agent_id and r["day"] == day.isoformat()),
                       None)
            b = [before.get(x, 0) for x in times]
            a = [after.get(x, 0) for x in times]
            need = [required.get(x, 0) for x in times]
            theirs = [i for i, x in enumerate(times) if b[i] != a[i]]
            # Agents on the live queues: the rostered agents in the live queues' share of the requirement.
            share = [live_required.get(x, 0) / required[x] if required.get(x) else 0.0 for x in times]
            live_b = [n * f for n, f in zip(b, share, strict=True)]
            live_a = [n * f for n, f in zip(a, share, strict=True)]
            hours = [times[i] for i in theirs]
            out.append({
                "day": day, "roster": roster.name,
                "shift": f"{dt.datetime.fromisoformat(own['start']):%H:%M}–{dt.datetime.fromisoformat(own['end']):%H:%M}"
                if own else None,
                "margin_before": min((b[i] - need[i] for i in theirs), default=None),
                "margin_after": min((a[i] - need[i] for i in theirs), default=None),
                "short_before": sum(1 for x, n in zip(b, need, strict=True) if x < n),
                "short_after": sum(1 for x, n in zip(a, need, strict=True) if x < n),
                "missing_before": sum(max(0, n - x) for x, n in zip(b, need, strict=True)),
                "missing_after": sum(max(0, n - x) for x, n in zip(a, need, strict=True)),
                "sl_before": _service_level(roster, times, live_b) if theirs else None,
                "sl_after": _service_level(roster, times, live_a) if theirs else None,
                "sl_hours_before": _service_level(roster, hours, [live_b[i] for i in theirs]) if theirs else None,
                "sl_hours_after": _service_level(roster, hours, [live_a[i] for i in theirs]) if theirs else None,
            })
            day += dt.timedelta(days=1)
    return out
