"""Agent pages: my schedule (week, month, PDF), my calendar feed, my time off, my swaps and offers, and
everyone's notifications. Every query is scoped to the signed-in user's own agent record."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from wfm.access import AGENTS, public, roles, signed_in, signed_in_agent
from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.models import Agent, Availability, Notification, ShiftSwap, TimeOff, Wish
from wfm.requests import date_argument
from wfm.rosters import preferences
from wfm.security.redirects import safe_path
from wfm.selfservice import calendar, labels, notify, pages, pdf, swaps, timeoff
from wfm.selfservice.blueprint import blueprint
from wfm.selfservice.forms import OfferForm, SwapForm, TimeOffForm
from wfm.selfservice.labels import status_label
from wfm.selfservice.published import shifts_of
from wfm.unit_of_work import commit, commit_or_refuse


@blueprint.route("/my/schedule")
@roles(*AGENTS)
def schedule():
    return _schedule_page(signed_in_agent())


def _schedule_page(me: Agent, new_feed_token: str | None = None):
    """The schedule page; with `new_feed_token`, the address of a feed just made, shown on this answer only
    (never carried to another request in the session cookie, which is signed but not encrypted)."""
    view = "month" if request.args.get("view") == "month" else "week"
    today = dt.date.today()
    page = pages.schedule(me, current_user.id, view, date_argument("date"), today)
    commit()  # remember what was seen
    token = new_feed_token
    feed = calendar.feed_of(me)
    return render_template(
        "selfservice/schedule.html",
        schedule=page,
        form=FlaskForm(),
        feed=feed,
        feed_url=url_for("selfservice.feed", token=token, _external=True) if token else None,
    )


@blueprint.route("/my/schedule.pdf")
@roles(*AGENTS)
def schedule_pdf():
    me = signed_in_agent()
    view = "month" if request.args.get("view") == "month" else "week"
    today = dt.date.today()
    page = pages.schedule(me, current_user.id, view, date_argument("date"), today, remember=False)
    return Response(
        pdf.schedule_pdf(page),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="schedule-{me.employee_number}.pdf"'},
    )


@blueprint.route("/my/calendar", methods=["POST"])
@roles(*AGENTS)
def calendar_feed():
    me = signed_in_agent()
    if FlaskForm().validate_on_submit():
        if request.form.get("action") == "revoke":
            calendar.revoke(me, current_user.id)
            flash(_("Calendar feed revoked: subscriptions stop updating."), "success")
        else:
            token = calendar.renew(me, current_user.id)
            commit()
            flash(
                _(
                    "New calendar address made: copy it now, it is shown only once. Any older address "
                    "stopped working."
                ),
                "success",
            )
            return _schedule_page(me, new_feed_token=token)
        commit()
    return redirect(url_for("selfservice.schedule", _anchor="calendar"))


@blueprint.route("/calendar/<token>.ics")
@public
def feed(token: str):
    agent = calendar.agent_for_token(token)
    if agent is None:
        abort(404)
    with force_locale(calendar.language_of_agent(agent)):  # nobody signs in to read a feed
        body = calendar.ics(agent)
    commit()
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="shifts.ics"', "Cache-Control": "private"},
    )


@blueprint.route("/my/time-off", methods=["GET", "POST"])
@roles(*AGENTS)
def time_off():
    me = signed_in_agent()
    form = TimeOffForm()
    status = 200
    if request.method == "GET":
        form.first_day.data = form.last_day.data = dt.date.today() + dt.timedelta(days=7)
    elif form.validate_on_submit():
        start, end = form.minutes()
        made = commit_or_refuse(
            lambda: timeoff.request(
                me, form.first_day.data, form.last_day.data, form.kind.data, form.note.data or "", start, end
            ),
            form,
            fallback="part_to",
            aliases={"to_minute": "part_to"},
        )
        status = made.status
        if made.kept:
            t = made.value
            flash(
                _(
                    "Time off %(period)s: %(status)s.",
                    period=timeoff.period_label(t),
                    status=status_label(t.status),
                ),
                "success",
            )
            return redirect(url_for("selfservice.time_off"))
    else:
        status = 400
    year = (form.first_day.data or dt.date.today()).year if request.method == "POST" else dt.date.today().year
    balances = [timeoff.balance(me, y) for y in (year, year + 1)]
    rows = db.session.scalars(
        select(TimeOff).where(TimeOff.agent_id == me.id).order_by(TimeOff.first_day.desc()).limit(100)
    ).all()
    requests = [
        {
            "id": t.id,
            "period": timeoff.period_label(t),
            "kind": timeoff.KINDS.get(t.kind, (t.kind,))[0],
            "status": t.status,
            "days": timeoff.charged_days(me, t),
            "note": t.note,
        }
        for t in rows
    ]
    return render_template(
        "selfservice/time_off.html", form=form, balances=balances, requests=requests, cancel=FlaskForm()
    ), status


@blueprint.route("/my/time-off/<int:time_off_id>/cancel", methods=["POST"])
@roles(*AGENTS)
def cancel_time_off(time_off_id: int):
    me = signed_in_agent()
    t = db.session.get(TimeOff, time_off_id)
    if t is None or t.agent_id != me.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        cancelled = commit_or_refuse(lambda: timeoff.cancel(t, me, current_user.id))
        if cancelled.kept:
            flash(_("Request withdrawn."), "success")
        else:
            flash(cancelled.message, "error")
    return redirect(url_for("selfservice.time_off"))


def _my_shift_choices(me: Agent) -> list[tuple[str, str]]:
    today = dt.date.today()
    shifts = shifts_of(me.id, me.site_id, today + dt.timedelta(days=1), today + dt.timedelta(days=60))
    return [(s.day.isoformat(), f"{written(s.day, 'day')} {s.label} ({s.template})") for s in shifts]


@blueprint.route("/my/swaps", methods=["GET", "POST"])
@roles(*AGENTS)
def my_swaps():
    me = signed_in_agent()
    offer_form, swap_form = OfferForm(prefix="offer"), SwapForm(prefix="swap")
    choices = _my_shift_choices(me)
    offer_form.day.choices = swap_form.day.choices = choices
    colleagues = db.session.scalars(
        select(Agent)
        .where(Agent.site_id == me.site_id, Agent.id != me.id, Agent.leaving_date.is_(None))
        .order_by(Agent.name)
    ).all()
    swap_form.partner_id.choices = [(a.id, f"{a.name} ({a.employee_number})") for a in colleagues]
    status = 200
    if "offer-submit" in request.form and offer_form.validate_on_submit():
        offered = commit_or_refuse(
            lambda: swaps.offer(
                me, dt.date.fromisoformat(offer_form.day.data), offer_form.note.data or "", current_user.id
            ),
            offer_form,
            fallback="day",
        )
        if offered.kept:
            flash(_("Shift offered: a colleague who takes it sends it to the scheduler."), "success")
            return redirect(url_for("selfservice.my_swaps"))
        status = offered.status
    elif "swap-submit" in request.form and swap_form.validate_on_submit():
        partner = db.session.get(Agent, swap_form.partner_id.data)
        proposed = commit_or_refuse(
            lambda: swaps.propose(
                me,
                dt.date.fromisoformat(swap_form.day.data),
                partner,
                swap_form.partner_day.data,
                swap_form.note.data or "",
                current_user.id,
            ),
            swap_form,
            fallback="day",
        )
        if proposed.kept:
            flash(_("Swap proposed to %(name)s.", name=partner.name), "success")
            return redirect(url_for("selfservice.my_swaps"))
        status = proposed.status
    elif request.method == "POST":
        status = 400
    seen = swaps.visible_to(db.session, me)
    return render_template(
        "selfservice/swaps.html",
        offer_form=offer_form,
        swap_form=swap_form,
        mine=[_swap_row(s, me) for s in seen["mine"]],
        to_me=[_swap_row(s, me) for s in seen["to_me"]],
        offers=[{**_swap_row(s, me), "refusal": swaps.why_not_take(s, me)} for s in seen["offers"]],
        action=FlaskForm(),
    ), status


def _swap_row(s: ShiftSwap, me: Agent) -> dict:
    """What an agent may see of a request: their own side, and the colleague's shift the request names."""
    return {
        **swaps.row(s),
        "decision_note": s.decision_note,
        "mine": s.agent_id == me.id,
        "for_me": s.partner_id == me.id,
    }


@blueprint.route("/my/wishes", methods=["GET", "POST"])
@roles(*AGENTS)
def my_wishes():
    """The agent's own wishes for the coming weeks: when they cannot work, shifts they prefer or avoid, days
    off. They are soft: the roster keeps them where it can; the scheduler sees them on the agent's page."""
    me = signed_in_agent()
    cannot, wish = preferences.CannotWorkForm(prefix="cannot"), preferences.AgentWishForm(prefix="wish")
    wish.template.choices = [("", "—")] + [(n, n) for n in preferences.template_names(me.site_id)]
    status = 400 if request.method == "POST" else 200
    for button, form, add, saved in (
        (
            "cannot-submit",
            cannot,
            preferences.add_unavailable,
            _("Saved: rosters made from now on keep these hours free where they can."),
        ),
        (
            "wish-submit",
            wish,
            preferences.add_agent_wish,
            _("Wish saved: rosters made from now on keep it where they can."),
        ),
    ):
        if button in request.form and form.validate_on_submit():
            add(me, form, current_user.id)
            commit()
            flash(saved, "success")
            return redirect(url_for("selfservice.my_wishes"))
    rows = db.session.scalars(select(Wish).where(Wish.agent_id == me.id).order_by(Wish.day, Wish.id)).all()
    windows = db.session.scalars(
        select(Availability).where(Availability.agent_id == me.id).order_by(Availability.weekday)
    ).all()
    return render_template(
        "selfservice/wishes.html",
        cannot=cannot,
        wish=wish,
        wishes=[(w.id, preferences.wish_words(w)) for w in rows if w.kind != "unavailable"],
        unavailable=[(w.id, preferences.wish_words(w)) for w in rows if w.kind == "unavailable"],
        availability=[(_weekday_name(w.weekday), w.from_minute, w.to_minute) for w in windows],
        action=FlaskForm(),
    ), status


def _weekday_name(weekday: int) -> str:
    """Monday · 星期一 (0 = Monday), in the reader's language."""
    return written(dt.date(2024, 1, 1) + dt.timedelta(days=weekday), "long_weekday")


@blueprint.route("/my/wishes/<int:wish_id>/delete", methods=["POST"])
@roles(*AGENTS)
def delete_my_wish(wish_id: int):
    wish = db.session.get(Wish, wish_id)
    if wish is None or wish.agent_id != signed_in_agent().id:
        abort(404)
    if FlaskForm().validate_on_submit():
        db.session.delete(wish)
        commit()
        flash(_("Removed."), "success")
    return redirect(url_for("selfservice.my_wishes"))


@blueprint.route("/my/swaps/<int:swap_id>/<action>", methods=["POST"])
@roles(*AGENTS)
def swap_action(swap_id: int, action: str):
    me = signed_in_agent()
    swap = db.session.get(ShiftSwap, swap_id)
    if swap is None or action not in ("take", "accept", "decline", "cancel"):
        abort(404)
    visible = (
        swap.agent_id == me.id
        or swap.partner_id == me.id
        or (swap.kind == "offer" and swap.status == "open" and swap.agent.site_id == me.site_id)
    )
    if not visible:
        abort(404)
    if FlaskForm().validate_on_submit():

        def act():
            if action == "take":
                swaps.take(swap, me, current_user.id)
            elif action in ("accept", "decline"):
                swaps.answer(swap, me, action == "accept", current_user.id)
            else:
                swaps.cancel(swap, me, current_user.id)

        acted = commit_or_refuse(act)
        if acted.kept:
            flash(
                {
                    "take": _("You took the shift; the scheduler decides."),
                    "accept": _("Swap accepted; the scheduler decides."),
                    "decline": _("Swap declined."),
                    "cancel": _("Withdrawn."),
                }[action],
                "success",
            )
        else:
            flash(_("Not possible: %(reason)s", reason=acted.message), "error")
    return redirect(url_for("selfservice.my_swaps"))


@blueprint.route("/notifications", methods=["GET", "POST"])
@signed_in
def notifications():
    if request.method == "POST":
        if FlaskForm().validate_on_submit():
            notify.mark_read(current_user.id)
            commit()
        return redirect(url_for("selfservice.notifications"))
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        .limit(100)
    ).all()
    return render_template(
        "selfservice/notifications.html",
        form=FlaskForm(),
        notes=[
            {
                "message": message,
                "detail": detail,
                "url": safe_path(n.url),
                "at": n.created_at,
                "unread": n.read_at is None,
            }
            for n in rows
            for message, detail in [notify.read(n)]
        ],
    )


@blueprint.app_context_processor
def inject_unread():
    """The badge in the top bar: unread notifications of the signed-in user."""
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notify.unread_count(current_user.id)}


for _name, _function in labels.template_globals().items():  # in imported macros too
    blueprint.add_app_template_global(_function, _name)
