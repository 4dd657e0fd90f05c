"""The demo has a QA-staff login: "qa" is an agent holding a classic centre-roles level, finds the way to
evaluate from My quality, and evaluates a colleague's contact (stored with them as evaluator); an agent
without that level sees no such link and is refused."""

import datetime as dt

from sqlalchemy import select

from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from wfm.careers.quality import QA_FIELD
from wfm.careers.store import record_of
from wfm.models import User
from wfm.models.talent import QualityEvaluation, QualityForm

TODAY = dt.date.today()


def test_the_qa_login_evaluates_and_a_plain_agent_may_not(centre, browser, db_session):  # noqa: F811
    qa = db_session.scalar(select(User).where(User.username == "qa"))
    assert qa is not None
    assert record_of(qa.agent).level_on(QA_FIELD, TODAY) >= 1
    colleague = db_session.scalar(select(User).where(User.username == "agent")).agent
    form = db_session.scalar(select(QualityForm))
    answers = {f"q_{i}": "yes" for i in range(len(form.questions))}
    post = {"form_id": form.id, "agent_id": colleague.id, "contact": "call QA-1", "on": TODAY.isoformat()}

    browser.login("qa")
    mine = browser.get("/careers/me/quality").get_data(as_text=True)
    assert "/careers/quality/evaluate" in mine
    assert browser.post("/careers/quality/evaluate", {**post, **answers}).status_code == 302
    db_session.expire_all()
    stored = db_session.scalar(select(QualityEvaluation).where(QualityEvaluation.contact == "call QA-1"))
    assert (stored.agent_id, stored.evaluator, stored.score) == (colleague.id, "qa", 100.0)
    browser.client.post("/logout")

    browser.login("agent")
    assert record_of(colleague).level_on(QA_FIELD, TODAY) == 0
    assert "/careers/quality/evaluate" not in browser.get("/careers/me/quality").get_data(as_text=True)
    assert browser.post("/careers/quality/evaluate", {**post, "contact": "call QA-2"}).status_code == 403
