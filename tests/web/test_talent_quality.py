"""Quality evaluations on the demo centre: HR designs a form, only QA staff evaluate, the ladder's quality
requirement reads the rolling average of the evaluations, an agent disputes only their own, and a
calibration session shows the spread."""

import datetime as dt

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from training.eligibility import eligibility
from wfm.careers.store import load_catalogue, records_of
from wfm.models import User
from wfm.models.talent import QualityEvaluation, QualityForm

TODAY = dt.date.today()
LINES = (
    "Opening | Greets the customer | 1\nOpening | Checks identity | 0 | fatal\nResolution | Solves it | 3\n"
)


def _user(db_session, name) -> User:
    return db_session.scalar(select(User).where(User.username == name))


def _counted(db_session, agent_id) -> list[float]:
    """The agent's evaluation scores the ladder should read, counted here by hand."""
    since = TODAY - dt.timedelta(days=181)
    return [
        e.score
        for e in db_session.scalars(select(QualityEvaluation).where(QualityEvaluation.agent_id == agent_id))
        if e.calibration is None and e.status != "cancelled" and since < e.on <= TODAY
    ]


def _quality_check(agent):
    cat = load_catalogue()
    record = records_of([agent])[0]
    rung = next(lv for f in cat.fields.values() for lv in f.ladder.levels if lv.min_quality is not None)
    return next(c for c in eligibility(record, rung, TODAY, cat).checks if c.kind == "quality")


def test_evaluations_feed_the_ladder_and_disputes_and_calibration(centre, browser, db_session):  # noqa: F811
    me = _user(db_session, "agent")
    browser.login("hr")
    assert browser.post("/careers/quality", {"name": "Calls", "lines": LINES}).status_code == 302
    form = db_session.scalar(select(QualityForm).where(QualityForm.name == "Calls"))
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    full = {
        "form_id": form.id,
        "agent_id": me.agent_id,
        "contact": "call 1",
        "on": day,
        "q_0": "yes",
        "q_1": "yes",
    }
    assert browser.post("/careers/quality/evaluate", {**full, "q_2": "yes"}).status_code == 302  # 100
    assert browser.post("/careers/quality/evaluate", {**full, "contact": "call 2"}).status_code == 302  # 25
    fatal = {**full, "contact": "call 3", "q_1": "", "q_2": "yes"}
    assert browser.post("/careers/quality/evaluate", fatal).status_code == 302  # 0: fatal
    for who, score in (("hr", "yes"), ("admin", "")):  # a calibration session: two evaluators, one contact
        browser.client.post("/logout")
        browser.login(who)
        session = {**full, "contact": "call 9", "calibration": "December", "q_2": score}
        assert browser.post("/careers/quality/evaluate", session).status_code == 302
    db_session.expire_all()
    mine = select(QualityEvaluation).where(
        QualityEvaluation.form_id == form.id, QualityEvaluation.calibration.is_(None)
    )
    assert sorted(e.score for e in db_session.scalars(mine)) == [0.0, 25.0, 100.0]
    check = _quality_check(me.agent)
    counted = _counted(db_session, me.agent_id)
    assert check.actual == round(sum(counted) / len(counted), 1)
    assert f"over {len(counted)} evaluations in 6 months" in check.detail
    page = browser.get("/careers/quality").get_data(as_text=True)
    assert "75 points apart" in page  # the test's calibration: 100 and 25
    browser.client.post("/logout")

    browser.login("agent")  # not QA staff: may not evaluate
    assert "Only QA staff" in browser.get("/careers/quality/evaluate").get_data(as_text=True)
    assert browser.post("/careers/quality/evaluate", {**full, "contact": "own"}).status_code == 403
    mine = browser.get("/careers/me/quality").get_data(as_text=True)
    assert "call 3" in mine
    assert "call 9" not in mine  # calibration scores are about the evaluators
    fatal_row = db_session.scalar(
        select(QualityEvaluation).where(
            QualityEvaluation.contact == "call 3", QualityEvaluation.form_id == form.id
        )
    )
    assert (
        browser.post(
            f"/careers/me/quality/{fatal_row.id}/dispute", {"comment": "ID was checked at 0:40"}
        ).status_code
        == 302
    )
    browser.client.post("/logout")
    browser.login("agent2")
    assert browser.post(f"/careers/me/quality/{fatal_row.id}/dispute", {"comment": "x"}).status_code == 404
    assert "call 3" not in browser.get("/careers/me/quality").get_data(as_text=True)
    browser.client.post("/logout")
    browser.login("hr")
    answer = {"to": "cancelled", "answer": "The recording shows the check."}
    assert browser.post(f"/careers/quality/{fatal_row.id}/answer", answer).status_code == 302
    db_session.expire_all()
    assert db_session.get(QualityEvaluation, fatal_row.id).status == "cancelled"
    counted_now = _counted(db_session, me.agent_id)  # the cancelled one no longer counts
    assert len(counted_now) == len(counted) - 1
    assert _quality_check(me.agent).actual == round(sum(counted_now) / len(counted_now), 1)
