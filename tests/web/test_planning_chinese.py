"""The planning pages read in Chinese: a forecast's planned volume, the sources box once the forecast is
adjusted, a flash and a validation message, and what a forecast job writes for a scheduler who reads
Chinese (issue #31)."""

import datetime as dt

from sqlalchemy import func, select

from tests.web.conftest import FIRST, HISTORY_DAYS
from tests.web.conftest import forecast_via_page as _forecast
from tests.web.planning_data import upload
from wfm.models import HistoryInterval, Job, Requirement, Site


def _read_chinese(browser):
    token = browser.csrf("/planning/forecasts")
    assert browser.post("/language", data={"language": "zh_CN", "csrf_token": token}).status_code == 302


def test_a_forecast_page_and_its_job_read_in_chinese(history, browser, db_session):
    _read_chinese(browser)
    record = _forecast(browser, history, FIRST + dt.timedelta(days=HISTORY_DAYS), days=7)
    job = db_session.scalar(select(Job).order_by(Job.id.desc()))
    # the job's title and result were written in the words of the scheduler who asked for it
    assert job.title.startswith(f"预测 1 个队列（自 {record.start_date} 起）")
    assert job.message == "已预测 1 个队列"
    job_page = browser.get(f"/jobs/{job.id}.json").get_json()
    assert job_page["status_text"].startswith("于 UTC ")
    assert job_page["status_text"].endswith("完成")

    page = browser.get(f"/planning/forecasts/{record.id}").get_data(as_text=True)
    planned = sum(i.adjusted for i in record.intervals)
    assert f"计划话务量 {planned:,.0f} 通。" in page
    assert "计算人力需求" in page
    assert "所依据的数据此后均未变化。" in page
    assert "Planned volume" not in page

    day = record.intervals[0].interval_start.date()
    refused = browser.post(
        f"/planning/forecasts/{record.id}/adjust",
        {
            "first_day": (day + dt.timedelta(days=1)).isoformat(),
            "last_day": day.isoformat(),
            "percent": "10",
            "reason": "营销活动",
        },
    )
    assert refused.status_code == 400
    assert "结束日期早于开始日期。" in refused.get_data(as_text=True)

    adjusted = browser.post(
        f"/planning/forecasts/{record.id}/adjust",
        {"first_day": day.isoformat(), "last_day": day.isoformat(), "percent": "20", "reason": "营销活动"},
    )
    assert adjusted.status_code == 302
    assert "预测已调整 +20%（营销活动）。" in browser.get(adjusted.headers["Location"]).get_data(as_text=True)


def test_a_requirement_of_an_adjusted_forecast_says_it_is_out_of_date_in_chinese(
    history, browser, db_session
):
    record = _forecast(browser, history, FIRST + dt.timedelta(days=HISTORY_DAYS), days=7)
    assert browser.post(f"/planning/forecasts/{record.id}/requirement").status_code == 302
    requirement = db_session.scalar(select(Requirement).order_by(Requirement.id.desc()))
    day = record.intervals[0].interval_start.date()
    assert (
        browser.post(
            f"/planning/forecasts/{record.id}/adjust",
            {"first_day": day.isoformat(), "last_day": day.isoformat(), "percent": "5", "reason": "x"},
        ).status_code
        == 302
    )
    _read_chinese(browser)
    page = browser.get(f"/planning/requirements/{requirement.id}").get_data(as_text=True)
    assert "已过期：请重新生成" in page
    assert "计算之后，其预测又被调整过。" in page
    assert "重新计算人力需求" in page
    assert f"{history.name}：所需坐席" in page
    peak = max(i.scheduled_agents for i in requirement.intervals)
    assert "排班峰值" in page
    assert f'<td class="num">{peak}</td>' in page
    assert "Out of date" not in page


def test_targets_that_cannot_work_are_refused_in_chinese_on_the_field(history, browser, db_session):
    _read_chinese(browser)
    response = browser.post(
        f"/planning/queues/{history.id}/targets",
        {
            "staffing_model": "erlang-a",
            "service_level_percent": "80",
            "answer_seconds": "20",
            "shrinkage_percent": "30",
            "aht_seconds": "180",
            "patience_seconds": "",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Erlang A 模型需要填写来电客户平均耐心时长。" in page
    assert "来电客户平均耐心时长（秒，Erlang A）" in page  # the field's label
    db_session.expire_all()
    assert history.staffing_model == "erlang-c"
    saved = browser.post(
        f"/planning/queues/{history.id}/targets",
        {
            "staffing_model": "erlang-a",
            "service_level_percent": "80",
            "answer_seconds": "20",
            "shrinkage_percent": "30",
            "aht_seconds": "180",
            "patience_seconds": "120",
        },
    )
    assert saved.status_code == 302
    message = f"{history.name} 的目标已保存；新计算的人力需求将使用这些目标。"
    assert message in browser.get(saved.headers["Location"]).get_data(as_text=True)


def test_an_unknown_queue_in_an_import_is_named_in_chinese_and_nothing_is_imported(demo, browser, db_session):
    browser.login("scheduler")
    _read_chinese(browser)
    site = db_session.scalar(select(Site))
    text = (
        "interval_start,queue,offered\n2026-01-04T08:00:00,Retail voice,5\n2026-01-04T08:00:00,Mortgages,3\n"
    )
    response = browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": "intervals", "interval_minutes": "15", "file": upload(text)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "未导入任何数据：文件中有 1 个问题" in page
    assert f"{site.name} 没有名称或导入代码为 &#39;Mortgages&#39; 的在用队列（1 行）" in page
    assert db_session.scalar(select(func.count()).select_from(HistoryInterval)) == 0
    negative = (
        "interval_start,queue,offered\n2026-01-04T08:00:00,Retail voice,5\n"
        "2026-01-04T08:15:00,Retail voice,-3\n"
    )
    refused = browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": "intervals", "file": upload(negative)},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert '<td class="num">3</td><td>offered</td><td>必须 &gt;= 0</td>' in refused.get_data(as_text=True)
