"""Placing off-phone activities (team meetings, coaching, offline work) inside rostered shifts.

An activity takes its attendees off the phones for a while, so it should go where the phones can best
spare them: the intervals where more agents are on the phones than the requirement asks. Given that
surplus per interval and, per attendee, the starts that fit (inside their shift, clear of breaks and of
other activities, inside the window asked for), `place` chooses the starts:

- together (a meeting): one start for everyone, the one most attendees can make, and among those the one
  that adds the least shortfall;
- one by one (coaching sessions): the attendee with the fewest possible starts first, each at the start
  that adds the least shortfall given those already placed, so sessions spread over the quiet intervals.

The cost of taking k agents off the phones in an interval with surplus s (on the phones minus required)
is the shortfall it adds: max(0, k - s) - max(0, -s).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence


def added_shortfall(surplus: float, taken: int) -> float:
    """Agents short of the requirement that taking `taken` more agents off the phones adds."""
    return max(0.0, taken - surplus) - max(0.0, -surplus)


def place(
    surplus: Sequence[float], starts: Mapping[Hashable, Sequence[int]], length: int, together: bool
) -> dict[Hashable, int | None]:
    """Interval index at which each attendee's activity starts (None: no start fits them).

    `surplus[i]`: agents on the phones minus required in interval i; `starts[a]`: the interval indices at
    which attendee a's activity of `length` intervals may start. Ties go to the earliest start.
    """
    if length < 1:
        raise ValueError("length: an activity lasts at least one interval")
    left = [float(s) for s in surplus]
    out: dict[Hashable, int | None] = {a: None for a in starts}
    for a, options in starts.items():
        for s in options:
            if s < 0 or s + length > len(left):
                raise ValueError(f"starts: {s} for {a!r} does not fit {len(left)} intervals")
    if together:
        candidates = sorted({s for options in starts.values() for s in options})
        if not candidates:
            return out
        able = {s: [a for a, options in starts.items() if s in set(options)] for s in candidates}

        def cost(s: int) -> tuple[int, float, int]:
            k = len(able[s])
            return -k, sum(added_shortfall(left[i], k) for i in range(s, s + length)), s

        best = min(candidates, key=cost)
        for a in able[best]:
            out[a] = best
        return out
    for a in sorted(starts, key=lambda a: (len(starts[a]), str(a))):
        options = sorted(set(starts[a]))
        if not options:
            continue
        best = min(options, key=lambda s: (sum(added_shortfall(left[i], 1) for i in range(s, s + length)), s))
        out[a] = best
        for i in range(best, best + length):
            left[i] -= 1
    return out
