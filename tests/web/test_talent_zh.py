"""The talent pages (quality, KPI scorecards, attrition risk) read in Chinese on the careers demo: no English
left on them beyond data and codes, the engine's risk reasons in Chinese with their figures filled in, and
refusals of a quality form and a KPI file in Chinese naming the line."""

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from tests.i18n.walk import VisibleText, data_words, english_words
from tests.web.test_talent_mobility import centre  # noqa: F401  (the careers demo fixture)
from wfm.careers.risk import risk_list
from wfm.models import Agent, User
from wfm.models.talent import QualityEvaluation

TODAY = dt.date.today()
CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese(browser, username: str) -> None:
    browser.login(username)
    assert browser.post("/language", data={"language": "zh_CN"}).status_code == 302


def _english_left(html: str) -> list[str]:
    """English words on the page beyond data (the quality forms' questions are data: HR typed them)."""
    parser = VisibleText()
    parser.feed(html)
    return english_words(" ".join(parser.parts), data_words())


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("hr", ("/careers/quality", "/careers/kpis", "/careers/risk")),
        ("agent", ("/careers/me/quality", "/careers/me/kpis")),
    ],
)
def test_talent_pages_leave_no_english_with_the_careers_data(centre, browser, username, paths):  # noqa: F811
    _chinese(browser, username)
    for path in paths:
        page = browser.get(path)
        assert page.status_code == 200, path
        left = _english_left(page.get_data(as_text=True))
        assert left == [], (path, sorted(set(left)))


def test_risk_reasons_read_in_chinese_with_their_figures(centre, browser, db_session):  # noqa: F811
    rows = [r for r in risk_list(TODAY) if r["reasons"]]
    _chinese(browser, "hr")
    page = browser.get("/careers/risk").get_data(as_text=True).replace("&#39;", "'")
    text = " ".join(_visible(page))
    assert "流失风险" in text
    top = rows[0]
    row_text = text[text.index(top["agent"].name) :]
    for points, words in top["reasons"]:
        assert words not in page  # the English sentence is not shown
        for value in words.values.values():  # each figure of the reason is on its line, now in Chinese
            assert f"{value}" in row_text
        assert f"{points} 分" in row_text
    tenure = {
        "under 6 months": "在客服中心工作不满 6 个月（多数离职发生在第一年）。",
        "6–12 months": "在客服中心工作6–12 个月（多数离职发生在第一年）。",
        "1–2 years": "在客服中心工作1–2 年。",
        "2–5 years": "在客服中心工作2–5 年。",
    }
    told = [w for r in rows for _p, w in r["reasons"] if w.startswith("In the centre for")]
    assert told
    for words in told:
        band = next(b for b in tenure if words.startswith(f"In the centre for {b}"))
        assert tenure[band] in text


def _visible(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def test_quality_form_and_kpi_file_refusals_in_chinese(centre, browser, db_session):  # noqa: F811
    _chinese(browser, "hr")
    refused = browser.post(
        "/careers/quality", {"name": "表一", "lines": "开场 | 问候客户 | 1\n解决 | 解决问题 | 很多"}
    )
    assert refused.status_code == 400
    assert "第 2 行：权重必须是数字。" in refused.get_data(as_text=True)
    saved = browser.post(
        "/careers/quality",
        {"name": "表一", "lines": "开场 | 核实身份 | 0 | 致命\n解决 | 解决问题 | 3"},
        follow_redirects=True,
    )
    assert "评分表已保存。" in saved.get_data(as_text=True)
    assert "未达标即为致命错误" in saved.get_data(as_text=True)  # 致命 marked the first question fatal
    assert "<th>评分人</th>" in saved.get_data(as_text=True)  # the evaluator, not the audit's 操作人

    agent = db_session.scalar(select(Agent).where(Agent.leaving_date.is_(None)))
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    head = "employee_number,day,handle_seconds,fcr,csat\n"
    text = head + f"{agent.employee_number},{day},280,80,90\nNOBODY-9,{day},280,80,90\n"
    upload = {"file": (io.BytesIO(text.encode()), "kpis.csv")}
    refused = browser.post("/careers/kpis", upload, content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "第 3 行：没有员工编号为 NOBODY-9 的坐席。" in refused.get_data(as_text=True)
    upload = {"file": (io.BytesIO(b"employee_number,day,fcr\n"), "kpis.csv")}
    refused = browser.post("/careers/kpis", upload, content_type="multipart/form-data")
    assert "缺少：handle_seconds, csat。" in refused.get_data(as_text=True)


def test_an_agent_reads_their_evaluation_state_in_chinese(centre, browser, db_session):  # noqa: F811
    me = db_session.scalar(select(User).where(User.username == "agent"))
    mine = db_session.scalars(
        select(QualityEvaluation).where(
            QualityEvaluation.agent_id == me.agent_id, QualityEvaluation.calibration.is_(None)
        )
    ).all()
    _chinese(browser, "agent")
    page = browser.get("/careers/me/quality").get_data(as_text=True)
    states = {"final": "已定稿", "disputed": "有异议", "upheld": "维持原评分", "cancelled": "已取消"}
    assert page.count("评分人 ") == len(mine)
    for e in mine:
        assert f"状态：{states[e.status]}。" in page
