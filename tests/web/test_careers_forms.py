"""A refused careers form comes back on its own page (status 400, 403 when the user may not take the step):
the message in words next to the field and above the form, what was typed kept, no internal names
(`to_level:`, `score_13:`), and no dead-end page."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

from sqlalchemy import select

from wfm.careers import operations as ops
from wfm.careers.store import seed_catalogue
from wfm.models import Agent, Site, TrainingSession, User

TODAY = dt.date.today()


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _visible(page: str) -> str:
    """The words a person reads: tags and their attributes left out."""
    return re.sub(r"<[^>]+>", " ", page)


def _tag_with(page: str, tag: str, *attributes: str) -> bool:
    """Whether one `<tag …>` of the page carries every attribute (in any order)."""
    return any(
        all(re.search(rf"\s{re.escape(a)}(?=[\s>/])", found) for a in attributes)
        for found in re.findall(rf"<{tag}\s[^>]*>", page)
    )


def _selected(page: str, value: str) -> bool:
    """Whether the `<option>` of `value` is the one selected."""
    return _tag_with(page, "option", f'value="{value}"', "selected")


def _no_internals(page: str) -> None:
    words = _visible(page)
    assert "Not done" not in words
    for internal in (
        "to_level:",
        "effective_from:",
        "score_",
        "agent_id:",
        "high_end_service",
        "wealth_manager",
        "promotion:",
        "evidence:",
    ):
        assert internal not in words, internal


def test_a_refused_promotion_is_the_profile_again_with_the_error_by_the_field(demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    response = browser.post(
        f"/careers/agents/{agent.id}/promotions",
        {
            "field": "wealth_manager",
            "to_level": "1",
            "effective_from": TODAY.isoformat(),
            "note": "strong quarter",
            "override": "",
        },
    )
    page = _text(response)
    assert response.status_code == 400
    assert "Propose a promotion" in page  # the form's own page
    assert _selected(page, "wealth_manager")  # typed values kept
    assert 'value="strong quarter"' in page
    assert "Not saved. Reason for the exception: Not eligible on" in page
    assert _tag_with(page, "input", 'name="override"', 'aria-invalid="true"')
    _no_internals(page)
    bad_number = _text(
        browser.post(
            f"/careers/agents/{agent.id}/promotions",
            {"field": "wealth_manager", "to_level": "two", "effective_from": TODAY.isoformat()},
        )
    )
    assert "To level: Write a whole number." in bad_number
    assert 'value="two"' in bad_number
    _no_internals(bad_number)


def test_a_refused_result_is_the_session_page_again(demo, browser, db_session):
    seed_catalogue()
    site = db_session.scalar(select(Site))
    session = TrainingSession(
        course="CHAT-101",
        site_id=site.id,
        day=TODAY - dt.timedelta(days=7),
        start_minute=9 * 60,
        end_minute=12 * 60,
        capacity=5,
        location="Room 1",
    )
    db_session.add(session)
    db_session.flush()
    enrolment = ops.enrol(session, db_session.scalar(select(Agent).where(Agent.employee_number == "A030")))
    db_session.commit()
    browser.login("hr")
    response = browser.post(
        f"/careers/sessions/{session.id}",
        {"action": "results", f"attended_{enrolment.id}": "on", f"score_{enrolment.id}": "eighty"},
    )
    page = _text(response)
    assert response.status_code == 400
    assert "Record attendance and scores" in page
    assert "Score: Write a number." in page
    assert 'value="eighty"' in page
    _no_internals(page)


def test_an_agent_s_refused_self_assessment_keeps_what_they_wrote(demo, browser, db_session):
    browser.login("agent")
    response = browser.post(
        "/careers/me/evidence",
        {"competency": "english", "proficiency": "9", "evidence": "IELTS 7.5 in March"},
    )
    page = _text(response)
    assert response.status_code == 400
    assert "My career" in page
    assert "Proficiency: Between 1 and 5." in page
    assert 'value="IELTS 7.5 in March"' in page
    assert _selected(page, "english")
    _no_internals(page)


def test_a_decision_refused_shows_on_the_page_it_was_taken_from(demo, browser, db_session):
    me = db_session.scalar(select(User).where(User.username == "agent"))
    row = ops.submit_evidence(me.agent, me, "english", 3, TODAY, "B2 certificate")
    db_session.commit()
    browser.login("hr")
    refused = browser.post(f"/careers/evidence/{row.id}", {"to": "rejected", "note": "", "back": "/careers/"})
    page = _text(refused)
    assert refused.status_code == 400
    assert "Evidence to review" in page
    assert "needs a note saying why" in page
    _no_internals(page)
    assert browser.post(f"/careers/evidence/{row.id}", {"to": "validated"}).status_code == 302
    again = browser.post(
        f"/careers/evidence/{row.id}", {"to": "rejected", "note": "late"}
    )  # from the profile
    page = _text(again)
    assert again.status_code == 400
    assert "Record an assessment" in page
    assert "This evidence is validated and cannot become rejected: the decision is final." in page
    _no_internals(page)


def test_careers_forms_carry_and_check_the_csrf_token(app, demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        profile = f"/careers/agents/{agent.id}"
        page = _text(browser.get(profile))
        forms = len(re.findall(r'<form[^>]*method="post"', page))
        assert forms >= 3
        assert page.count('name="csrf_token"') == forms  # every form the page posts carries the token
        sent = {"competency": "english", "proficiency": "3", "evidence": "B2 certificate"}
        assert browser.post(f"{profile}/evidence", sent).status_code == 400  # no token: refused
        token = browser.csrf(profile)
        assert browser.post(f"{profile}/evidence", {**sent, "csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _form_posting_to(page: str, action: str) -> str:
    found = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert found, action
    return found.group(0)


def test_a_refused_decision_comes_back_in_its_own_row_only(demo, browser, db_session):
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    hr = db_session.scalar(select(User).where(User.username == "hr"))
    first = ops.propose(agent, hr, "high_end_service", 1, TODAY, "", override="covers the priority desk")
    second = ops.propose(agent, hr, "wealth_manager", 1, TODAY, "", override="covers the wealth desk")
    db_session.commit()
    browser.login("admin")
    response = browser.post(f"/careers/promotions/{first.id}", {"to": "later", "note": "typed in the first"})
    page = _text(response)
    assert response.status_code == 400
    assert "Not saved. Decision: Approve or reject" in page
    refused_row = _form_posting_to(page, f"/careers/promotions/{first.id}")
    other_row = _form_posting_to(page, f"/careers/promotions/{second.id}")
    assert _tag_with(refused_row, "input", 'name="note"', 'value="typed in the first"')
    assert _tag_with(other_row, "input", 'name="note"', 'value=""')
    assert "typed in the first" not in other_row
