"""The career catalogue in the article's own words: Chinese names beside the English, stored, edited by HR in
both languages, and shown in the reader's language (English where the Chinese is empty)."""

import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.web.api_support import api, tokens  # noqa: F401 (fixtures)
from training import defaults
from training.catalogue import Track
from wfm.careers.store import seed_catalogue
from wfm.demo import careers as demo_careers
from wfm.models import Agent
from wfm.models.careers import (
    CareerCertification,
    CareerCompetency,
    CareerCourse,
    CareerField,
    CareerLevel,
    CareerTrack,
)

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
ENGLISH = {"Accept-Language": "en"}

# The nine fields as the article names them (北京银行客服中心: 四大服务领域、两大操作领域、三大分析领域).
ARTICLE_FIELDS = {
    "basic_service": "服务基础客户",
    "high_end_service": "服务高端客户",
    "wealth_manager": "理财经理",
    "crm_expert": "客户关系管理专家",
    "back_office": "后台业务处理人员",
    "centre_roles": "传统客服岗位",
    "data_analyst": "数据分析员",
    "model_builder": "模型建立专员",
    "systems_developer": "系统开发专员",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")


class _Inputs(HTMLParser):
    """The values a browser would send back: every named input of the page's post form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""


def _form_of(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.values


@pytest.fixture
def careers_demo(demo, built, db_session):
    """The demo centre with its careers, as `wfm demo` loads them (built once per database and run)."""

    def load():
        demo_careers.load()
        db_session.commit()

    built("careers demo", load)  # the same build as tests/web/test_talent_mobility.py: one snapshot


def test_demo_catalogue_has_chinese_for_every_entry(careers_demo, db_session):
    # as many rows as the seeded (English) catalogue has entries, and not one without its Chinese
    levels = sum(len(levels) for *_rest, levels in defaults.FIELDS)
    for model, expected, column in (
        (CareerField, len(defaults.FIELDS), CareerField.name_zh),
        (CareerLevel, levels, CareerLevel.title_zh),
        (CareerCompetency, len(defaults.COMPETENCIES), CareerCompetency.name_zh),
        (CareerCourse, len(defaults.COURSES), CareerCourse.name_zh),
        (CareerCertification, len(defaults.CERTIFICATIONS), CareerCertification.name_zh),
        (CareerTrack, len(Track), CareerTrack.name_zh),
    ):
        assert db_session.scalar(select(func.count()).select_from(model)) == expected, model.__name__
        texts = db_session.scalars(select(column)).all()
        assert all(_has_chinese(t) for t in texts), (
            model.__name__,
            [t for t in texts if not _has_chinese(t)],
        )
    fields = db_session.scalars(select(CareerField)).all()
    # the three tracks, each with its fields, in the article's words; every description in Chinese too
    assert {f.track for f in fields} == {t.value for t in Track}
    tracks = dict(db_session.execute(select(CareerTrack.code, CareerTrack.name_zh)).all())
    assert tracks == {"service": "服务领域", "operations": "操作领域", "analytics": "分析领域"}
    assert all(_has_chinese(f.description_zh) for f in fields if f.description)
    competencies = db_session.scalars(select(CareerCompetency)).all()
    assert all(_has_chinese(c.description_zh) for c in competencies if c.description)
    # the fields carry the article's own names
    for f in fields:
        assert f.name_zh.startswith(ARTICLE_FIELDS[f.code]), (f.code, f.name_zh)


def test_a_page_shows_the_field_names_in_the_readers_language(demo, browser, db_session):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    chinese = _text(browser.get("/careers/", headers=CHINESE))
    english = _text(browser.get("/careers/", headers=ENGLISH))
    assert "理财经理" in chinese
    assert "客户关系管理专家" in chinese
    assert "Wealth manager" not in chinese
    assert "Wealth manager" in english
    assert "Customer-relationship management expert" in english
    assert "理财经理" not in english
    ladder = _text(browser.get("/careers/ladders/back_office", headers=CHINESE))
    assert "<h1>后台业务处理人员" in ladder


def test_an_empty_chinese_name_falls_back_to_english(demo, browser, db_session):
    seed_catalogue()
    field = db_session.scalar(select(CareerField).where(CareerField.code == "wealth_manager"))
    field.name_zh = ""
    db_session.commit()
    browser.login("hr")
    chinese = _text(browser.get("/careers/", headers=CHINESE))
    assert "Wealth manager" in chinese
    assert "数据分析员" in chinese  # the others still in Chinese


def test_hr_edits_both_languages_of_a_field_and_its_levels(demo, browser, db_session):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    page = _text(browser.get("/careers/ladders/wealth_manager", headers=ENGLISH))
    form = _form_of(page)
    assert form["field_name"] == "Wealth manager"
    assert form["field_name_zh"] == "理财经理"
    assert form["l2_title_zh"] == "理财经理"
    sent = {
        **form,
        "field_name": "Wealth adviser",
        "field_name_zh": "财富顾问",
        "field_description_zh": "为客户做财富规划",
        "l1_title_zh": "初级财富顾问",
        "l3_description": "Leads the wealth desk",
    }
    assert browser.post("/careers/ladders/wealth_manager", sent, headers=ENGLISH).status_code == 302
    db_session.expire_all()
    field = db_session.scalar(select(CareerField).where(CareerField.code == "wealth_manager"))
    assert (field.name, field.name_zh, field.description_zh) == (
        "Wealth adviser",
        "财富顾问",
        "为客户做财富规划",
    )
    assert [lv.title_zh for lv in field.levels] == ["初级财富顾问", "理财经理", "高级理财经理"]
    assert field.levels[2].description == "Leads the wealth desk"
    assert [lv.title for lv in field.levels] == [
        "Associate wealth manager",
        "Wealth manager",
        "Senior wealth manager",
    ]
    # HR reading Chinese sees the Chinese in the page and the English kept in its own box
    again = _form_of(_text(browser.get("/careers/ladders/wealth_manager", headers=CHINESE)))
    assert again["field_name"] == "Wealth adviser"
    assert again["l1_title"] == "Associate wealth manager"
    assert again["l1_title_zh"] == "初级财富顾问"


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        ({"field_name": ""}, "Name: This field is required."),
        ({"field_name_zh": "长" * 161}, "Name in Chinese: At most 160 characters."),
        ({"l2_title_zh": "长" * 121}, "Level 2: title in Chinese: At most 120 characters."),
    ],
)
def test_a_bad_name_is_refused_naming_the_field(demo, browser, db_session, changed, said):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    form = _form_of(_text(browser.get("/careers/ladders/wealth_manager", headers=ENGLISH)))
    refused = browser.post("/careers/ladders/wealth_manager", {**form, **changed}, headers=ENGLISH)
    assert refused.status_code == 400
    assert said in _text(refused)
    db_session.expire_all()
    field = db_session.scalar(select(CareerField).where(CareerField.code == "wealth_manager"))
    assert (field.name, field.name_zh) == ("Wealth manager", "理财经理")  # nothing half-written


def test_hr_names_competencies_courses_and_certificates_in_both_languages(demo, browser, db_session):
    browser.login("hr")
    page = browser.get("/careers/catalogue", headers=ENGLISH)
    assert page.status_code == 200
    assert db_session.scalar(select(func.count()).select_from(CareerCourse)) == 0  # reading stored nothing
    form = _form_of(_text(page))
    assert form["course:AML-101:name"] == "Anti-money-laundering and compliance"
    assert form["course:AML-101:name_zh"] == "反洗钱与合规"
    sent = {
        **form,
        "course:AML-101:name_zh": "反洗钱合规培训",
        "competency:english:name_zh": "",
        "competency:sales:description_zh": "了解客户需求",
        "certification:AML:name": "AML certificate",
        "track:analytics:name_zh": "数据分析领域",
    }
    assert browser.post("/careers/catalogue", sent, headers=ENGLISH).status_code == 302
    db_session.expire_all()
    course = db_session.scalar(select(CareerCourse).where(CareerCourse.code == "AML-101"))
    assert (course.name, course.name_zh) == ("Anti-money-laundering and compliance", "反洗钱合规培训")
    english = db_session.scalar(select(CareerCompetency).where(CareerCompetency.code == "english"))
    assert english.name_zh == ""
    sales = db_session.scalar(select(CareerCompetency).where(CareerCompetency.code == "sales"))
    assert sales.description_zh == "了解客户需求"
    assert db_session.scalar(select(CareerCertification.name).where(CareerCertification.code == "AML")) == (
        "AML certificate"
    )
    assert "数据分析领域" in _text(browser.get("/careers/", headers=CHINESE))
    refused = browser.post("/careers/catalogue", {**sent, "course:INDUCT:name": " "}, headers=ENGLISH)
    assert refused.status_code == 400
    assert "Course INDUCT: name: This field is required." in _text(refused)
    assert browser.get("/careers/catalogue").status_code == 200
    browser.client.post("/logout")
    browser.login("agent")
    assert browser.get("/careers/catalogue").status_code == 403


def test_api_keeps_english_names_and_gives_the_chinese_beside(demo, api, db_session):  # noqa: F811
    seed_catalogue()
    db_session.commit()
    courses = api("hr").get("/api/v1/training/courses", headers=CHINESE).get_json()["courses"]
    by_code = {c["code"]: c for c in courses}
    assert by_code["INDUCT"]["name"] == "Induction: products and systems"
    assert by_code["INDUCT"]["name_zh"] == "入职培训：产品与系统"
    agent_id = db_session.scalar(select(Agent.id).order_by(Agent.id))
    career = api("hr").get(f"/api/v1/agents/{agent_id}/career", headers=CHINESE).get_json()
    basic = next(f for f in career["fields"] if f["code"] == "basic_service")
    assert (basic["name"], basic["name_zh"]) == ("Basic customer service", "服务基础客户")
    assert (basic["next"]["title"], basic["next"]["title_zh"]) == ("Associate", "客服代表")


def test_tracks_and_the_certificate_are_in_the_readers_language(demo, browser, db_session):
    from wfm.models import User
    from wfm.models.careers import CourseCompletionRow

    seed_catalogue()
    me = db_session.scalar(select(User).where(User.username == "agent"))
    row = CourseCompletionRow(
        agent_id=me.agent_id, course="INDUCT", completed_on=dt.date(2026, 1, 5), score=90
    )
    db_session.add(row)
    db_session.commit()
    browser.login("agent")
    ladder = _text(browser.get("/careers/me", headers=CHINESE))
    assert "服务领域" in ladder
    assert "服务基础客户" in ladder
    assert "服务领域" not in _text(browser.get("/careers/me", headers=ENGLISH))
    printed = {}
    for language, headers in (("zh", CHINESE), ("en", ENGLISH)):
        pdf = browser.get(f"/careers/me/certificates/{row.id}.pdf", headers=headers)
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.data))
        printed[language] = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "入职培训：产品与系统" in printed["zh"]
    assert "结业证书" in printed["zh"]
    assert "Induction: products and systems" not in printed["zh"]
    assert "Induction: products and systems" in printed["en"]
    assert "入职培训" not in printed["en"]


def test_the_persons_stored_language_chooses_the_names(demo, browser, db_session):
    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    token = browser.csrf("/careers/")
    browser.post("/language", data={"language": "zh_CN", "csrf_token": token, "next": "/careers/"})
    page = _text(browser.get("/careers/", headers=ENGLISH))  # the browser's header no longer decides
    assert "理财经理" in page
    assert "分析领域" in page
    assert "Wealth manager" not in page
    token = browser.csrf("/careers/")
    browser.post("/language", data={"language": "en", "csrf_token": token, "next": "/careers/"})
    page = _text(browser.get("/careers/", headers=CHINESE))
    assert "Wealth manager" in page
    assert "理财经理" not in page


class _Recording:
    """The test client, noting each address the walk reads."""

    def __init__(self, client):
        self.client, self.read = client, []

    def get(self, url, **kwargs):
        self.read.append(url)
        return self.client.get(url, **kwargs)


@pytest.mark.parametrize(
    ("username", "start", "reached"),
    [
        (
            "hr",
            "/careers/",
            ("/careers/ladders/", "/careers/catalogue", "/careers/sessions", "/careers/agents/"),
        ),
        ("agent", "/careers/me", ("/careers/me/ladders", "/careers/me/vacancies")),
    ],
)
def test_the_careers_pages_read_in_chinese(careers_demo, browser, username, start, reached):
    from tests.i18n.walk import walk

    browser.login(username)
    token = browser.csrf(start)
    browser.post("/language", data={"language": "zh_CN", "csrf_token": token, "next": start})
    client = _Recording(browser.client)
    left = walk(client, start, limit=60, only=("/careers",))
    assert not left, "\n".join(f"{url}: {' '.join(words[:25])}" for url, words in sorted(left.items()))
    for page in reached:  # the walk read the pages it checks
        assert any(url.startswith(page) for url in client.read), (page, client.read)


def test_refusals_read_in_chinese_with_the_engines_details(demo, browser, db_session):
    from wfm.models import User

    seed_catalogue()
    db_session.commit()
    agent = db_session.scalar(select(User).where(User.username == "agent")).agent
    browser.login("hr")
    url = f"/careers/agents/{agent.id}/promotions"
    today = dt.date.today().isoformat()
    skip = browser.post(
        url, {"field": "wealth_manager", "to_level": "2", "effective_from": today}, headers=CHINESE
    )
    assert skip.status_code == 400
    assert "每次只能晋升一级" in _text(skip)
    assert "助理理财经理" in _text(skip)  # the level's Chinese title inside the engine's sentence
    unearned = browser.post(
        url, {"field": "high_end_service", "to_level": "1", "effective_from": today}, headers=CHINESE
    )
    said = _text(unearned)
    assert unearned.status_code == 400
    assert "不符合条件" in said
    assert "服务基础客户：现任第 0 级，要求第 2 级" in said  # one of the joined details, in Chinese
    assert "Not eligible" not in said
    assert "level 0 held" not in said
    english = _text(
        browser.post(
            url, {"field": "high_end_service", "to_level": "1", "effective_from": today}, headers=ENGLISH
        )
    )
    assert "Not eligible" in english
    assert "Basic customer service: level 0 held, level 2 needed" in english


def test_the_agent_is_told_in_their_own_language(demo, browser, db_session):
    from wfm.models import Notification, User
    from wfm.models.careers import Assessment

    seed_catalogue()
    user = db_session.scalar(select(User).where(User.username == "agent"))
    user.language = "zh_CN"
    db_session.commit()
    browser.login("agent")
    sent = browser.post(
        "/careers/me/evidence", {"competency": "english", "proficiency": "2", "evidence": "IELTS 6.5"}
    )
    assert sent.status_code == 302
    browser.client.post("/logout", data={"csrf_token": browser.csrf("/careers/me")})
    browser.login("hr")  # HR reads English; the agent reads Chinese
    row = db_session.scalar(select(Assessment).where(Assessment.agent_id == user.agent_id))
    assert (
        browser.post(f"/careers/evidence/{row.id}", {"to": "validated"}, headers=ENGLISH).status_code == 302
    )
    told = db_session.scalars(select(Notification.message).where(Notification.user_id == user.id)).all()
    assert "您关于英语 2 级的佐证材料已确认。" in told


def test_a_quality_form_may_mark_a_fatal_question_in_chinese():
    from training.quality import form_from_lines

    questions = form_from_lines("开场 | 核实身份 | 0 | 致命\n解答 | 解答准确 | 2\n结束 | 礼貌道别 | 1 | 否")
    assert [q.fatal for q in questions] == [True, False, False]


def test_a_certificate_reminder_reads_in_each_recipients_language(demo, db_session):
    from wfm.careers.reminders import send_reminders
    from wfm.models import Notification, User
    from wfm.models.careers import CertificationRow

    seed_catalogue()
    day = dt.date(2026, 3, 2)
    agent_user = db_session.scalar(select(User).where(User.username == "agent"))
    hr_user = db_session.scalar(select(User).where(User.username == "hr"))
    agent_user.language, hr_user.language = "zh_CN", "en"
    expires = day + dt.timedelta(days=80)
    db_session.add(
        CertificationRow(
            agent_id=agent_user.agent_id,
            certification="AML",
            issued_on=expires - dt.timedelta(days=364),
            expires_on=expires,
        )
    )
    db_session.flush()
    send_reminders(day)  # a command: no request, no reader, each recipient's own language
    told = {
        user: db_session.scalars(select(Notification.message).where(Notification.user_id == user.id)).all()
        for user in (agent_user, hr_user)
    }
    assert any(m.startswith("您的反洗钱资格证书（AML）将于") for m in told[agent_user])
    assert not any("Anti-money-laundering" in m for m in told[agent_user])
    assert any("'s Anti-money-laundering certificate (AML) expires on" in m for m in told[hr_user])
