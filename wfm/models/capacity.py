"""Stored capacity scenarios: the scenario document (the engine's JSON) and the plan solved from it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from wfm.clock import utcnow
from wfm.extensions import db


class CapacityScenario(db.Model):
    """A scenario as built from the live centre (`document`, what `wfm capacity` reads) and its plan
    (`plan`: summary, CSV rows and shortfall sentences), solved once when it is saved."""

    __tablename__ = "capacity_scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    variant: Mapped[str] = mapped_column(String(40))
    document: Mapped[dict] = mapped_column(JSON)
    plan: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
