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


def test_an_agent_comments_without_disputing_and_hr_reads_it(centre, browser, db_session):  # noqa: F811
    me = db_session.scalar(select(User).where(User.username == "agent")).agent
    mine = db_session.scalars(select(QualityEvaluation).where(QualityEvaluation.agent_id == me.id)).all()
    final = next(e for e in mine if e.status == "final")
    disputed = next(e for e in mine if e.status == "disputed")
    browser.login("agent2")
    assert browser.post(f"/careers/me/quality/{final.id}/comment", {"comment": "not mine"}).status_code == 404
    browser.client.post("/logout")
    browser.login("agent")
    assert browser.post(f"/careers/me/quality/{final.id}/comment", {"comment": "  "}).status_code == 302
    assert browser.post(f"/careers/me/quality/{disputed.id}/comment", {"comment": "more"}).status_code == 302
    words = "The caller hung up before I could summarise."
    assert browser.post(f"/careers/me/quality/{final.id}/comment", {"comment": words}).status_code == 302
    db_session.expire_all()
    after = {e.id: (e.status, e.agent_comment) for e in db_session.scalars(select(QualityEvaluation))}
    assert after[final.id] == ("final", words)
    assert after[disputed.id] == ("disputed", disputed.agent_comment)  # a dispute keeps its own words
    browser.client.post("/logout")
    browser.login("hr")
    page = browser.get("/careers/quality").get_data(as_text=True)
    section = page[page.index('id="comments"') :]
    assert words in section[: section.index("</table>")]
