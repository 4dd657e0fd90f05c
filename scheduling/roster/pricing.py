"""One employee's cheapest roster row under all their hard rules: the pricing step of column generation.

Given a cost for every (day, shift) cell and for every worked weekend, find the row (a shift or a day off
for each day) that keeps every one of the employee's hard rules and costs least. The rules are those of
`Staff` exactly as the integer model states them (see `formulation.py` and `evaluate.staff_violations`):
one shift a day, cells the employee may not work, pinned cells, shifts that cannot follow, most and
fewest consecutive working days, fewest consecutive days off (blocks touching either end of the horizon
exempt), most shifts of each type, total and weekly minutes, most working weekends.

It is a shortest path with resources, solved by labels: each label is a partial row up to a day, held by
its state (the last shift or a day off, how long the current block has run, whether it started on the
first day, the minutes so far) and its resources (shifts of each capped type, weekends worked); a label
is dropped when another in the same state costs no more and has used no more of every resource. A bound
from a backward pass without resources drops every label that cannot end below the threshold, which is
what makes the late rounds of column generation (where most employees have no improving row) cheap.

Compiled, this labelling takes a millisecond or a few where HiGHS on the same small model takes hundreds,
which is what lets column generation converge in seconds. The kernel is compiled by numba when the module
is first imported and cached on disk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from scheduling.roster.model import RosterProblem, Staff

BIG = 1 << 20
OFF = -1
LABEL_LIMIT = 4_000_000  # labels over the whole horizon; beyond this the row is not priced (returns None)


@dataclass(frozen=True)
class EmployeeRules:
    """One employee's rules as the arrays the kernel reads (built once, reused every round)."""

    allowed: np.ndarray  # bool [horizon, shifts]
    off_ok: np.ndarray  # bool [horizon]: False where a shift is pinned
    follow_ok: np.ndarray  # bool [shifts, shifts]: may the second follow the first on the next day
    units: np.ndarray  # int [shifts]: minutes in units of `unit`
    cap_of: np.ndarray  # int [shifts]: index into cap_max, -1 when the type is not capped
    cap_max: np.ndarray  # int [caps] (at least one entry)
    max_cons: int
    min_cons: int
    min_off: int
    weekend_first: np.ndarray  # int [horizon]: weekend index on a weekend's first day, else -1
    weekend_second: np.ndarray  # int [horizon]: weekend index on its second day, else -1
    max_weekends: int
    total_low: int  # units; total minutes kept in [low, high] (high = BIG when not tracked)
    total_high: int
    total_cap: int  # the largest total the state keeps apart (0: not tracked)
    week_low: int
    week_high: int
    week_cap: int  # 0: weeks not tracked
    unit: int
    week_start: int = 0  # day index where the centre's weeks start (`RosterProblem.week_start`)


def employee_rules(problem: RosterProblem, person: Staff) -> EmployeeRules:
    horizon, shifts = problem.horizon, problem.shifts
    n = len(shifts)
    index = {s.id: k for k, s in enumerate(shifts)}
    allowed = np.array(
        [[problem.allowed(person, d, s.id) for s in shifts] for d in range(horizon)], dtype=np.bool_
    ).reshape(horizon, n)
    off_ok = np.ones(horizon, dtype=np.bool_)
    for (emp, d), shift in problem.pinned.items():
        if emp != person.id:
            continue
        if shift is None:
            allowed[d, :] = False
        else:
            keep = allowed[d, index[shift]]
            allowed[d, :] = False
            allowed[d, index[shift]] = keep
            off_ok[d] = False
    follow_ok = np.array([[t.id not in s.cannot_follow for t in shifts] for s in shifts], dtype=np.bool_)
    follow_ok = follow_ok.reshape(n, n)
    lengths = [s.minutes for s in shifts]
    unit = 0
    for m in lengths:
        unit = math.gcd(unit, m)
    unit = unit or 1
    units = np.array([m // unit for m in lengths], dtype=np.int64)
    most_units = int(
        sum(max((units[k] for k in range(n) if allowed[d, k]), default=0) for d in range(horizon))
    )
    # A cap binds only below both the days the type can be worked and the shifts the minutes allow.
    cap_of = np.full(n, -1, dtype=np.int64)
    caps: list[int] = []
    for s_id, cap in person.max_shifts.items():
        k = index[s_id]
        days = int(allowed[:, k].sum())
        by_minutes = (
            person.max_minutes // shifts[k].minutes
            if person.max_minutes is not None and shifts[k].minutes
            else days
        )
        if 0 < cap < min(days, by_minutes):
            cap_of[k] = len(caps)
            caps.append(cap)
    weekend_first = np.full(horizon, -1, dtype=np.int64)
    weekend_second = np.full(horizon, -1, dtype=np.int64)
    for i, (sat, sun) in enumerate(problem.weekends()):
        weekend_first[sat], weekend_second[sun] = i, i
    n_weekends = len(problem.weekends())
    max_weekends = n_weekends if person.max_weekends is None else min(n_weekends, person.max_weekends)
    total_low = -(-person.min_minutes // unit)
    total_high = BIG if person.max_minutes is None else person.max_minutes // unit
    total_cap = min(total_high, most_units) if person.max_minutes is not None else total_low
    if person.max_minutes is not None and total_high >= most_units and total_low == 0:
        total_cap = 0  # neither bound can matter
    weeks = person.max_week_minutes is not None or (
        person.min_week_minutes is not None and any(whole for _days, whole in problem.weeks())
    )
    week_low = -(-(person.min_week_minutes or 0) // unit)
    week_high = BIG if person.max_week_minutes is None else person.max_week_minutes // unit
    week_cap = 0
    if weeks:
        week_most = 7 * int(units.max(initial=0))
        week_cap = min(week_high, week_most) if person.max_week_minutes is not None else week_low
        week_cap = max(week_cap, 1)
    max_cons = horizon if person.max_consecutive is None else min(horizon, person.max_consecutive)
    return EmployeeRules(
        allowed,
        off_ok,
        follow_ok,
        units,
        cap_of,
        np.array(caps or [BIG], dtype=np.int64),
        max_cons,
        person.min_consecutive,
        person.min_days_off,
        weekend_first,
        weekend_second,
        max_weekends,
        total_low,
        total_high,
        total_cap,
        week_low,
        week_high,
        week_cap,
        unit,
        problem.week_start,
    )


def pricing_work(rules: EmployeeRules) -> int:
    """About how many label extensions one pricing takes at most: states x minutes kept apart x choices x
    days. Curtois 10 needs 0.7 million (a few ms); 53 shift types with weekly hours (the centre's rosters)
    86 million (250 ms), too slow to converge in a job's time."""
    horizon, n_shifts = rules.allowed.shape
    work_runs = rules.max_cons if rules.max_cons < horizon else max(rules.min_cons, 1)
    states = n_shifts * work_runs * 2 + max(rules.min_off, 1) * 2
    return states * (rules.total_cap + 1) * (rules.week_cap + 1) * (n_shifts + 1) * horizon


def cheapest_row(
    rules: EmployeeRules, cost: np.ndarray, weekend_cost: np.ndarray, threshold: float = np.inf, keep: int = 0
) -> tuple[float, np.ndarray] | None:
    """The cheapest row costing less than `threshold`: (cost, shift index per day, -1 for off); with
    no such row, (inf, empty). None when the labels outgrew `LABEL_LIMIT` (the row is then not known).

    `keep` > 0 prices heuristically: at most that many labels per state, the cheapest, so the row keeps
    every rule but may not be the cheapest (fast, for the early rounds; 0 is exact)."""
    found, best, path = _label(
        rules.allowed,
        rules.off_ok,
        np.ascontiguousarray(cost, dtype=np.float64),
        rules.follow_ok,
        rules.units,
        rules.cap_of,
        rules.cap_max,
        int(rules.max_cons),
        int(rules.min_cons),
        int(rules.min_off),
        rules.weekend_first,
        rules.weekend_second,
        np.ascontiguousarray(weekend_cost, dtype=np.float64),
        int(rules.max_weekends),
        int(rules.total_low),
        int(rules.total_high),
        int(rules.total_cap),
        int(rules.week_low),
        int(rules.week_high),
        int(rules.week_cap),
        float(threshold),
        LABEL_LIMIT,
        int(keep),
        int(rules.week_start),
    )
    if not found:
        return None
    return best, path


@njit(cache=True)
def _state(last, run, fs, n_shifts, work_runs, off_runs):
    """State index: work states (last shift, run, from-start) then off states (run, from-start)."""
    if last >= 0:
        return ((last * work_runs) + (run - 1)) * 2 + fs
    return n_shifts * work_runs * 2 + (run - 1) * 2 + fs


@njit(cache=True)
def _extend(run, longest, minimum, fs):
    """One more day of the same block: its run (kept no longer than `longest` apart) and its
    from-the-first-day flag, which stops mattering once the block is `minimum` long."""
    new_run = min(run + 1, longest)
    return new_run, 0 if new_run >= minimum else fs


@njit(cache=True)
def _step(last, run, fs, choice, max_cons, min_cons, min_off, work_runs, follow_ok):
    """The state after working `choice` (-1: off) the next day, or last = -2 when not allowed."""
    if choice >= 0:
        if last >= 0:
            if run >= max_cons or not follow_ok[last, choice]:
                return -2, 0, 0
            new_run, new_fs = _extend(run, work_runs, min_cons, fs)
            return choice, new_run, new_fs
        if run < min_off and fs == 0:
            return -2, 0, 0
        return choice, 1, 0
    if last >= 0:
        if run < min_cons and fs == 0:
            return -2, 0, 0
        return -1, 1, 0
    new_run, new_fs = _extend(run, min_off, min_off, fs)
    return -1, new_run, new_fs


@njit(cache=True)
def _grow(array, capacity):
    out = np.empty(capacity, dtype=array.dtype)
    out[: array.shape[0]] = array
    return out


# --- the backward bound ------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _backward_cost(d, choice, last, cost, units, weekend_first, weekend_second, weekend_cost):
    """What working `choice` on day d adds in the backward pass: (cost, units)."""
    if choice < 0:
        return 0.0, 0
    c = cost[d, choice]
    w = weekend_first[d]
    if w >= 0:
        c += weekend_cost[w]
    w = weekend_second[d]
    if w >= 0 and last < 0 and weekend_first[d] != w:  # a one-day weekend (d, d) is counted once
        c += weekend_cost[w]
    return c, units[choice]


@njit(cache=True, inline="always")
def _relax(after, d, st, nst, c, step, total_cap, total_high):
    """Lower `after[d, st, :]` through one choice leading to state `nst` on day d + 1."""
    for t in range(total_cap + 1):
        nt = 0
        if total_cap > 0:
            nt = t + step
            if nt > total_high:
                continue
            if nt > total_cap:
                nt = total_cap
        value = c + after[d + 1, nst, nt]
        if value < after[d, st, t]:
            after[d, st, t] = value


@njit(cache=True, inline="always")
def _backward_state(
    after,
    d,
    last,
    run,
    fs,
    allowed,
    off_ok,
    follow_ok,
    units,
    weekend_first,
    weekend_second,
    cost,
    weekend_cost,
    max_cons,
    min_cons,
    min_off,
    work_runs,
    off_runs,
    total_cap,
    total_high,
):
    n_shifts = allowed.shape[1]
    st = _state(last, run, fs, n_shifts, work_runs, off_runs)
    for choice in range(-1, n_shifts):
        if (choice >= 0 and not allowed[d + 1, choice]) or (choice < 0 and not off_ok[d + 1]):
            continue
        nl, nr, nf = _step(last, run, fs, choice, max_cons, min_cons, min_off, work_runs, follow_ok)
        if nl == -2:
            continue
        c, step = _backward_cost(
            d + 1, choice, last, cost, units, weekend_first, weekend_second, weekend_cost
        )
        nst = _state(nl, nr, nf, n_shifts, work_runs, off_runs)
        _relax(after, d, st, nst, c, step, total_cap, total_high)


@njit(cache=True)
def _backward(
    allowed,
    off_ok,
    follow_ok,
    units,
    weekend_first,
    weekend_second,
    cost,
    weekend_cost,
    max_cons,
    min_cons,
    min_off,
    work_runs,
    off_runs,
    total_cap,
    total_high,
    total_low,
    n_states,
):
    """Least cost of days d+1.. from each state and minutes so far at the end of day d, keeping the total
    minutes in bounds but no other resource (caps, weekends, weeks)."""
    n_days, n_shifts = allowed.shape
    totals = total_cap + 1
    after = np.full((n_days, n_states, totals), np.inf)
    for st in range(n_states):
        for t in range(totals):
            if total_cap == 0 or t >= total_low:
                after[n_days - 1, st, t] = 0.0
    for d in range(n_days - 2, -1, -1):
        for last in range(-1, n_shifts):
            runs = work_runs if last >= 0 else off_runs
            for run in range(1, runs + 1):
                for fs in range(2):
                    _backward_state(
                        after,
                        d,
                        last,
                        run,
                        fs,
                        allowed,
                        off_ok,
                        follow_ok,
                        units,
                        weekend_first,
                        weekend_second,
                        cost,
                        weekend_cost,
                        max_cons,
                        min_cons,
                        min_off,
                        work_runs,
                        off_runs,
                        total_cap,
                        total_high,
                    )
    return after


@njit(cache=True)
def _remaining(allowed, units, cap_of, n_caps, weekend_second):
    """From each day on: the most units still to come (to drop labels that cannot reach a minimum), the
    shifts of each capped type and the weekends still possible."""
    n_days, n_shifts = allowed.shape
    most_after = np.zeros(n_days + 1, dtype=np.int64)
    cap_left = np.zeros((n_days + 1, n_caps), dtype=np.int64)
    weekends_left = np.zeros(n_days + 1, dtype=np.int64)
    for d in range(n_days - 1, -1, -1):
        m = 0
        for k in range(n_shifts):
            if allowed[d, k] and units[k] > m:
                m = units[k]
        most_after[d] = most_after[d + 1] + m
        for k in range(n_caps):
            cap_left[d, k] = cap_left[d + 1, k]
        for k in range(n_shifts):
            if allowed[d, k] and cap_of[k] >= 0:
                cap_left[d, cap_of[k]] += 1
        weekends_left[d] = weekends_left[d + 1]
        if weekend_second[d] >= 0:  # a weekend can still be worked while its second day is to come
            weekends_left[d] += 1
    return most_after, cap_left, weekends_left


# --- the forward labels ---------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _start(choice, min_cons, min_off):
    """The state after `choice` on the first day: a block that starts there is exempt from the minimum
    length until it reaches it."""
    if choice >= 0:
        return choice, 1, 0 if min_cons <= 1 else 1
    return -1, 1, 0 if min_off <= 1 else 1


@njit(cache=True, inline="always")
def _week(d, week, week_low, week_start, n_days, most_after):
    """The centre's weeks start at day `week_start`; the minimum holds in whole weeks only: (can the week
    still reach it, the week's units carried to the next day)."""
    pos = (d - week_start + 7) % 7
    whole = week_start <= d < week_start + 7 * ((n_days - week_start) // 7)
    if pos == 6:
        if whole and week < week_low:
            return False, week
        return True, 0
    if whole:
        rest = 0
        for dd in range(d + 1, d - pos + 7):
            rest += most_after[dd] - most_after[dd + 1]
        if week + rest < week_low:
            return False, week
    return True, week


@njit(cache=True, inline="always")
def _keys(total, week, total_cap, week_cap):
    """The minutes a label's state keeps apart: in total and in the week (0 when not tracked)."""
    key_total = 0 if total_cap == 0 else min(total, total_cap)
    key_week = 0 if week_cap == 0 else min(week, week_cap)
    return key_total, key_week


@njit(cache=True)
def _best_path(l_total, l_cost, l_alive, l_pred, l_choice, first, count, total_low, n_days):
    """The cheapest label of the last day and its row (shift index per day, -1 off)."""
    best = np.inf
    best_label = -1
    for j in range(first, count):
        if l_alive[j] and l_total[j] >= total_low and l_cost[j] < best:
            best = l_cost[j]
            best_label = j
    if best_label < 0:
        return best, np.empty(0, dtype=np.int64)
    path = np.full(n_days, -1, dtype=np.int64)
    j = best_label
    for d in range(n_days - 1, -1, -1):
        path[d] = l_choice[j]
        j = l_pred[j]
    return best, path


# Compiled when this module is first imported (and then loaded from numba's cache in __pycache__), not
# inside the first solve, whose time limit the compilation (about 7 s) would overrun.
_LABEL_SIGNATURE = (
    "Tuple((b1, f8, i8[:]))(b1[:, :], b1[:], f8[:, :], b1[:, :], i8[:], i8[:], i8[:], i8, i8, i8, "
    "i8[:], i8[:], f8[:], i8, i8, i8, i8, i8, i8, i8, f8, i8, i8, i8)"
)


# The forward labelling stays one loop in one compiled function (hence the noqa): with the label's
# dominance scan or its candidate state in functions of their own it gave the same rows and ran 1.3 to 2
# times slower (see bench/roster_notes.md).
@njit(_LABEL_SIGNATURE, cache=True)
def _label(  # noqa: C901
    allowed,
    off_ok,
    cost,
    follow_ok,
    units,
    cap_of,
    cap_max,
    max_cons,
    min_cons,
    min_off,
    weekend_first,
    weekend_second,
    weekend_cost,
    max_weekends,
    total_low,
    total_high,
    total_cap,
    week_low,
    week_high,
    week_cap,
    threshold,
    label_limit,
    keep,
    week_start,
):
    n_days, n_shifts = allowed.shape
    n_caps = cap_max.shape[0]
    work_runs = max_cons if max_cons < n_days else max(min_cons, 1)
    off_runs = max(min_off, 1)
    n_states = n_shifts * work_runs * 2 + off_runs * 2
    empty = np.empty(0, dtype=np.int64)
    after = _backward(
        allowed,
        off_ok,
        follow_ok,
        units,
        weekend_first,
        weekend_second,
        cost,
        weekend_cost,
        max_cons,
        min_cons,
        min_off,
        work_runs,
        off_runs,
        total_cap,
        total_high,
        total_low,
        n_states,
    )
    most_after, cap_left, weekends_left = _remaining(allowed, units, cap_of, n_caps, weekend_second)
    total_keys = total_cap + 1
    week_keys = week_cap + 1
    n_keys = n_states * total_keys * week_keys
    head = np.full(n_keys, -1, dtype=np.int64)
    capacity = 1024
    l_last = np.empty(capacity, dtype=np.int64)
    l_run = np.empty(capacity, dtype=np.int64)
    l_fs = np.empty(capacity, dtype=np.int64)
    l_total = np.empty(capacity, dtype=np.int64)  # units worked so far, exact (compared with the bounds)
    l_week = np.empty(capacity, dtype=np.int64)
    l_caps = np.empty((capacity, n_caps), dtype=np.int64)
    l_weekends = np.empty(capacity, dtype=np.int64)
    l_cost = np.empty(capacity)
    l_pred = np.empty(capacity, dtype=np.int64)
    l_choice = np.empty(capacity, dtype=np.int64)
    l_alive = np.empty(capacity, dtype=np.bool_)
    l_next = np.empty(capacity, dtype=np.int64)
    touched = np.empty(n_keys, dtype=np.int64)
    day_start = np.zeros(n_days + 1, dtype=np.int64)
    count = 0
    new_caps = np.zeros(n_caps, dtype=np.int64)
    for d in range(n_days):
        day_start[d] = count
        n_touched = 0
        first = day_start[d - 1] if d > 0 else 0
        last_label = count if d > 0 else 1
        for parent in range(first, last_label):
            if d > 0 and not l_alive[parent]:
                continue
            for choice in range(-1, n_shifts):
                if choice >= 0 and not allowed[d, choice]:
                    continue
                if choice < 0 and not off_ok[d]:
                    continue
                if d == 0:
                    nl, nr, nf = _start(choice, min_cons, min_off)
                    c = 0.0
                    total = 0
                    week = 0
                    weekends = 0
                    for k in range(n_caps):
                        new_caps[k] = 0
                    prev_last = -1
                else:
                    prev_last = l_last[parent]
                    nl, nr, nf = _step(
                        prev_last,
                        l_run[parent],
                        l_fs[parent],
                        choice,
                        max_cons,
                        min_cons,
                        min_off,
                        work_runs,
                        follow_ok,
                    )
                    if nl == -2:
                        continue
                    c = l_cost[parent]
                    total = l_total[parent]
                    week = l_week[parent]
                    weekends = l_weekends[parent]
                    for k in range(n_caps):
                        new_caps[k] = l_caps[parent, k]
                ok = True
                if choice >= 0:
                    c += cost[d, choice]
                    total += units[choice]
                    week += units[choice]
                    k = cap_of[choice]
                    if k >= 0:
                        new_caps[k] += 1
                        if new_caps[k] > cap_max[k]:
                            ok = False
                    w = weekend_first[d]
                    counted = w >= 0
                    if not counted:
                        w = weekend_second[d]
                        counted = w >= 0 and (d == 0 or prev_last < 0)
                    if counted:
                        c += weekend_cost[w]
                        weekends += 1
                        if weekends > max_weekends:
                            ok = False
                    if total > total_high or (week_cap > 0 and week > week_high):
                        ok = False
                if not ok:
                    continue
                # A resource that the rest of the horizon can no longer push over its limit does not
                # matter any more: count it as if at that level, so more labels compare.
                for k in range(n_caps):
                    floor = cap_max[k] - cap_left[d + 1, k]
                    if new_caps[k] < floor:
                        new_caps[k] = floor
                if weekends < max_weekends - weekends_left[d + 1]:
                    weekends = max_weekends - weekends_left[d + 1]
                if total + most_after[d + 1] < total_low:
                    continue
                if week_cap > 0:
                    ok, week = _week(d, week, week_low, week_start, n_days, most_after)
                    if not ok:
                        continue
                st = _state(nl, nr, nf, n_shifts, work_runs, off_runs)
                if d == n_days - 1 and total < total_low:
                    continue
                key_total, key_week = _keys(total, week, total_cap, week_cap)
                if c + after[d, st, key_total] >= threshold:
                    continue
                key = (st * total_keys + key_total) * week_keys + key_week
                # dominance within the key: same state and minutes, compare cost, caps and weekends
                dominated = False
                alive = 0
                dearest = -1
                j = head[key]
                while j >= 0:
                    if l_alive[j]:
                        le = l_cost[j] <= c + 1e-9 and l_weekends[j] <= weekends
                        ge = c <= l_cost[j] + 1e-9 and weekends <= l_weekends[j]
                        for k in range(n_caps):
                            if l_caps[j, k] > new_caps[k]:
                                le = False
                            if new_caps[k] > l_caps[j, k]:
                                ge = False
                        if le:
                            dominated = True
                            break
                        if ge:
                            l_alive[j] = False
                        else:
                            alive += 1
                            if dearest < 0 or l_cost[j] > l_cost[dearest]:
                                dearest = j
                    j = l_next[j]
                if dominated:
                    continue
                if keep > 0 and alive >= keep:  # heuristic pricing: only the `keep` cheapest per state
                    if c >= l_cost[dearest]:
                        continue
                    l_alive[dearest] = False
                if count >= capacity:
                    if capacity >= label_limit:
                        return False, np.inf, empty
                    capacity *= 2
                    l_last = _grow(l_last, capacity)
                    l_run = _grow(l_run, capacity)
                    l_fs = _grow(l_fs, capacity)
                    l_total = _grow(l_total, capacity)
                    l_week = _grow(l_week, capacity)
                    grown = np.empty((capacity, n_caps), dtype=np.int64)
                    grown[: l_caps.shape[0]] = l_caps
                    l_caps = grown
                    l_weekends = _grow(l_weekends, capacity)
                    l_cost = _grow(l_cost, capacity)
                    l_pred = _grow(l_pred, capacity)
                    l_choice = _grow(l_choice, capacity)
                    l_alive = _grow(l_alive, capacity)
                    l_next = _grow(l_next, capacity)
                l_last[count], l_run[count], l_fs[count] = nl, nr, nf
                l_total[count], l_week[count], l_weekends[count] = total, week, weekends
                for k in range(n_caps):
                    l_caps[count, k] = new_caps[k]
                l_cost[count] = c
                l_pred[count] = parent if d > 0 else -1
                l_choice[count] = choice
                l_alive[count] = True
                if head[key] < 0:
                    touched[n_touched] = key
                    n_touched += 1
                l_next[count] = head[key]
                head[key] = count
                count += 1
        for t in range(n_touched):
            head[touched[t]] = -1
    day_start[n_days] = count
    best, path = _best_path(
        l_total, l_cost, l_alive, l_pred, l_choice, day_start[n_days - 1], count, total_low, n_days
    )
    return True, best, path
