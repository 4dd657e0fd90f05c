"""Planning pages: history import, forecasts, adjustments, requirements, targets, special days, accuracy."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select

from scheduling.history import HistoryError
from scheduling.staffing import ForecastError
from wfm import sources
from wfm.access import PLANNERS, roles
from wfm.admin.resources import site_choices
from wfm.extensions import db
from wfm.forecasting import forecasts, history, operations, pages
from wfm.forecasting.forms import (
    AdjustForm,
    ForecastForm,
    HistoryUploadForm,
    SpecialDayForm,
    TargetsForm,
    TypedForecastForm,
)
from wfm.forecasting.requirements import RequirementProblem, in_words, make_requirement
from wfm.forecasting.typed import make_typed_forecast, queues_with_history, typed_again
from wfm.formatting import counted
from wfm.jobs.views import launch
from wfm.models import Forecast, HistoryImport, Queue, Requirement, Site, SpecialDay
from wfm.requests import date_argument
from wfm.unit_of_work import commit, commit_or_refuse

blueprint = Blueprint("forecasting", __name__, url_prefix="/planning")
MAX_PROBLEMS_SHOWN = 200


def _active_queues() -> list[Queue]:
    return db.session.scalars(
        select(Queue).join(Site).where(Queue.active, Site.active).order_by(Site.name, Queue.name)
    ).all()


# History ----------------------------------------------------------------------------------------------


@blueprint.route("/history", methods=["GET", "POST"])
@roles(*PLANNERS)
def history_page():
    form = HistoryUploadForm()
    form.site_id.choices = site_choices()
    problems, status = None, 200
    if form.validate_on_submit():
        site = db.get_or_404(Site, form.site_id.data)
        upload = form.file.data
        name = upload.filename or "upload"

        def import_history():
            if form.kind.data == "calls":
                return history.import_calls(
                    site,
                    upload.stream,
                    name,
                    form.interval_minutes.data or 15,
                    current_user.id,
                    form.encoding.data,
                )
            return history.import_intervals(
                site, upload.stream, name, form.interval_minutes.data, current_user.id, form.encoding.data
            )

        imported = commit_or_refuse(import_history, refused=(HistoryError,))
        if not imported.kept:
            problems, status = imported.error.problems, imported.status
        else:
            outcome = imported.value
            record = outcome.record
            flash(
                f"Imported {counted(record.rows, 'interval')} from {record.filename} "
                f"({counted(record.replaced, 'earlier one')} replaced).",
                "success",
            )
            for queue, changes in outcome.adopted.items():
                if changes:
                    flash(
                        f"{queue}: "
                        + ", ".join(f"{k.replace('_', ' ')} set to {v:g}" for k, v in changes.items())
                        + " from the calls.",
                        "info",
                    )
            return redirect(url_for("forecasting.history_page"))
    elif form.errors:
        status = 400
    sites = db.session.scalars(select(Site).where(Site.active).order_by(Site.name)).all()
    imports = db.session.scalars(select(HistoryImport).order_by(HistoryImport.id.desc()).limit(15)).all()
    return render_template(
        "forecasting/history.html",
        form=form,
        problems=problems,
        max_shown=MAX_PROBLEMS_SHOWN,
        coverage=[(s.name, history.coverage_by_queue(s)) for s in sites],
        imports=imports,
    ), status


# Forecasts --------------------------------------------------------------------------------------------


@blueprint.route("/forecasts", methods=["GET", "POST"])
@roles(*PLANNERS)
def forecasts_page():
    queues = _active_queues()
    form = ForecastForm(start=dt.date.today() + dt.timedelta(days=1))
    form.queue_ids.choices = [(q.id, f"{q.site.name} · {q.name}") for q in queues]
    if form.validate_on_submit():
        chosen = [q for q in queues if q.id in form.queue_ids.data]
        have_history = queues_with_history([q.id for q in chosen], form.start.data)
        without = [q for q in chosen if q.id not in have_history]
        if len({q.site_id for q in chosen}) > 1:
            form.queue_ids.errors.append(
                "Forecast the queues of one site at a time (holidays differ by site)."
            )
        elif without:
            for queue in without:
                form.queue_ids.errors.append(
                    Markup(
                        "{name} has no history before {day}, so it cannot be forecast from history: "
                        '<a href="{url}">type its expected contacts</a> instead.'
                    ).format(
                        name=queue.name,
                        day=f"{form.start.data:%d %b %Y}",
                        url=url_for("forecasting.typed_forecast", queue_id=queue.id, start=form.start.data),
                    )
                )
        else:
            return launch(
                "forecast",
                f"Forecast {counted(len(chosen), 'queue')} from {form.start.data}",
                {
                    "queue_ids": [q.id for q in chosen],
                    "start": form.start.data.isoformat(),
                    "days": form.days.data,
                    "method": form.method.data,
                },
            )
    latest = forecasts.latest_forecasts([q.id for q in queues])
    with_history = queues_with_history([q.id for q in queues], form.start.data or dt.date.today())
    rows = []
    for queue in queues:
        record = latest.get(queue.id)
        chosen = next(
            (b for b in (record.backtest if record else []) if b.get("method") == record.method), None
        )
        rows.append(
            {"queue": queue, "forecast": record, "backtest": chosen, "has_history": queue.id in with_history}
        )
    return render_template("forecasting/forecasts.html", form=form, rows=rows), 400 if form.errors else 200


@blueprint.route("/forecasts/<int:forecast_id>")
@roles(*PLANNERS)
def forecast_page(forecast_id: int):
    record = db.get_or_404(Forecast, forecast_id)
    form = AdjustForm(first_day=record.start_date, last_day=record.start_date)
    return render_template(
        "forecasting/forecast.html",
        forecast=pages.forecast_page(record),
        form=form,
        requirement_form=FlaskForm(),
        sources=sources.status_of(record),
    )


@blueprint.route("/forecasts/<int:forecast_id>/adjust", methods=["POST"])
@roles(*PLANNERS)
def adjust(forecast_id: int):
    record = db.get_or_404(Forecast, forecast_id)
    form = AdjustForm()
    if form.validate_on_submit():

        def adjust_ranges():
            for start, end in form.ranges():
                forecasts.adjust(
                    record, start, end, float(form.percent.data), form.reason.data, current_user.id
                )

        if commit_or_refuse(adjust_ranges, form, fallback="first_day").kept:
            flash(f"Forecast changed by {form.percent.data:+g}% ({form.reason.data}).", "success")
            return redirect(url_for("forecasting.forecast_page", forecast_id=record.id))
    return render_template(
        "forecasting/forecast.html",
        forecast=pages.forecast_page(record),
        form=form,
        requirement_form=FlaskForm(),
        sources=sources.status_of(record),
    ), 400


@blueprint.route("/queues/<int:queue_id>/typed-forecast", methods=["GET", "POST"])
@roles(*PLANNERS)
def typed_forecast(queue_id: int):
    """Expected contacts typed per weekday, for a queue with no history to forecast from."""
    queue = db.get_or_404(Queue, queue_id)
    form = TypedForecastForm(
        start=date_argument("start") or dt.date.today() + dt.timedelta(days=1), aht_seconds=queue.aht_seconds
    )
    siblings = [q for q in _active_queues() if q.site_id == queue.site_id and q.id != queue.id]
    with_history = queues_with_history([q.id for q in siblings], form.start.data or dt.date.today())
    form.profile.choices = [("flat", "evenly over the site's opening hours")] + [
        (str(q.id), f"like {q.name}") for q in siblings if q.id in with_history
    ]
    if form.validate_on_submit():
        made = commit_or_refuse(
            lambda: make_typed_forecast(
                queue,
                form.start.data,
                form.days.data,
                {d: float(getattr(form, f"weekday_{d}").data) for d in range(7)},
                float(form.aht_seconds.data),
                None if form.profile.data == "flat" else int(form.profile.data),
                current_user.id,
            ),
            form,
            fallback="start",
        )
        if made.kept:
            flash(f"Forecast of {queue.name} made from the contacts you typed.", "success")
            return redirect(url_for("forecasting.forecast_page", forecast_id=made.value.id))
    weekdays = [getattr(form, f"weekday_{d}") for d in range(7)]
    return render_template(
        "forecasting/typed.html", form=form, queue=queue, weekdays=weekdays
    ), 400 if form.errors else 200


@blueprint.route("/forecasts/<int:forecast_id>/rebuild", methods=["POST"])
@roles(*PLANNERS)
def rebuild_forecast(forecast_id: int):
    """Forecast the queue again with the settings of this forecast (its "out of date: rebuild")."""
    record = db.get_or_404(Forecast, forecast_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if record.typed is not None:
        again = commit_or_refuse(lambda: typed_again(record, current_user.id))
        if not again.kept:
            flash(f"The forecast could not be made again: {again.message}", "error")
            return redirect(url_for("forecasting.typed_forecast", queue_id=record.queue_id))
        return redirect(url_for("forecasting.forecast_page", forecast_id=again.value.id))
    return launch(
        "forecast",
        f"Forecast {record.queue.name} from {record.start_date}",
        {
            "queue_ids": [record.queue_id],
            "start": record.start_date.isoformat(),
            "days": record.days,
            "method": record.requested_method,
        },
    )


@blueprint.route("/forecasts/<int:forecast_id>/requirement", methods=["POST"])
@roles(*PLANNERS)
def calculate_requirement(forecast_id: int):
    record = db.get_or_404(Forecast, forecast_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    made = commit_or_refuse(
        lambda: make_requirement(record, current_user.id), refused=(RequirementProblem, ForecastError)
    )
    if not made.kept:
        flash(
            f"The requirement could not be calculated: {in_words(made.error)}. Check the queue's targets.",
            "error",
        )
        return redirect(url_for("forecasting.targets", queue_id=record.queue_id))
    return redirect(url_for("forecasting.requirement_page", requirement_id=made.value.id))


@blueprint.route("/requirements/<int:requirement_id>")
@roles(*PLANNERS)
def requirement_page(requirement_id: int):
    requirement = db.get_or_404(Requirement, requirement_id)
    return render_template(
        "forecasting/requirement.html",
        requirement=pages.requirement_page(requirement, date_argument("day")),
        sources=sources.status_of(requirement),
    )


@blueprint.route("/accuracy")
@roles(*PLANNERS)
def accuracy_page():
    rows = []
    for record in db.session.scalars(
        select(Forecast).order_by(Forecast.start_date.desc(), Forecast.id.desc()).limit(100)
    ):
        measured = forecasts.accuracy_of(record)
        if measured:
            rows.append({"forecast": record, "accuracy": measured})
    return render_template("forecasting/accuracy.html", rows=rows)


# Targets and special days -----------------------------------------------------------------------------


@blueprint.route("/queues/<int:queue_id>/targets", methods=["GET", "POST"])
@roles(*PLANNERS)
def targets(queue_id: int):
    queue = db.get_or_404(Queue, queue_id)
    form = TargetsForm()
    if request.method == "GET":
        operations.fill_targets(form, queue)
    if form.validate_on_submit():
        saved = commit_or_refuse(
            lambda: operations.save_targets(queue, form),
            form,
            fallback="staffing_model",
            aliases={
                "service_level": "service_level_percent",
                "max_abandon": "max_abandon_percent",
                "max_occupancy": "max_occupancy_percent",
                "shrinkage": "shrinkage_percent",
                "model": "staffing_model",
            },
        )
        if saved.kept:
            flash(f"Targets of {queue.name} saved; new requirements use them.", "success")
            return redirect(url_for("forecasting.forecasts_page"))
    return render_template("forecasting/targets.html", form=form, queue=queue), 400 if form.errors else 200


@blueprint.route("/special-days", methods=["GET", "POST"])
@roles(*PLANNERS)
def special_days():
    form = SpecialDayForm()
    form.site_id.choices = site_choices()
    if form.validate_on_submit():
        operations.save_special_day(
            site_id=form.site_id.data,
            day=form.day.data,
            name=form.name.data,
            kind=form.kind.data,
            uplift_percent=form.uplift_percent.data,
            like_day=form.like_day.data,
        )
        commit()
        flash(f"Special day {form.day.data} saved; forecasts made from now on use it.", "success")
        return redirect(url_for("forecasting.special_days"))
    records = db.session.scalars(select(SpecialDay).order_by(SpecialDay.day.desc())).all()
    return render_template(
        "forecasting/special_days.html", form=form, records=records, delete=FlaskForm()
    ), 400 if form.errors else 200


@blueprint.route("/special-days/<int:day_id>/delete", methods=["POST"])
@roles(*PLANNERS)
def delete_special_day(day_id: int):
    record = db.get_or_404(SpecialDay, day_id)
    if FlaskForm().validate_on_submit():
        operations.delete_special_day(record)
        commit()
        flash("Special day removed.", "success")
    return redirect(url_for("forecasting.special_days"))
