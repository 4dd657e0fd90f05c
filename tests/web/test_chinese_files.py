"""Files saved by Chinese Excel (GBK / GB18030) or with a UTF-8 BOM import through the page; bytes that are
no text are refused naming the file and line (never a server error); downloads carry a BOM and import back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from scheduling.shifts import read_requirement_csv
from tests.web.planning_data import history_csv
from wfm.models import HistoryInterval, PlanCoverage, Queue, ShiftPlan, Site

pytestmark = pytest.mark.postgres  # stored Chinese names must come back the same on PostgreSQL too

QUEUE = "零售语音"  # "retail voice"
FIRST = dt.date(2026, 1, 4)


def _chinese_queue(db_session) -> Queue:
    """The site's first active queue, known in files by a Chinese import code."""
    site = db_session.scalar(select(Site).order_by(Site.id))
    queue = next(q for q in sorted(site.queues, key=lambda q: q.id) if q.active)
    queue.import_codes = QUEUE
    db_session.commit()
    return queue


def _post(browser, db_session, data: bytes, name: str = "历史.csv", encoding: str | None = None):
    site = db_session.scalar(select(Site).order_by(Site.id))
    form = {"site_id": site.id, "kind": "intervals", "interval_minutes": "", "file": (io.BytesIO(data), name)}
    if encoding is not None:
        form["encoding"] = encoding
    return browser.post("/planning/history", form, content_type="multipart/form-data")


def _stored(db_session, queue: Queue) -> int:
    return db_session.scalar(select(func.count()).where(HistoryInterval.queue_id == queue.id))


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [("gbk", None), ("gb18030", None), ("gbk", "gb18030"), ("utf-8-sig", None), ("utf-8-sig", "utf-8")],
)
def test_a_chinese_history_file_imports_through_the_page(demo, browser, db_session, codec, encoding):
    queue = _chinese_queue(db_session)
    text = history_csv(FIRST, 3, queue=QUEUE)
    data = text.encode(codec)
    assert data.decode("utf-8", errors="replace") != text  # not plain UTF-8: the BOM or the GBK bytes
    browser.login("scheduler")
    response = _post(browser, db_session, data, encoding=encoding)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert _stored(db_session, queue) == text.count("\n") - 1  # one interval a line after the header


def test_a_gbk_file_said_to_be_utf8_is_refused_naming_file_and_line(demo, browser, db_session):
    queue = _chinese_queue(db_session)
    browser.login("scheduler")
    response = _post(browser, db_session, history_csv(FIRST, 1, queue=QUEUE).encode("gbk"), encoding="utf-8")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "历史.csv" in page
    assert '<td class="num">2</td>' in page  # the first row holding the queue's name
    assert "not UTF-8 text" in page
    assert _stored(db_session, queue) == 0


def test_bytes_that_are_no_text_are_refused_naming_file_and_line(demo, browser, db_session):
    queue = _chinese_queue(db_session)
    data = f"interval_start,queue,offered\n{FIRST}T08:00:00,{QUEUE},5\n".encode("gbk")
    data += f"{FIRST}T08:15:00,".encode() + b"\x80\xff\x80" + b",6\n"  # neither UTF-8 nor GB18030
    browser.login("scheduler")
    response = _post(browser, db_session, data, name="坏.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "坏.csv" in page
    assert '<td class="num">3</td>' in page
    assert "not UTF-8 or GB18030 (GBK) text" in page
    assert _stored(db_session, queue) == 0


def test_a_kpi_file_of_bad_bytes_is_refused_by_file_and_line(demo, browser, db_session):
    browser.login("hr")
    data = b"employee_number,day,handle_seconds,fcr,csat\nA001,2026-03-02,\x80\xff,80,90\n"
    response = browser.post(
        "/careers/kpis", {"file": (io.BytesIO(data), "kpi.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "File “kpi.csv”, line 2: not UTF-8 or GB18030 (GBK) text (byte 0x80)" in page
    chinese = browser.post(
        "/careers/kpis",
        {"file": (io.BytesIO(data), "kpi.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    ).get_data(as_text=True)
    assert "文件“kpi.csv”第 2 行：既不是 UTF-8 也不是 GB18030（GBK）文本（字节 0x80）" in chinese


def test_a_plan_download_begins_with_a_bom_and_imports_back(demo, browser, db_session, tmp_path):
    site = db_session.scalar(select(Site).order_by(Site.id))
    plan = ShiftPlan(
        site_id=site.id,
        name="计划",
        start_date=FIRST,
        days=1,
        interval_minutes=30,
        solver_status="optimal",
        seconds=0.0,
    )
    db_session.add(plan)
    required = {}
    for slot in range(16, 36):  # 08:00-18:00
        start = dt.datetime.combine(FIRST, dt.time()) + dt.timedelta(minutes=30 * slot)
        for queue, base in (("零售语音", 3), ("信用卡", 1)):
            required[queue, slot] = base + slot % 4
            plan.coverage.append(
                PlanCoverage(
                    interval_start=start,
                    queue=queue,
                    required=required[queue, slot],
                    on_phones=required[queue, slot],
                    short=0,
                    over=0,
                )
            )
    db_session.commit()
    browser.login("scheduler")
    response = browser.get(f"/planning/plans/{plan.id}/queues.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "零售语音".encode() in body
    path = tmp_path / "plan.csv"
    path.write_bytes(body)
    need = read_requirement_csv(path, "required")
    assert set(need.queues) == {"零售语音", "信用卡"}
    assert need.interval_minutes == 30
    day_start = dt.datetime.combine(FIRST, dt.time())
    offset = int((day_start - need.start).total_seconds() // 60 // 30)  # slots from the file's first one
    for (queue, slot), agents in required.items():
        assert need.values[need.queues.index(queue), offset + slot] == agents
    assert need.values.sum() == sum(required.values())


def test_the_actuals_file_drop_reads_gbk_and_names_the_line_of_bad_bytes(app, demo, db_session, tmp_path):
    from wfm.cli import main
    from wfm.models import QueueActual

    queue = _chinese_queue(db_session)
    runner = app.test_cli_runner()
    good = tmp_path / "实际.csv"
    good.write_bytes(
        (
            "interval_start,queue,offered,answered\n"
            f"2026-03-02T08:00,{QUEUE},40,36\n"
            f"2026-03-02T08:15,{QUEUE},50,45\n"
        ).encode("gbk")
    )
    result = runner.invoke(main, ["actuals", "import", str(good)])
    assert result.exit_code == 0, result.output
    stored = db_session.scalars(select(QueueActual).where(QueueActual.queue_id == queue.id)).all()
    assert sorted(row.offered for row in stored) == [40, 50]

    bad = tmp_path / "坏.csv"
    bad.write_bytes(good.read_bytes() + b"2026-03-02T08:30,\x80\xff\x80,1,1\n")
    refused = runner.invoke(main, ["actuals", "import", str(bad)])
    assert refused.exit_code != 0
    assert f"{bad}: cannot read: line 4: not UTF-8 or GB18030 (GBK) text" in refused.output
    assert "Traceback" not in refused.output


def test_a_gbk_kpi_file_imports_and_the_chosen_encoding_is_kept_to(demo, browser, db_session):
    from wfm.models import Agent
    from wfm.models.talent import AgentKpi

    agent = db_session.scalar(select(Agent).where(Agent.leaving_date.is_(None)).order_by(Agent.id))
    agent.employee_number = "客服001"  # a number with Chinese in it, so the encoding matters
    db_session.commit()
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    data = f"employee_number,day,handle_seconds,fcr,csat\n客服001,{day},240,80,90\n".encode("gbk")
    browser.login("hr")
    page = browser.get("/careers/kpis").get_data(as_text=True)
    assert '<option value="gb18030">GB18030 (GBK)</option>' in page

    def send(encoding):
        form = {"file": (io.BytesIO(data), "kpi.csv"), "encoding": encoding}
        return browser.post("/careers/kpis", form, content_type="multipart/form-data")

    assert send("utf-8").status_code == 400  # said to be UTF-8: refused, nothing stored
    assert db_session.scalar(select(func.count(AgentKpi.id))) == 0
    assert send("auto").status_code == 302
    stored = db_session.scalars(select(AgentKpi)).all()
    assert [(row.agent_id, row.handle_seconds) for row in stored] == [(agent.id, 240)]
