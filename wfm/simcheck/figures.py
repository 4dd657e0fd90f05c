"""The simulator's answer as the check keeps it: a row per queue and interval with work, totals per queue
and for the whole, and the summary in words. Pure: plain values in and out.

An interval is short when its simulated service level is below the queue's target (the point estimate;
the band says how sure that is). The promised service level is the requirement's, from the model it was
calculated with, weighted by forecast contacts where several intervals or queues are put together.
"""

from __future__ import annotations

from scheduling.text import Sentence
from wfm.formatting import counted, num, pct
from wfm.simcheck.scenario import Grid, QueueDemand, agents_on

COUNTS = ("offered", "served", "abandoned", "served_within_target", "abandoned_after_target")


def _level(within: float, answered: float) -> float | None:
    return within / answered if answered > 0 else None


def interval_rows(grid: Grid, queues: list[QueueDemand], result: dict, scenario: dict) -> list[dict]:
    """One row per queue and period with contacts forecast (or offered in the simulation)."""
    rows = []
    on = [agents_on(scenario, k) for k in range(grid.periods)]
    for q in queues:
        cells = result.get("by_period", {}).get(q.name, [])
        for k, cell in enumerate(cells):
            if k >= grid.periods or (q.arrivals[k] <= 0 and not cell.get("offered")):
                continue
            level = cell.get("service_level")
            ci = cell.get("service_level_ci")
            rows.append(
                {
                    "queue": q.name,
                    "interval_start": grid.period_start(k).isoformat(),
                    "forecast": round(q.arrivals[k], 3),
                    **{key: float(cell.get(key) or 0.0) for key in COUNTS},
                    "service_level": level,
                    "service_level_ci": list(ci) if ci and level is not None else None,
                    "asa_seconds": cell.get("asa_seconds"),
                    "promised": q.promised[k] if k < len(q.promised) else None,
                    "target": q.target,
                    "agents_on": on[k].get(q.name, 0),
                    "short": bool(level is not None and q.target is not None and level < q.target),
                }
            )
    return rows


def _promised(rows: list[dict]) -> float | None:
    weighted = [(r["forecast"], r["promised"]) for r in rows if r["promised"] is not None]
    volume = sum(w for w, _ in weighted)
    return sum(w * p for w, p in weighted) / volume if volume > 0 else None


def _sums(rows: list[dict]) -> dict:
    return {key: sum(r[key] for r in rows) for key in COUNTS}


def totals(queues: list[QueueDemand], rows: list[dict], result: dict) -> dict:
    """Per queue and in total: the simulated service level over the whole check (a ratio of sums, as the
    simulator gives it, with its band), the promised one, and the intervals short of the target."""
    out = {}
    for q in queues:
        mine = [r for r in rows if r["queue"] == q.name]
        sums = _sums(mine)
        figures = result.get("types", {}).get(q.name, {})
        out[q.name] = {
            **sums,
            "service_level": _level(
                sums["served_within_target"], sums["served"] + sums["abandoned_after_target"]
            ),
            "service_level_ci": figures.get("service_level_ci"),
            "promised": _promised(mine),
            "target": q.target,
            "intervals": len(mine),
            "short": sum(r["short"] for r in mine),
        }
    sums = _sums(rows)
    targets = {q.target for q in queues if q.target is not None}
    out["total"] = {
        **sums,
        "service_level": _level(
            sums["served_within_target"], sums["served"] + sums["abandoned_after_target"]
        ),
        "service_level_ci": result.get("total", {}).get("service_level_ci"),
        "promised": _promised(rows),
        "target": targets.pop() if len(targets) == 1 else None,
        "intervals": len(rows),
        "short": sum(r["short"] for r in rows),
    }
    return out


def band(figures: dict) -> float | None:
    """Half the width of a 95% band, in points (None without one)."""
    ci = figures.get("service_level_ci")
    if not ci or ci[0] is None or ci[1] is None:
        return None
    return 100 * (ci[1] - ci[0]) / 2


def summary(figures: dict) -> str:
    """ "Simulated 78.9% ± 0.6 against 80% promised; 14 intervals short." from a totals entry (a `Sentence`,
    shown in the reader's language)."""
    level = figures.get("service_level")
    if level is None:
        return Sentence("Nothing was simulated: no contacts are forecast in these days.")
    half = band(figures)
    promised = figures.get("promised")
    values = {"level": pct(level, 1), "short": counted(figures["short"], "interval", digits=0)}
    if half is not None:
        values["band"] = num(half, 1)
    if promised is not None:
        values["promised"] = pct(promised, 1)
    if half is not None and promised is not None:
        return Sentence(
            "Simulated %(level)s ± %(band)s against %(promised)s promised; %(short)s short of the target.",
            **values,
        )
    if promised is not None:
        return Sentence(
            "Simulated %(level)s against %(promised)s promised; %(short)s short of the target.", **values
        )
    if half is not None:
        return Sentence("Simulated %(level)s ± %(band)s; %(short)s short of the target.", **values)
    return Sentence("Simulated %(level)s; %(short)s short of the target.", **values)
