"""The covering engine, checked from the returned plan rows (recomputed here), not from the solver's word."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest

from scheduling.shifts import (
    BreakRule,
    CostRule,
    ShiftTemplate,
    SiteLimit,
    TemplateError,
    plan_shifts,
    requirement_from_records,
    requirement_from_series,
)

MONDAY = date(2024, 1, 1)
HOURLY_55 = [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8]


def on_phones(plan, requirement, cyclic=False, group=None):
    """Agents on the phones per interval, from the rows alone: minute by minute, shifts minus breaks."""
    step = timedelta(minutes=requirement.interval_minutes)
    n = requirement.n_intervals
    counts = np.zeros(n, dtype=int)
    for row in plan.rows:
        if group is not None and row.template not in group:
            continue
        moment = row.start
        while moment < row.end:
            index = int((moment - requirement.start) / step)
            on_break = any(b.start <= moment < b.end for b in row.breaks)
            if not on_break and (index < n or cyclic):
                counts[index % n] += row.agents
            moment += step
    return counts


def check_breaks(plan, templates):
    """Every agent of a row takes each break its length calls for, once, inside the window."""
    by_name = {t.name: t for t in templates}
    for row in plan.rows:
        template = by_name[row.template]
        length = int((row.end - row.start).total_seconds() // 60)
        expected = sorted(rule.name for rule in template.breaks_for(length))
        assert sorted(b.name for b in row.breaks) == expected
        for item in row.breaks:
            rule = next(r for r in template.breaks if r.name == item.name)
            assert item.end - item.start == timedelta(minutes=rule.minutes)
            assert item.paid == rule.paid
            assert row.start + timedelta(minutes=rule.window_start) <= item.start
            assert item.end <= row.start + timedelta(minutes=rule.window_end)


def recomputed_cost(plan, templates):
    by_name = {t.name: t for t in templates}
    total = 0.0
    for row in plan.rows:
        start = row.start.hour * 60 + row.start.minute
        length = int((row.end - row.start).total_seconds() // 60)
        total += row.agents * by_name[row.template].shift_cost(row.start.weekday(), start, length)
    return total


def test_reference_55_shifts_cyclic_day():
    need = requirement_from_series(MONDAY, 60, HOURLY_55)
    eight = [ShiftTemplate("8h", starts=tuple(range(0, 1440, 60)), lengths=(480,), cost=CostRule(fixed=1))]
    plan = plan_shifts(need, eight, cyclic=True, time_limit=20)
    assert plan.report.status == "optimal"
    assert plan.total_agents == 55
    assert plan.cost == 55
    assert (on_phones(plan, need, cyclic=True) >= need.total()).all()
    assert plan.unmet_agent_intervals == 0


def test_reference_days_off_23_workers():
    need = requirement_from_series(MONDAY, 1440, [17, 13, 15, 19, 14, 16, 11])
    five_days = [ShiftTemplate("5 on 2 off", starts=(0,), lengths=(5 * 1440,), cost=CostRule(fixed=1))]
    plan = plan_shifts(need, five_days, cyclic=True, time_limit=20)
    assert plan.report.status == "optimal"
    assert plan.total_agents == 23
    assert (on_phones(plan, need, cyclic=True) >= need.total()).all()
    # without the wrap-around the same week needs more people: the horizon option matters
    assert plan_shifts(need, five_days, cyclic=False, time_limit=20).total_agents > 23


def _two_day_peaks():
    values = np.zeros(2 * 96, dtype=int)
    for day in range(2):
        for q in range(96):
            hour = q / 4
            if 7 <= hour < 19:
                values[day * 96 + q] = 3 + int(4 * np.sin(np.pi * (hour - 7) / 12) ** 2) + (q % 3 == 0)
    return requirement_from_series(MONDAY, 15, values)


BREAK_TEMPLATES = [
    ShiftTemplate(
        "flex",
        starts=tuple(range(6 * 60, 13 * 60 + 1, 15)),
        lengths=(240, 480),
        breaks=(
            BreakRule("coffee", 15, 60, 150, paid=True),
            BreakRule("lunch", 30, 180, 300, paid=False, min_shift_minutes=480),
            BreakRule("tea", 15, 330, 420, paid=True, min_shift_minutes=480),
        ),
        cost=CostRule(per_hour=4),
    ),
]


def test_breaks_are_placed_inside_their_windows_and_coverage_holds_net_of_breaks():
    need = _two_day_peaks()
    seen = []
    plan = plan_shifts(need, BREAK_TEMPLATES, time_limit=30, progress=lambda phase, share: seen.append(phase))
    assert seen
    assert seen[0] == "lp relaxation"
    assert seen == [p["phase"] for p in plan.stats["phases"]]
    assert plan.report.status == "optimal"
    assert plan.report.gap <= 1e-3
    check_breaks(plan, BREAK_TEMPLATES)
    phones = on_phones(plan, need)
    assert (phones >= need.total()).all()
    assert plan.unmet_agent_intervals == 0
    assert plan.cost == pytest.approx(recomputed_cost(plan, BREAK_TEMPLATES))
    covered = [c.on_phones for c in plan.coverage]
    assert covered == phones.tolist()  # the coverage the engine reports is the plan's own
    # the breaks cost coverage: the same shifts without breaks would over-cover
    assert any(row.breaks for row in plan.rows)


def test_direct_strategy_and_cbc_agree_on_the_optimum():
    need = _two_day_peaks()
    small = [
        ShiftTemplate(
            "flex",
            starts=tuple(range(6 * 60, 13 * 60 + 1, 60)),
            lengths=(240, 480),
            breaks=(BreakRule("lunch", 30, 180, 300, paid=False, min_shift_minutes=480),),
            cost=CostRule(per_hour=2),
        )
    ]
    first = plan_shifts(need, small, time_limit=30)
    direct = plan_shifts(need, small, time_limit=30, strategy="direct", gap=0.0)
    cbc = plan_shifts(need, small, time_limit=30, solver="cbc", strategy="direct", gap=0.0)
    assert direct.report.status == cbc.report.status == "optimal"
    assert direct.objective == pytest.approx(cbc.objective)
    assert first.objective <= direct.objective * 1.001 + 1e-9
    for plan in (first, direct, cbc):
        check_breaks(plan, small)
        assert (on_phones(plan, need) >= need.total()).all()


def test_shifts_cross_midnight_and_spill_past_the_horizon():
    records = [(datetime(2024, 1, 1, 22) + timedelta(minutes=30 * i), "all", 2) for i in range(16)]
    records += [(datetime(2024, 1, 2, 23, 30), "all", 1)]
    need = requirement_from_records(records)
    night = [ShiftTemplate("night", starts=(22 * 60, 23 * 60 + 30), lengths=(480,))]
    plan = plan_shifts(need, night, time_limit=20)
    assert plan.report.status == "optimal"
    assert plan.unmet_agent_intervals == 0
    first = [r for r in plan.rows if r.date == date(2024, 1, 1)]
    assert sum(r.agents for r in first) == 2
    assert all(r.end.date() == date(2024, 1, 2) for r in first)
    spill = [r for r in plan.rows if r.date == date(2024, 1, 2)]
    # past the horizon
    assert sum(r.agents for r in spill) == 1
    assert spill[0].end.date() == date(2024, 1, 3)
    assert (on_phones(plan, need) >= need.total()).all()


def test_cyclic_horizon_lets_the_last_night_cover_the_first_morning():
    records = [(datetime(2024, 1, 1, 0) + timedelta(hours=h), "all", 1) for h in range(2)]
    records += [(datetime(2024, 1, 2, 23), "all", 1)]
    need = requirement_from_records(records)
    late = [ShiftTemplate("late", starts=(23 * 60,), lengths=(180,))]
    plain = plan_shifts(need, late, time_limit=20)
    assert plain.unmet_agent_intervals == 2  # nothing can start before the horizon
    assert {c.interval_start.hour for c in plain.shortfalls} == {0, 1}
    cyclic = plan_shifts(need, late, cyclic=True, time_limit=20)
    assert cyclic.unmet_agent_intervals == 0
    assert cyclic.total_agents == 1
    assert (on_phones(cyclic, need, cyclic=True) >= need.total()).all()


def test_soft_coverage_reports_exactly_the_shortfall_a_site_limit_forces():
    values = [0] * 8 + [2, 5, 5, 2] + [0] * 12
    need = requirement_from_series(MONDAY, 60, values)
    site = [ShiftTemplate("day", starts=tuple(range(0, 1440, 60)), lengths=(240,), site="north")]
    plan = plan_shifts(need, site, [SiteLimit("north", max_agents=3)], time_limit=20)
    assert plan.report.status == "optimal"
    short = {c.interval_start.hour: c.short for c in plan.shortfalls}
    assert short == {9: 2, 10: 2}
    assert plan.unmet_agent_intervals == 4
    phones = on_phones(plan, need)
    assert phones.max() <= 3
    assert (phones >= np.minimum(need.total(), 3)).all()


def test_most_starts_per_interval_is_kept():
    need = requirement_from_series(MONDAY, 60, [0] * 8 + [6] * 8 + [0] * 8)
    site = [ShiftTemplate("day", starts=tuple(range(6 * 60, 12 * 60 + 1, 60)), lengths=(480,), site="s")]
    plan = plan_shifts(need, site, [SiteLimit("s", max_starts_per_interval=2)], time_limit=20)
    starts: dict[datetime, int] = {}
    for row in plan.rows:
        starts[row.start] = starts.get(row.start, 0) + row.agents
    assert max(starts.values()) <= 2
    assert plan.unmet_agent_intervals == 0
    assert (on_phones(plan, need) >= need.total()).all()


def test_queues_are_served_only_by_templates_whose_skill_group_holds_them():
    stamps = [datetime(2024, 1, 1, 8) + timedelta(hours=h) for h in range(8)]
    need = requirement_from_records([(s, "retail", 3) for s in stamps] + [(s, "english", 2) for s in stamps])
    templates = [
        ShiftTemplate(
            "retail only", starts=(480,), lengths=(480,), queues=frozenset({"retail"}), cost=CostRule(fixed=8)
        ),
        ShiftTemplate(
            "bilingual",
            starts=(480,),
            lengths=(480,),
            queues=frozenset({"retail", "english"}),
            cost=CostRule(fixed=10),
        ),
    ]
    plan = plan_shifts(need, templates, time_limit=20)
    assert plan.report.status == "optimal"
    assert plan.unmet_agent_intervals == 0
    counts = {r.template: r.agents for r in plan.rows}
    assert counts == {"retail only": 3, "bilingual": 2}
    # Hall's condition, from the rows: english needs bilingual agents, both together need everyone
    bilingual = on_phones(plan, need, group={"bilingual"})
    everyone = on_phones(plan, need)
    english, retail = (need.values[need.queues.index(q)] for q in ("english", "retail"))
    assert (bilingual >= english).all()
    assert (everyone >= english + retail).all()
    per_queue = {(c.interval_start, c.queue): c for c in plan.coverage}
    assert all(per_queue[(s, q)].short == 0 for s in stamps for q in ("retail", "english"))


def test_starts_off_the_requirement_grid_are_refused_with_the_field_named():
    need = requirement_from_series(MONDAY, 30, [1] * 48)
    with pytest.raises(TemplateError, match="template 'odd', field 'start'"):
        plan_shifts(need, [ShiftTemplate("odd", starts=(485,), lengths=(480,))], time_limit=5)
    with pytest.raises(TemplateError, match=r"field 'breaks\[b\]"):
        plan_shifts(
            need,
            [ShiftTemplate("odd", starts=(480,), lengths=(480,), breaks=(BreakRule("b", 10, 60, 120),))],
            time_limit=5,
        )
