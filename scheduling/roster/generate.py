"""Seeded instances of the Curtois & Qu benchmark's structure, at any size, with a known feasible roster.

The benchmark's published instances stop at 40 staff among those the engine is measured on; a centre
rosters 50 to several hundred. `generate` makes instances of the same structure at the size asked
(staff, days, shift types), copying the published instances' statistics: a few contract types (most
and fewest consecutive shifts, fewest consecutive days off, most working weekends, total minutes in a
band about four and a half shifts a week wide at the top), per-employee caps on shift types (0 where the
employee does not work that type, a few where it is a sideline), shift types whose start times forbid
some successions (eleven hours' rest), two hard days off per fortnight, on and off requests of weight 1
to 3 in runs of days, and cover with weight 100 a person short and 1 over.

Feasibility is guaranteed by construction: a hidden roster that keeps every hard rule is drawn first
(employee by employee, a day-by-day walk that only makes moves the rules allow), and the days off, the
requests and the cover are then derived around it. The hidden roster is returned with the instance, so
a test can check it against the independent evaluator. The same arguments always give the same instance.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from scheduling.roster.model import Cover, Roster, RosterProblem, ShiftRequest, ShiftType, Staff

REST_MINUTES = 660  # between the end of one shift and the start of the next day's
UNDER_WEIGHT, OVER_WEIGHT = 100, 1  # as in every published instance
TRIES_PER_CONTRACT = 50  # hidden rows drawn for one contract and caps before drawing them again
MOST_TRIES = 1000  # contracts and caps drawn for one employee before giving up (never reached)
# Shift families: (name, earliest start, latest start) in minutes after midnight.
FAMILIES = (("E", 360, 450), ("D", 480, 600), ("L", 780, 900), ("N", 1260, 1350))
LENGTHS = (480, 480, 480, 600, 360, 720)  # minutes; eight hours most often, as in the benchmark


@dataclass(frozen=True)
class Contract:
    """A contract type: the consecutive rules, working weekends as a share of the horizon's weekends,
    and the shifts a week (at 480 minutes) that bound the total minutes."""

    name: str
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    weekend_share: float
    most_per_week: float
    least_per_week: float


CONTRACTS = (
    Contract("full", 5, 2, 2, 0.5, 4.5, 3.9),
    Contract("full6", 6, 2, 3, 0.5, 4.5, 3.9),
    Contract("part", 5, 1, 2, 0.75, 3.0, 2.2),
    Contract("weekend", 4, 1, 2, 1.0, 2.5, 1.8),
)
CONTRACT_WEIGHTS = (0.5, 0.2, 0.2, 0.1)


@dataclass(frozen=True)
class Generated:
    """An instance and the feasible roster it was built around."""

    problem: RosterProblem
    hidden: Roster


def generate(staff: int, days: int, shift_types: int, seed: int = 0) -> Generated:
    """An instance with `staff` employees over `days` days and `shift_types` shift types, from `seed`."""
    if not 1 <= staff <= 5000:
        raise ValueError("staff: give 1 to 5,000 employees")
    if not 7 <= days <= 366:
        raise ValueError("days: give 7 to 366 days")
    if not 1 <= shift_types <= 52:
        raise ValueError("shift_types: give 1 to 52 shift types")
    rng = random.Random(f"roster-generate:{staff}:{days}:{shift_types}:{seed}")
    shifts = _shifts(rng, shift_types)
    weekends = [(d, d + 1) for d in range(5, days - 1, 7)]
    people: list[Staff] = []
    hidden: Roster = {}
    for index in range(staff):
        person, row = _employee(rng, _name(index), shifts, days, weekends)
        people.append(person)
        hidden[person.id] = row
    people = [_with_days_off(rng, p, hidden[p.id], days) for p in people]
    problem = RosterProblem(
        horizon=days,
        shifts=tuple(shifts),
        staff=tuple(people),
        requests=tuple(_requests(rng, people, hidden, shifts, days)),
        cover=tuple(_cover(rng, hidden, shifts, days)),
        name=f"generated_{staff}x{days}x{shift_types}_s{seed}",
    )
    return Generated(problem, hidden)


def _name(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... as the benchmark names its staff."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _shifts(rng: random.Random, count: int) -> list[ShiftType]:
    """`count` shift types spread over the families (early, day, late, night), each with a start time and
    a length; a shift cannot follow another when the rest between them would be under eleven hours."""
    drawn: list[tuple[str, int, int]] = []
    for k in range(count):
        family, earliest, latest = FAMILIES[k % len(FAMILIES)]
        name = family if k < len(FAMILIES) else f"{family}{k // len(FAMILIES)}"
        start = rng.randrange(earliest, latest + 1, 30)
        length = LENGTHS[0] if k < len(FAMILIES) else rng.choice(LENGTHS)
        drawn.append((name, start, length))
    out = []
    for name, start, length in drawn:
        end = start + length
        banned = frozenset(other for other, b, _m in drawn if 1440 + b - end < REST_MINUTES)
        out.append(ShiftType(name, length, banned))
    return out


def _employee(
    rng: random.Random, name: str, shifts: list[ShiftType], days: int, weekends: list[tuple[int, int]]
) -> tuple[Staff, tuple[str | None, ...]]:
    """One employee's contract, shift caps and hidden row (which keeps all of them). Caps that leave
    only short shifts may not reach the contract's minutes at all: those are drawn again."""
    for _ in range(MOST_TRIES):
        contract = rng.choices(CONTRACTS, weights=CONTRACT_WEIGHTS)[0]
        made = _try_employee(rng, name, contract, _caps(rng, shifts, days), shifts, days, weekends)
        if made is not None:
            return made
    raise RuntimeError(f"no hidden row found for employee {name}")  # pragma: no cover


def _try_employee(
    rng: random.Random,
    name: str,
    contract: Contract,
    caps: dict[str, int],
    shifts: list[ShiftType],
    days: int,
    weekends: list[tuple[int, int]],
) -> tuple[Staff, tuple[str | None, ...]] | None:
    weeks = days / 7
    most = round(contract.most_per_week * weeks * 480 / 60) * 60
    least = round(contract.least_per_week * weeks * 480 / 60) * 60
    max_weekends = max(1, math.ceil(contract.weekend_share * len(weekends)))
    person = Staff(
        id=name,
        max_shifts=caps,
        max_minutes=most,
        min_minutes=least,
        max_consecutive=contract.max_consecutive,
        min_consecutive=contract.min_consecutive,
        min_days_off=contract.min_days_off,
        max_weekends=max_weekends,
    )
    for _ in range(TRIES_PER_CONTRACT):
        row = _hidden_row(rng, person, shifts, days, weekends)
        if row is not None:
            return person, row
    return None


def _caps(rng: random.Random, shifts: list[ShiftType], days: int) -> dict[str, int]:
    """Per shift type: 0 (not worked), a few (a sideline) or the horizon; at least one type uncapped."""
    caps: dict[str, int] = {}
    for s in shifts:
        draw = rng.random()
        if draw < 0.3:
            caps[s.id] = 0
        elif draw < 0.5:
            caps[s.id] = rng.randint(max(1, days // 7), max(2, days // 3))
        else:
            caps[s.id] = days
    if not any(cap == days for cap in caps.values()):
        caps[rng.choice(shifts).id] = days
    return caps


def _hidden_row(
    rng: random.Random, person: Staff, shifts: list[ShiftType], days: int, weekends: list[tuple[int, int]]
) -> tuple[str | None, ...] | None:
    """A row keeping every rule of `person`, or None when this draw missed the minutes band (the caller
    draws again). Weekends beyond the most allowed are kept off before the walk starts; the walk only
    starts a work block where its minimum length fits before the next kept-off day."""
    assert person.max_consecutive is not None
    assert person.max_weekends is not None
    assert person.max_minutes is not None
    kept_off = [False] * days
    for sat, sun in rng.sample(weekends, max(0, len(weekends) - person.max_weekends)):
        kept_off[sat] = kept_off[sun] = True
    length = {s.id: s.minutes for s in shifts}
    target = rng.uniform((person.min_minutes + person.max_minutes) / 2, person.max_minutes)
    working = [False] * days
    run, work, minutes = 0, rng.random() < 0.6, 0.0
    first_block = True
    for d in range(days):
        if d > 0:
            must_stay = run < (person.min_consecutive if work else person.min_days_off) and not first_block
            if work and (run >= person.max_consecutive or kept_off[d]):
                work, run, first_block = False, 0, False
            elif not must_stay:
                share = (target - minutes) / 480 / max(1, days - d)
                if work and rng.random() > min(0.95, share + 0.3):
                    work, run, first_block = False, 0, False
                elif not work and _can_start(d, person.min_consecutive, kept_off) and rng.random() < share:
                    work, run, first_block = True, 0, False
        elif work and not _can_start(0, 1, kept_off):
            work = False
        working[d] = work
        run += 1
        minutes += 480 if work else 0
    row = _shift_types(rng, working, person, shifts)
    if row is None:
        return None
    total = sum(length[s] for s in row if s is not None)
    return row if person.min_minutes <= total <= person.max_minutes else None


def _can_start(day: int, least: int, kept_off: list[bool]) -> bool:
    """A work block may start on `day` when its first `least` days (or the rest of the horizon) are free."""
    return not any(kept_off[day : day + least])


def _shift_types(
    rng: random.Random, working: list[bool], person: Staff, shifts: list[ShiftType]
) -> tuple[str | None, ...] | None:
    """A shift type for each working day: mostly the same type through a block, now and then a change to
    one that may follow; never beyond a type's cap. None when the caps run out (the caller draws again)."""
    left = {s.id: person.max_shifts.get(s.id, len(working)) for s in shifts}
    by_id = {s.id: s for s in shifts}
    row: list[str | None] = []
    previous: str | None = None
    for work in working:
        if not work:
            row.append(None)
            previous = None
            continue
        allowed = [
            s.id
            for s in shifts
            if left[s.id] > 0 and (previous is None or s.id not in by_id[previous].cannot_follow)
        ]
        if not allowed:
            return None
        if previous in allowed and rng.random() < 0.85:
            choice = previous
        else:
            weights = [left[s] for s in allowed]
            choice = rng.choices(allowed, weights=weights)[0]
        assert choice is not None
        left[choice] -= 1
        row.append(choice)
        previous = choice
    return tuple(row)


def _with_days_off(rng: random.Random, person: Staff, row: tuple[str | None, ...], days: int) -> Staff:
    """Two hard days off a fortnight, on days the hidden roster has off."""
    free = [d for d in range(days) if row[d] is None]
    count = min(len(free), max(1, days // 14))
    return replace(person, days_off=frozenset(rng.sample(free, count)))


def _requests(
    rng: random.Random,
    people: list[Staff],
    hidden: Roster,
    shifts: list[ShiftType],
    days: int,
) -> list[ShiftRequest]:
    """About five on-requests and two and a half off-requests per employee per four weeks, in runs of one
    to four days, weight 1 to 3; most agree with the hidden roster, the rest pull against it."""
    out: list[ShiftRequest] = []
    for person in people:
        row = hidden[person.id]
        open_types = [s.id for s in shifts if person.max_shifts.get(s.id, 1) > 0]
        taken: set[int] = set(person.days_off)
        for on, per_four_weeks in ((True, 5.0), (False, 2.5)):
            wanted = max(1, round(per_four_weeks * days / 28 * rng.uniform(0.6, 1.4)))
            while wanted > 0:
                start, run = rng.randrange(days), rng.randint(1, 4)
                agree = rng.random() < 0.7
                shift = row[start] if on and agree and row[start] is not None else rng.choice(open_types)
                weight = rng.randint(1, 3)
                for d in range(start, min(days, start + run)):
                    if d in taken or wanted <= 0:
                        break
                    if not on and agree and row[d] == shift:
                        break  # an off-request that agrees is for a shift the hidden row does not work
                    taken.add(d)
                    out.append(ShiftRequest(person.id, d, shift, weight, on))
                    wanted -= 1
                if rng.random() < 0.1:
                    wanted -= 1  # never loop for ever on a crowded row
    return sorted(out, key=lambda r: not r.on)  # on-requests first, as the file lists them


def _cover(rng: random.Random, hidden: Roster, shifts: list[ShiftType], days: int) -> list[Cover]:
    """The hidden roster's own count on each day and shift, more often one or two more than one fewer: as
    in the benchmark, the cover asks about as many shifts as the contracts allow in all, so shortfalls
    are part of the best roster and where they fall is what the search decides."""
    out = []
    for d in range(days):
        for s in shifts:
            count = sum(1 for row in hidden.values() if row[d] == s.id)
            draw = rng.random()
            change = 2 if draw < 0.1 else (1 if draw < 0.45 else (-1 if draw < 0.55 else 0))
            out.append(Cover(d, s.id, max(0, count + change), UNDER_WEIGHT, OVER_WEIGHT))
    return out
