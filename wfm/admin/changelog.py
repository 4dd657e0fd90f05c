"""The change-log page's query: filters (entity, user, source, dates), newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from wfm.extensions import db
from wfm.models import User
from wfm.models.security import ChangeLog

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    entity: str = ""
    entity_id: str = ""
    user_id: int | None = None
    source: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive


@dataclass
class Page:
    rows: list[dict]
    number: int
    pages: int
    total: int


def entities() -> list[str]:
    return list(db.session.scalars(select(ChangeLog.entity).distinct().order_by(ChangeLog.entity)))


def users() -> list[tuple[int, str]]:
    return [(u.id, u.username) for u in db.session.scalars(select(User).order_by(User.username))]


def _where(filters: Filters) -> list:
    conditions = []
    if filters.entity:
        conditions.append(ChangeLog.entity == filters.entity)
    if filters.entity_id:
        conditions.append(ChangeLog.entity_id == filters.entity_id)
    if filters.user_id:
        conditions.append(ChangeLog.user_id == filters.user_id)
    if filters.source:
        conditions.append(ChangeLog.source == filters.source)
    if filters.since:
        conditions.append(ChangeLog.at >= dt.datetime.combine(filters.since, dt.time()))
    if filters.until:
        conditions.append(ChangeLog.at < dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time()))
    return conditions


def page(filters: Filters, number: int) -> Page:
    conditions = _where(filters)
    total = db.session.scalar(select(func.count()).select_from(ChangeLog).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    query = (
        select(ChangeLog, User.username)
        .outerjoin(User, User.id == ChangeLog.user_id)
        .where(*conditions)
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    rows = []
    for entry, username in db.session.execute(query):
        keys = list(dict.fromkeys([*(entry.before or {}), *(entry.after or {})]))
        rows.append(
            {
                "id": entry.id,
                "at": entry.at,
                "user": username or "",
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "source": entry.source,
                "request_id": entry.request_id,
                "changes": [(k, (entry.before or {}).get(k), (entry.after or {}).get(k)) for k in keys],
            }
        )
    return Page(rows, number, pages, total)
