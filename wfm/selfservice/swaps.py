"""Shift offers and swaps between agents, checked against both agents' hard rules and skills before a
scheduler sees them, and applied to the published roster (a new version) when the scheduler approves.

An offer: agent A gives away the shift on a day; any colleague who is off that day may take it.
A swap: A's shift on one day for colleague B's shift on a day (the same day or another); the colleague
accepts or declines first."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.text import Sentence
from wfm.clock import utcnow
from wfm.errors import FieldError
from wfm.extensions import db
from wfm.i18n.dates import written
from wfm.models import Agent, Roster, ShiftSwap
from wfm.selfservice import audit, notify
from wfm.selfservice.changes import Changes, apply_and_publish, check_changes
from wfm.selfservice.labels import status_label
from wfm.selfservice.messages import Day
from wfm.selfservice.published import owners, published_cell, published_rosters
from wfm.transitions import claim


class SwapRefused(FieldError):
    """A swap or offer refused, in words for the agent or the scheduler."""


def row(swap: ShiftSwap) -> dict:
    """A request as pages show it: both sides, the shifts it names, its status and note."""
    return {
        "id": swap.id,
        "kind": swap.kind,
        "status": swap.status,
        "agent": swap.agent.name,
        "day": swap.day,
        "shift": swap.shift,
        "partner": swap.partner.name if swap.partner else None,
        "partner_day": swap.partner_day,
        "partner_shift": swap.partner_shift,
        "note": swap.note,
        "created": swap.created_at,
    }


def roster_on(site_id: int, day: dt.date) -> Roster | None:
    """The published roster of the site holding that day (the latest one when several do)."""
    found = published_rosters(site_id, day, day)
    owner = owners(found).get(day)
    return next((roster for roster, _v in found if roster.id == owner), None)


def _working(roster: Roster, agent_id: int, day: dt.date) -> str | None:
    cell = next((a for a in roster.assignments if a.agent_id == agent_id and a.day == day), None)
    return cell.shift if cell else None


def changes_for(swap: ShiftSwap) -> Changes:
    if swap.kind == "offer":
        return {swap.agent_id: {swap.day: None}, swap.partner_id: {swap.day: swap.shift}}
    if swap.day == swap.partner_day:
        return {swap.agent_id: {swap.day: swap.partner_shift}, swap.partner_id: {swap.day: swap.shift}}
    return {
        swap.agent_id: {swap.day: None, swap.partner_day: swap.partner_shift},
        swap.partner_id: {swap.partner_day: None, swap.day: swap.shift},
    }


def _still_published(swap: ShiftSwap, roster: Roster) -> list[str]:
    """The shifts the request names must still be what is published and what the working roster holds."""
    problems = []
    expected = [(swap.agent_id, swap.day, swap.shift)]
    if swap.kind == "offer" and swap.partner_id is not None:
        expected.append((swap.partner_id, swap.day, None))
    if swap.kind == "swap":
        expected.append((swap.partner_id, swap.partner_day, swap.partner_shift))
        if swap.day != swap.partner_day:
            expected += [(swap.agent_id, swap.partner_day, None), (swap.partner_id, swap.day, None)]
    replaced = {day for _a, day, _s in expected if (roster_on(roster.site_id, day) or roster).id != roster.id}
    for day in sorted(replaced):  # another roster was published over the day since the request
        problems.append(
            _("%(day)s is now published in another roster; ask again from that one", day=written(day, "day"))
        )
    for agent_id, day, shift in expected:
        row = published_cell(roster, agent_id, day)
        if (row["shift"] if row else None) != shift or _working(roster, agent_id, day) != shift:
            who = notify.agent_name(agent_id)
            problems.append(
                _(
                    "%(who)s's %(day)s is no longer %(shift)s in the roster",
                    who=who,
                    day=written(day, "day"),
                    shift=shift,
                )
                if shift
                else _(
                    "%(who)s's %(day)s is no longer a day off in the roster", who=who, day=written(day, "day")
                )
            )
    return problems


def check(swap: ShiftSwap) -> list[str]:
    roster = db.session.get(Roster, swap.roster_id)
    problems = _still_published(swap, roster)
    return problems or check_changes(roster, changes_for(swap))


def _describe(swap: ShiftSwap) -> dict:
    return {
        "kind": swap.kind,
        "status": swap.status,
        "agent_id": swap.agent_id,
        "day": swap.day,
        "shift": swap.shift,
        "partner_id": swap.partner_id,
        "partner_day": swap.partner_day,
        "partner_shift": swap.partner_shift,
    }


def _my_shift(agent: Agent, day: dt.date, today: dt.date) -> tuple[Roster, str]:
    if day <= today:
        raise SwapRefused("day", _("only future shifts can be offered or swapped"))
    roster = roster_on(agent.site_id, day)
    row = published_cell(roster, agent.id, day) if roster else None
    if row is None:
        raise SwapRefused("day", _("you have no published shift on %(day)s", day=written(day, "day")))
    busy = db.session.scalar(
        select(ShiftSwap.id).where(
            ShiftSwap.roster_id == roster.id,
            ShiftSwap.status.in_(("open", "proposed", "pending")),
            ((ShiftSwap.agent_id == agent.id) & (ShiftSwap.day == day))
            | ((ShiftSwap.partner_id == agent.id) & (ShiftSwap.partner_day == day)),
        )
    )
    if busy:
        raise SwapRefused("day", _("that shift is already in an open offer or swap"))
    return roster, row["shift"]


def offer(agent: Agent, day: dt.date, note: str, user_id: int, today: dt.date | None = None) -> ShiftSwap:
    roster, shift = _my_shift(agent, day, today or dt.date.today())
    swap = ShiftSwap(
        kind="offer",
        roster_id=roster.id,
        agent_id=agent.id,
        day=day,
        shift=shift,
        status="open",
        note=note[:300],
    )
    db.session.add(swap)
    db.session.flush()
    audit.record("offered", "swap", swap.id, user_id, agent.id, after=_describe(swap))
    return swap


def propose(
    agent: Agent,
    day: dt.date,
    partner: Agent,
    partner_day: dt.date,
    note: str,
    user_id: int,
    today: dt.date | None = None,
) -> ShiftSwap:
    if partner.id == agent.id or partner.site_id != agent.site_id:
        raise SwapRefused("partner_id", _("choose a colleague of your site"))
    roster, shift = _my_shift(agent, day, today or dt.date.today())
    if not roster.start_date <= partner_day <= roster.end_date:
        raise SwapRefused("partner_day", _("the colleague's day must be in the same published roster"))
    theirs = published_cell(roster, partner.id, partner_day)
    if theirs is None:
        raise SwapRefused(
            "partner_day",
            _(
                "%(name)s has no published shift on %(day)s; to give your shift away, offer it instead",
                name=partner.name,
                day=written(partner_day, "day"),
            ),
        )
    swap = ShiftSwap(
        kind="swap",
        roster_id=roster.id,
        agent_id=agent.id,
        day=day,
        shift=shift,
        partner_id=partner.id,
        partner_day=partner_day,
        partner_shift=theirs["shift"],
        status="proposed",
        note=note[:300],
    )
    problems = check(swap)
    if problems:
        raise SwapRefused("partner_day", _("; ").join(problems))
    db.session.add(swap)
    db.session.flush()
    audit.record("proposed", "swap", swap.id, user_id, agent.id, after=_describe(swap))
    notify.notify_agent(
        partner.id,
        Sentence(
            "%(agent)s proposes a swap: your %(yours)s for their %(theirs)s",
            agent=agent.name,
            yours=Day(partner_day),
            theirs=Day(day),
        ),
        "/my/swaps",
    )
    return swap


def why_not_take(swap: ShiftSwap, taker: Agent) -> str | None:
    """Why `taker` may not take the open offer `swap`, or None when they may: the rules `take` applies,
    so a page can offer the action only to those it would accept, and say why to the others."""
    if swap.kind != "offer" or swap.status != "open":
        return _("this offer is no longer open")
    if taker.id == swap.agent_id or taker.site_id != swap.agent.site_id:
        return _("you cannot take this offer")
    if published_cell(db.session.get(Roster, swap.roster_id), taker.id, swap.day) is not None:
        return _("you already work on %(day)s", day=written(swap.day, "day"))
    original = swap.partner_id
    with db.session.no_autoflush:  # a look, not a change: the offer is checked as if taken, then put back
        swap.partner_id = taker.id
        try:
            problems = check(swap)
        finally:
            swap.partner_id = original
    return _("; ").join(problems) or None


def take(swap: ShiftSwap, taker: Agent, user_id: int) -> None:
    """A colleague takes an open offer (checked now; the scheduler then decides)."""
    refusal = why_not_take(swap, taker)
    if refusal:
        raise SwapRefused("id", refusal)
    before = _describe(swap)
    swap.partner_id = taker.id
    if claim(swap, "open", "pending") is not None:  # a colleague took it at the same moment
        raise SwapRefused("id", _("this offer is no longer open"))
    db.session.flush()
    audit.record("taken", "swap", swap.id, user_id, taker.id, before=before, after=_describe(swap))
    notify.notify_agent(
        swap.agent_id,
        Sentence(
            "%(taker)s takes your %(day)s shift; waiting for the scheduler",
            taker=taker.name,
            day=Day(swap.day),
        ),
        "/my/swaps",
    )
    notify.notify_schedulers(
        taker.site_id,
        Sentence(
            "Shift offer: %(taker)s takes %(agent)s's %(day)s",
            taker=taker.name,
            agent=swap.agent.name,
            day=Day(swap.day),
        ),
        f"/inbox/swaps/{swap.id}",
    )


def answer(swap: ShiftSwap, partner: Agent, accept: bool, user_id: int) -> None:
    """The named colleague accepts (checked again now) or declines a proposed swap."""
    if swap.kind != "swap" or swap.status != "proposed" or swap.partner_id != partner.id:
        raise SwapRefused("id", _("this swap is not waiting for your answer"))
    before = _describe(swap)
    if accept:
        problems = check(swap)
        if problems:
            raise SwapRefused("id", _("; ").join(problems))
    if claim(swap, "proposed", "pending" if accept else "declined") is not None:
        raise SwapRefused("id", _("this swap is not waiting for your answer"))
    db.session.flush()
    audit.record(
        "accepted" if accept else "declined",
        "swap",
        swap.id,
        user_id,
        partner.id,
        before=before,
        after=_describe(swap),
    )
    notify.notify_agent(
        swap.agent_id,
        Sentence("%(partner)s accepted your swap for %(day)s", partner=partner.name, day=Day(swap.day))
        if accept
        else Sentence("%(partner)s declined your swap for %(day)s", partner=partner.name, day=Day(swap.day)),
        "/my/swaps",
    )
    if accept:
        notify.notify_schedulers(
            partner.site_id,
            Sentence("Swap: %(agent)s and %(partner)s", agent=swap.agent.name, partner=partner.name),
            f"/inbox/swaps/{swap.id}",
        )


def cancel(swap: ShiftSwap, agent: Agent, user_id: int) -> None:
    if swap.agent_id != agent.id or swap.status not in ("open", "proposed", "pending"):
        raise SwapRefused("id", _("this request cannot be withdrawn"))
    before = _describe(swap)
    now = claim(swap, ("open", "proposed", "pending"), "cancelled")
    if now is not None:
        raise SwapRefused(
            "id", _("this request is %(status)s now and cannot be withdrawn", status=status_label(now))
        )
    db.session.flush()
    audit.record("cancelled", "swap", swap.id, user_id, agent.id, before=before, after=_describe(swap))
    if swap.partner_id:
        notify.notify_agent(
            swap.partner_id,
            Sentence("%(agent)s withdrew the offer for %(day)s", agent=agent.name, day=Day(swap.day))
            if swap.kind == "offer"
            else Sentence("%(agent)s withdrew the swap for %(day)s", agent=agent.name, day=Day(swap.day)),
            "/my/swaps",
        )


def decide(swap: ShiftSwap, approve: bool, user_id: int, note: str = "") -> int | None:
    """The scheduler's decision. Approving re-checks the rules on the current roster and publishes a new
    version; returns its number (None when rejected)."""
    if swap.status != "pending":
        raise SwapRefused(
            "id",
            _("this request is %(status)s, not waiting for a decision", status=status_label(swap.status)),
        )
    before = _describe(swap)
    now = claim(swap, "pending", "approved" if approve else "rejected")  # one of two deciders wins
    if now is not None:
        raise SwapRefused(
            "id", _("someone decided this request first: it is %(status)s now", status=status_label(now))
        )
    number = None
    if approve:
        problems = check(swap)
        if problems:
            raise SwapRefused("id", _("; ").join(problems))
        roster = db.session.get(Roster, swap.roster_id)
        number = apply_and_publish(
            roster, changes_for(swap), user_id, f"{swap.kind} #{swap.id} approved"
        ).number
    swap.decided_by_id, swap.decided_at, swap.decision_note = user_id, utcnow(), note[:300]
    db.session.flush()
    audit.record(
        "approved" if approve else "rejected",
        "swap",
        swap.id,
        user_id,
        swap.agent_id,
        before=before,
        after={**_describe(swap), "published_version": number},
        note=note,
    )
    told = _verdict(swap.kind, approve, Day(swap.day), note)
    for agent_id in (swap.agent_id, swap.partner_id):
        notify.notify_agent(agent_id, told, "/my/schedule")
    return number


def _verdict(kind: str, approve: bool, day: Day, note: str) -> Sentence:
    """What the two agents are told of the scheduler's decision (whole sentences for the catalogue)."""
    if kind == "offer" and approve:
        if note:
            return Sentence("The offer of %(day)s was approved: %(note)s", day=day, note=note)
        return Sentence("The offer of %(day)s was approved", day=day)
    if kind == "offer":
        if note:
            return Sentence("The offer of %(day)s was not approved: %(note)s", day=day, note=note)
        return Sentence("The offer of %(day)s was not approved", day=day)
    if approve:
        if note:
            return Sentence("The swap of %(day)s was approved: %(note)s", day=day, note=note)
        return Sentence("The swap of %(day)s was approved", day=day)
    if note:
        return Sentence("The swap of %(day)s was not approved: %(note)s", day=day, note=note)
    return Sentence("The swap of %(day)s was not approved", day=day)


def visible_to(session: Session, agent: Agent) -> dict[str, list[ShiftSwap]]:
    """The agent's own requests, swaps proposed to them, and colleagues' open offers they could take."""
    mine = session.scalars(
        select(ShiftSwap).where(ShiftSwap.agent_id == agent.id).order_by(ShiftSwap.id.desc()).limit(50)
    ).all()
    to_me = session.scalars(
        select(ShiftSwap)
        .where(ShiftSwap.partner_id == agent.id, ShiftSwap.agent_id != agent.id)
        .order_by(ShiftSwap.id.desc())
        .limit(50)
    ).all()
    offers = session.scalars(
        select(ShiftSwap)
        .join(Agent, Agent.id == ShiftSwap.agent_id)
        .where(
            ShiftSwap.kind == "offer",
            ShiftSwap.status == "open",
            Agent.site_id == agent.site_id,
            ShiftSwap.agent_id != agent.id,
            ShiftSwap.day > dt.date.today(),
        )
        .order_by(ShiftSwap.day)
    ).all()
    return {"mine": list(mine), "to_me": list(to_me), "offers": list(offers)}
