"""Shift templates in the database, turned into the engine's `ShiftTemplate` through its JSON format
(one place checks them: the engine's own loader)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from scheduling.shifts import ShiftTemplate as EngineTemplate
from scheduling.shifts import SiteLimit, TemplateError, parse_templates
from scheduling.shifts.templates import WEEKDAYS
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n import translate
from wfm.models import Queue, ShiftTemplate, Site
from wfm.names import flush_or_raise, taken
from wfm.rosters import labels


class TemplateProblem(FieldError):
    """A shift template refused (a name taken, a break outside the shift)."""


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def engine_json(template: ShiftTemplate, queue_names: dict[int, str]) -> dict:
    """The template in the `TEMPLATES.json` format of `wfm shifts`."""
    document = {
        "name": template.name,
        "start_window": {
            "earliest": clock(template.earliest_start),
            "latest": clock(template.latest_start),
            "step_minutes": template.step_minutes,
        },
        "lengths_minutes": list(template.lengths),
        "days": [WEEKDAYS[d] for d in sorted(template.days)],
        "breaks": [dict(b) for b in template.breaks],
        "cost": {
            "per_hour": template.per_hour,
            "night_multiplier": template.night_multiplier,
            "weekend_multiplier": template.weekend_multiplier,
        },
        "site": template.site.name if template.site else "",
    }
    if template.queue_ids:
        document["queues"] = [queue_names[q] for q in template.queue_ids if q in queue_names]
    return document


def to_engine(templates: list[ShiftTemplate], site: Site) -> tuple[list[EngineTemplate], list[SiteLimit]]:
    names = {q.id: q.name for q in site.queues}
    document = {"templates": [engine_json(t, names) for t in templates]}
    if site.max_agents_at_once is not None or site.max_starts_per_interval is not None:
        document["sites"] = [
            {
                "site": site.name,
                "max_agents": site.max_agents_at_once,
                "max_starts_per_interval": site.max_starts_per_interval,
            }
        ]
        document["sites"][0] = {k: v for k, v in document["sites"][0].items() if v is not None}
    return parse_templates(document)


def save_template(
    template: ShiftTemplate | None,
    *,
    site_id: int,
    name: str,
    earliest_start: int,
    latest_start: int,
    step_minutes: int,
    lengths: list[int],
    days: list[int],
    breaks: list[dict],
    per_hour: float,
    night_multiplier: float,
    weekend_multiplier: float,
    queue_ids: list[int],
) -> ShiftTemplate:
    """Create or change a template; the engine checks it before anything is kept (flush only)."""
    exists = TemplateProblem("name", _("This site has a template called %(name)s already.", name=repr(name)))
    if taken(
        ShiftTemplate,
        ShiftTemplate.name,
        name,
        template.id if template else None,
        ShiftTemplate.site_id == site_id,
    ):
        raise exists
    if latest_start < earliest_start:
        raise TemplateProblem("latest_start", _("The latest start comes before the earliest."))
    site = db.session.get(Site, site_id)
    valid_queues = {q.id for q in site.queues}
    if any(q not in valid_queues for q in queue_ids):
        raise TemplateProblem("queue_ids", _("Choose queues of the template's site."))
    if template is None:
        template = ShiftTemplate()
        db.session.add(template)
    template.site_id, template.site, template.name = site_id, site, name.strip()
    template.earliest_start, template.latest_start, template.step_minutes = (
        earliest_start,
        latest_start,
        step_minutes,
    )
    template.lengths, template.days, template.breaks = sorted(set(lengths)), sorted(set(days)), breaks
    template.per_hour, template.night_multiplier = per_hour, night_multiplier
    template.weekend_multiplier, template.queue_ids = weekend_multiplier, sorted(queue_ids)
    try:
        to_engine([template], site)
    except TemplateError as problem:
        text = str(problem)
        field = (
            "breaks"
            if "breaks" in text
            else "lengths"
            if "length" in text
            else "earliest_start"
            if "start" in text
            else "name"
        )
        raise TemplateProblem(field, translate(problem.args[0]) if problem.args else text) from problem
    flush_or_raise([("name", exists)])  # saved at the same moment by someone else
    return template


def active_templates(site_id: int) -> list[ShiftTemplate]:
    return db.session.scalars(
        select(ShiftTemplate)
        .where(ShiftTemplate.site_id == site_id, ShiftTemplate.active)
        .order_by(ShiftTemplate.name)
    ).all()


def describe(template: ShiftTemplate, queues: dict[int, Queue]) -> dict:
    lengths = ", ".join(f"{m // 60}h{m % 60:02d}" if m % 60 else f"{m // 60}h" for m in template.lengths)
    starts = (
        clock(template.earliest_start)
        if template.earliest_start == template.latest_start
        else _(
            "%(first)s–%(last)s every %(step)s min",
            first=clock(template.earliest_start),
            last=clock(template.latest_start),
            step=template.step_minutes,
        )
    )
    return {
        "id": template.id,
        "name": template.name,
        "site": template.site.name,
        "starts": starts,
        "lengths": lengths,
        "days": " ".join(labels.short_weekday(d, WEEKDAYS[d][:2].title()) for d in template.days),
        "breaks": "; ".join(
            (
                _("%(name)s %(minutes)s′ in %(first)s–%(last)s", **_break_values(b))
                if b.get("paid", True)
                else _("%(name)s %(minutes)s′ in %(first)s–%(last)s unpaid", **_break_values(b))
            )
            for b in template.breaks
        ),
        "queues": ", ".join(queues[q].name for q in template.queue_ids if q in queues) or _("all queues"),
        "cost": f"{template.per_hour:g}/h"
        + (
            _(", night ×%(times)s", times=f"{template.night_multiplier:g}")
            if template.night_multiplier != 1
            else ""
        )
        + (
            _(", weekend ×%(times)s", times=f"{template.weekend_multiplier:g}")
            if template.weekend_multiplier != 1
            else ""
        ),
        "active": template.active,
    }


def _break_values(b: dict) -> dict:
    return {"name": b["name"], "minutes": b["minutes"], "first": b["window"][0], "last": b["window"][1]}
