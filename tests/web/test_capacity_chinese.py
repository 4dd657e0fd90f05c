"""Capacity pages read in Chinese: a scenario's plan and its variant, a refusal naming the field, the
deletion's flash, and no English left on the plan and comparison pages (issue #31)."""

from __future__ import annotations

from sqlalchemy import select

from tests.i18n.walk import WORD, VisibleText, data_words, english_words
from tests.web.test_capacity_pages import FORM, build
from wfm.careers.store import load_catalogue
from wfm.models import CapacityScenario


def _english_left(browser, url: str) -> list[str]:
    """English words on the page, besides data and the career fields' names (groups are named after them;
    the career catalogue carries their Chinese)."""
    fields = {word for field in load_catalogue().fields.values() for word in WORD.findall(field.name)}
    parser = VisibleText()
    parser.feed(browser.get(url).get_data(as_text=True))
    return sorted(set(english_words(" ".join(parser.parts), data_words() | fields)))


def test_a_scenario_reads_in_chinese(demo, browser, db_session):
    assert browser.login("hr").status_code == 302
    token = browser.csrf("/capacity/")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302

    refused = browser.post(
        "/capacity/",
        {**FORM, "name": "窄班", "variant": "base", "class_min": "8", "class_max": "4", "csrf_token": token},
    )
    assert refused.status_code == 400
    assert "未保存。最大班级规模不能小于最小班级规模。" in refused.get_data(as_text=True)
    assert db_session.scalar(select(CapacityScenario)) is None

    page = build(browser, "基准", "base")
    assert page.status_code == 302
    first = db_session.scalar(select(CapacityScenario).order_by(CapacityScenario.id.desc()))
    shown = browser.get(page.headers["Location"]).get_data(as_text=True)
    assert "情景的假设" in shown
    assert "基准：按测得比率。" in shown
    hires = first.plan["summary"]["hires"]
    assert f"{hires} 人，分 " in shown
    assert _english_left(browser, f"/capacity/{first.id}") == []

    build(browser, "高流失", "high_attrition")
    second = db_session.scalar(select(CapacityScenario).order_by(CapacityScenario.id.desc()))
    compare = f"/capacity/compare?ids={first.id}&ids={second.id}"
    assert "情景并列对比" in browser.get(compare).get_data(as_text=True)
    assert _english_left(browser, compare) == []

    deleted = browser.post(f"/capacity/{second.id}/delete", {"csrf_token": browser.csrf("/capacity/")})
    assert "情景已删除。" in browser.get(deleted.headers["Location"]).get_data(as_text=True)
