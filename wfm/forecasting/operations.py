"""Small state changes of the planning pages: a queue's staffing targets and the special days."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from wfm.extensions import db
from wfm.forecasting.requirements import RequirementProblem, target_for
from wfm.models import Queue, SpecialDay


def _percent(value) -> float | None:
    return float(value) / 100 if value is not None else None


def save_targets(queue: Queue, form) -> None:
    """Apply the targets form; the engine checks the combination before anything is kept."""
    queue.import_codes = ", ".join(c.strip() for c in (form.import_codes.data or "").split(",") if c.strip())
    queue.staffing_model = form.staffing_model.data
    if queue.channel.is_deferred:
        if form.deadline_hours.data is None:
            raise RequirementProblem("deadline_hours", _("deferred work needs a completion deadline"))
        queue.deadline_hours = float(form.deadline_hours.data)
    else:
        if form.service_level_percent.data is None or not form.answer_seconds.data:
            raise RequirementProblem(
                "service_level_percent", _("live channels need a service level and seconds")
            )
        queue.service_level = _percent(form.service_level_percent.data)
        queue.answer_seconds = form.answer_seconds.data
    queue.max_asa_seconds = (
        float(form.max_asa_seconds.data) if form.max_asa_seconds.data is not None else None
    )
    queue.max_abandon = _percent(form.max_abandon_percent.data)
    queue.max_occupancy = _percent(form.max_occupancy_percent.data)
    queue.shrinkage = _percent(form.shrinkage_percent.data) or 0.0
    queue.aht_seconds = float(form.aht_seconds.data)
    queue.patience_seconds = (
        float(form.patience_seconds.data) if form.patience_seconds.data is not None else None
    )
    target_for(queue)  # raises RequirementProblem naming the field when the combination cannot work
    db.session.flush()


def fill_targets(form, queue: Queue) -> None:
    def pct(v):
        return round(v * 100, 1) if v is not None else None

    form.import_codes.data = queue.import_codes
    form.staffing_model.data = queue.staffing_model
    form.service_level_percent.data = pct(queue.service_level)
    form.answer_seconds.data = queue.answer_seconds
    form.deadline_hours.data = queue.deadline_hours
    form.max_asa_seconds.data = queue.max_asa_seconds
    form.max_abandon_percent.data = pct(queue.max_abandon)
    form.max_occupancy_percent.data = pct(queue.max_occupancy)
    form.shrinkage_percent.data = pct(queue.shrinkage)
    form.aht_seconds.data = queue.aht_seconds
    form.patience_seconds.data = queue.patience_seconds


def save_special_day(
    *, site_id: int, day: dt.date, name: str, kind: str, uplift_percent, like_day
) -> SpecialDay:
    """One special day per site and date: saving again replaces it."""
    record = db.session.scalar(select(SpecialDay).where(SpecialDay.site_id == site_id, SpecialDay.day == day))
    if record is None:
        record = SpecialDay(site_id=site_id, day=day)
        db.session.add(record)
    record.name = name.strip()
    record.closed = kind == "closed"
    record.like_day = like_day if kind == "like" else None
    record.uplift = 1 + float(uplift_percent or 0) / 100 if kind == "uplift" else 1.0
    db.session.flush()
    return record


def delete_special_day(record: SpecialDay) -> None:
    db.session.delete(record)
    db.session.flush()
