"""What the working roster would change if published: per agent and day, the published cell and the draft
one in words, with the counts of cells and agents; and the roster's state for its header (published,
draft changes not yet published, replaced by a roster published later)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from wfm.extensions import db
from wfm.models import Agent, Roster
from wfm.rosters import telling, truth
from wfm.rosters.operations import cell_rows, snapshot_row


def unpublished(roster: Roster, rows=None) -> dict:
    """{cells, agents, rows: [{agent_id, agent, day, before, after}]} between the latest published version
    (nothing, when never published) and the working cells, compared by shift and activities."""
    types = {t["id"]: t for t in roster.shift_types}
    published = {
        (r["agent_id"], r["day"]): r for r in (roster.versions[-1].assignments if roster.versions else [])
    }
    working = {(a.agent_id, a.day.isoformat()): snapshot_row(a, types) for a in rows or cell_rows(roster)}
    out = []
    for key in sorted(set(published) | set(working)):
        old, new = published.get(key), working.get(key)
        if telling.comparable(old) != telling.comparable(new):
            out.append(
                {
                    "agent_id": key[0],
                    "day": dt.date.fromisoformat(key[1]),
                    "before": telling.describe(old, types),
                    "after": telling.describe(new, types),
                }
            )
    ids = sorted({r["agent_id"] for r in out})
    names = (
        dict(db.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(ids))).all()) if ids else {}
    )
    for row in out:
        row["agent"] = names.get(row["agent_id"], "")
    out.sort(key=lambda r: (r["agent"], r["day"]))
    return {"cells": len(out), "agents": len({r["agent_id"] for r in out}), "rows": out}


def state(roster: Roster, rows=None) -> dict:
    """The header's words: "published vN", "draft changes not yet published", "replaced by …"."""
    draft = unpublished(roster, rows) if roster.published_version else None
    replaced = truth.replaced_by(roster)
    taken = sum(len(r.days) for r in replaced)
    if not roster.published_version:
        label = _("draft: never published")
    elif taken >= roster.days:
        label = _("v%(version)s replaced: no longer published", version=roster.published_version)
    elif draft and draft["cells"]:
        label = _(
            "published v%(version)s · draft changes not yet published", version=roster.published_version
        )
    else:
        label = _("published v%(version)s", version=roster.published_version)
    return {
        "label": label,
        "published": roster.published_version,
        "draft_cells": draft["cells"] if draft else None,
        "draft_agents": draft["agents"] if draft else None,
        "replaced": [
            {
                "roster_id": r.roster_id,
                "name": r.name,
                "version": r.version,
                "span": r.span,
                "days": len(r.days),
            }
            for r in replaced
        ],
    }
