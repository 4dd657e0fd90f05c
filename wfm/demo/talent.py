"""The demo centre as a talent pool: how each demo leaver's time ended (a third of them placed elsewhere in
the bank, the others lost to it with a coded reason), internal vacancies with applicants at several steps,
a few agents' development plans and a training request waiting for the scheduler.

All of it is synthetic, like the rest of the demo; the attrition-risk backtest run on it says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from wfm.careers import steering, talent
from wfm.careers.store import load_catalogue, records_of
from wfm.demo.centre import Centre
from wfm.extensions import db
from wfm.models import Agent, User

# The demo's free-text leaving reasons as coded ones: (reason, voluntary, regretted, text for "other").
CODED = {
    "Resigned: better-paid job elsewhere": ("pay", True, True, ""),
    "Resigned: no prospect of promotion": ("prospects", True, True, ""),
    "Studies": ("studies", True, False, ""),
    "Relocation": ("relocation", True, True, ""),
    "End of fixed-term contract": ("other", False, False, "End of fixed-term contract"),
    "Resigned: shift pattern did not suit family": ("shift_pattern", True, True, ""),
}
MOVES = [
    ("branch_network", "Customer adviser"),
    ("wealth_management", "Wealth management assistant"),
    ("risk", "Transaction monitoring analyst"),
    ("operations", "Payments processing officer"),
]
VACANCIES = [
    ("Wealth management assistant", "wealth_management", "wealth_manager", 1),
    ("Senior processing officer", "operations", "back_office", 2),
    ("Customer service team lead", "remote_service", "basic_service", 3),
    ("Junior data analyst", "it", "data_analyst", 1),
]


def load(today: dt.date, rng, centre: Centre) -> dict:
    """Write the demo's departures, vacancies, applications, plans and a training request (caller commits),
    in the centre's words."""
    say = centre.say
    coded = {say("text", reason): code for reason, code in CODED.items()}
    users = {u.username: u for u in db.session.scalars(select(User))}
    hr = users["hr"]
    leavers = [a for a in db.session.scalars(select(Agent).order_by(Agent.id)) if a.leaving_date is not None]
    records = {r.agent_id: r for r in records_of(leavers)}
    moved = 0
    # the latest leaver moved within the bank too, so the last 12 months have a placement beside the losses
    latest = max(leavers, key=lambda a: (a.leaving_date, a.id), default=None)
    for n, agent in enumerate(leavers):
        reason = agent.leaving_reason or ""
        if reason == say("text", "Moved to the branch network") or n % 3 == 0 or agent is latest:
            department, role = MOVES[moved % len(MOVES)]
            record = records[str(agent.id)]
            talent.record_departure(
                agent,
                hr,
                "moved",
                agent.leaving_date,
                department=department,
                role=say("text", role),
                field_code=record.primary_field,
                level_reached=record.level_on(record.primary_field, agent.leaving_date),
            )
            moved += 1
        else:
            code, voluntary, regretted, text = coded.get(
                reason, ("other", True, False, reason or "Not given")
            )
            text = say("text", text)
            talent.record_departure(
                agent,
                hr,
                "left",
                agent.leaving_date,
                reason=code,
                reason_text=text,
                voluntary=voluntary,
                regretted=regretted,
            )
    applications = 0
    for i, (title, department, field, level) in enumerate(VACANCIES):
        vacancy = talent.post_vacancy(
            hr,
            say("text", title),
            department,
            field,
            level,
            say("text", "An internal move for someone from the centre: {title}.").format(
                title=say("text", title).lower()
            ),
            today + dt.timedelta(days=21 + 7 * i),
            today,
        )
        found = talent.vacancy_candidates(vacancy, today)
        applicants = [c["agent"] for c in found["eligible"][:2] + found["nearly"][:1]]
        for k, agent in enumerate(applicants):
            row = talent.apply(
                vacancy, agent, hr, say("text", "Applied through HR at the careers fair."), today
            )
            applications += 1
            for step in ("shortlisted", "offered")[: max(0, 2 - k)]:
                talent.step_application(row, hr, step)
    cat = load_catalogue()
    employed = talent.employed(today)
    plans = 0
    for agent, (field, level) in zip(
        employed[3:9], [("wealth_manager", 1), ("data_analyst", 1), ("back_office", 2)] * 2, strict=False
    ):
        steering.set_plan(
            agent, field, level, say("text", "Working toward {field}.").format(field=cat.fields[field].name)
        )
        plans += 1
    me = users.get("agent")
    requests = 0
    if me is not None and me.agent is not None:
        for session in steering.open_sessions(today):
            if all(e.agent_id != me.agent_id for e in session.enrolments):
                steering.ask_to_enrol(session, me.agent, say("text", "For my development plan."), today)
                requests += 1
                break
    made = load_quality(today, rng, say)
    made["kpi_days"] = load_kpis(today, rng)
    made["kpi_rungs"] = load_kpi_rungs()
    made["users"] = load_qa_user(today)
    db.session.flush()
    return {
        **made,
        "placed": moved,
        "vacancies": len(VACANCIES),
        "applications": applications,
        "plans": plans,
    }


# Rungs that name KPI thresholds, as HR sets them on the ladder editor: the demo agents' next rungs on the
# basic-service ladder ("agent" holds level 3, "agent2" level 2), so each sees their own figure against them.
KPI_RUNGS = {
    ("basic_service", 3): {"handle_seconds": 330.0},
    ("basic_service", 4): {"fcr": 78.0, "csat": 85.0},
}


def load_kpi_rungs() -> int:
    """Set `KPI_RUNGS` on the stored ladders, after the demo's career histories were made (those promotions
    happened before the rungs asked for KPIs); the engine validates the catalogue when it is next read."""
    from wfm.models.careers import CareerField, CareerLevel

    for (code, number), kpis in KPI_RUNGS.items():
        row = db.session.scalar(
            select(CareerLevel)
            .join(CareerField)
            .where(CareerField.code == code, CareerLevel.number == number)
        )
        row.kpis = dict(kpis)
    db.session.flush()
    load_catalogue()
    return len(KPI_RUNGS)


QA_USER = "qa"


def load_qa_user(today: dt.date) -> list[tuple[str, str]]:
    """A login for QA staff: an employed agent holding a classic centre-roles level (who may evaluate
    contacts) and no login yet; returns (username, roles) for the printed demo logins."""
    from wfm.admin.operations import save_user
    from wfm.careers.quality import QA_FIELD
    from wfm.demo.organisation import DEMO_PASSWORD

    with_login = set(db.session.scalars(select(User.agent_id).where(User.agent_id.is_not(None))))
    employed = [a for a in talent.employed(today) if a.id not in with_login]
    for record in sorted(records_of(employed), key=lambda r: int(r.agent_id)):
        if record.level_on(QA_FIELD, today) >= 1:
            save_user(
                None,
                username=QA_USER,
                display_name=record.name or QA_USER,
                email=None,
                password=DEMO_PASSWORD,
                roles=["agent"],
                agent_id=int(record.agent_id),
                check_policy=False,
            )  # the demo's well-known password, on purpose
            return [(QA_USER, "agent (QA staff)")]
    return []


QUALITY_FORM = (
    "Opening | Greets the customer and gives their name | 1\n"
    "Opening | Checks identity before any account detail | 0 | fatal\n"
    "Understanding | Finds the real need with open questions | 2\n"
    "Resolution | Solves the request or sets a clear next step | 3\n"
    "Resolution | Gives correct product and fee information | 2 | fatal\n"
    "Close | Summarises and checks nothing else is needed | 1\n"
)


def load_quality(today: dt.date, rng, say: Callable[[str, str], str]) -> dict:
    """An evaluation form, evaluations by HR over the last 6 months for the employed agents (most meeting
    most questions, a few with a fatal error), one disputed, and a calibration session of two evaluators."""
    from wfm.careers import quality

    users = {u.username: u for u in db.session.scalars(select(User))}
    hr, admin = users["hr"], users["admin"]
    form = quality.create_form(hr, say("text", "Inbound calls"), say("text", QUALITY_FORM))
    questions = len(form.questions)
    evaluations = 0
    employed = talent.employed(today)
    records = {r.agent_id: r for r in records_of(employed)}
    last_change: dict[int, dt.date] = {}
    for agent in employed:
        # Evaluations start after the agent's latest level change: the levels they hold were granted on the
        # score HR typed, and the ladder reads evaluations only from the first one on.
        record = records[str(agent.id)]
        first = max([lv.since for lv in record.levels] + [agent.hire_date, today - dt.timedelta(days=175)])
        last_change[agent.id] = first
        if (today - first).days < 2:
            continue
        skill = min(0.99, (record.quality_score or 85) / 100 + rng.uniform(-0.08, 0.03))
        for k in range(rng.randint(2, 6)):
            day = first + dt.timedelta(days=rng.randint(1, (today - first).days - 1))
            met = {i: rng.random() < (0.995 if i in (1, 4) else skill) for i in range(questions)}
            quality.evaluate(
                hr,
                agent,
                form,
                say("text", "call {number}").format(number=f"{agent.id}-{k + 1}"),
                day,
                met,
                today=today,
            )
            evaluations += 1
    me = users.get("agent")
    if (
        me is not None
        and me.agent is not None
        and last_change.get(me.agent_id, today) < today - dt.timedelta(days=4)
    ):
        met = dict.fromkeys(range(questions), True)
        met[3] = False
        row = quality.evaluate(
            hr,
            me.agent,
            form,
            say("text", "call {number}").format(number="88-231"),
            today - dt.timedelta(days=4),
            met,
            today=today,
        )
        quality.dispute(
            row, me, say("text", "The customer's request was solved in the follow-up call I booked.")
        )
    target = employed[0]
    for user, misses in ((hr, [5]), (admin, [2, 5])):  # two evaluators, one contact: the spread is shown
        met = {i: i not in misses for i in range(questions)}
        day = today - dt.timedelta(days=6)
        quality.evaluate(
            user,
            target,
            form,
            say("text", "call {number}").format(number="77-100"),
            day,
            met,
            say("text", "December calibration"),
            today,
        )
    return {"evaluations": evaluations}


def load_kpis(today: dt.date, rng) -> int:
    """Eight weeks of weekday KPIs per employed agent, as a file import would give them; about one agent in
    five slipped over the last 30 days (longer calls, fewer first-contact resolutions, less satisfied
    customers), which the risk score's KPI trend reads."""
    from wfm.models.talent import AgentKpi

    count = 0
    for agent in talent.employed(today):
        base = (rng.uniform(230, 360), rng.uniform(62, 88), rng.uniform(75, 95))
        slipped = rng.random() < 0.2
        for back in range(1, 57):
            day = today - dt.timedelta(days=back)
            if day.weekday() >= 5 or day < agent.hire_date:
                continue
            worse = slipped and back <= 30
            db.session.add(
                AgentKpi(
                    agent_id=agent.id,
                    day=day,
                    handle_seconds=round(base[0] * (1.15 if worse else 1) + rng.uniform(-30, 30)),
                    fcr=round(min(100.0, base[1] - (8 if worse else 0) + rng.uniform(-6, 6)), 1),
                    csat=round(min(100.0, base[2] - (7 if worse else 0) + rng.uniform(-5, 5)), 1),
                )
            )
            count += 1
    return count
