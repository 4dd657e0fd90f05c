"""The reader's language: chosen on any page (stored for a signed-in person), else the browser's; pages,
dates and the html element follow it."""

import datetime as dt

from sqlalchemy import select

from wfm.models import User


def _switch(browser, language: str, next_path: str = "/"):
    token = browser.csrf("/login")
    return browser.post("/language", data={"language": language, "csrf_token": token, "next": next_path})


def test_the_browser_language_chooses_until_the_person_does(client, demo):
    english = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in english
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="zh-Hans">' in chinese
    assert "退出登录" not in chinese  # not signed in: no sign-out button in either language


def test_a_signed_in_choice_is_stored_and_follows_the_person(browser, demo, db_session):
    browser.login("scheduler")
    answer = _switch(browser, "zh_CN", "/rosters/")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/rosters/")
    user = db_session.scalar(select(User).where(User.username == "scheduler"))
    db_session.refresh(user)
    assert user.language == "zh_CN"
    page = browser.get("/rosters/").get_data(as_text=True)
    assert "退出登录" in page
    assert "排班表" in page
    # another browser, English by its header, still gets the person's stored choice once signed in
    browser.post("/logout", data={"csrf_token": browser.csrf("/rosters/")})
    browser.login("scheduler")
    assert "退出登录" in browser.get("/rosters/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    _switch(browser, "en", "/rosters/")
    assert "Sign out" in browser.get("/rosters/").get_data(as_text=True)


def test_the_switch_refuses_unknown_languages_and_other_sites(browser, demo):
    token = browser.csrf("/login")
    assert browser.post("/language", data={"language": "xx", "csrf_token": token}).status_code == 400
    answer = browser.post(
        "/language", data={"language": "zh_CN", "csrf_token": token, "next": "https://evil.example/x"}
    )
    assert answer.headers["Location"] in ("/x", "http://localhost/x")


def test_dates_are_written_for_the_reader(app):
    from wfm.i18n.dates import day_time, written

    day = dt.date(2026, 12, 8)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert written(day, "day") == "Tue 08 Dec"
        assert written(day, "long_date") == "Tuesday 08 December 2026"
        assert day_time(dt.datetime(2026, 12, 8, 14, 30)) == "Tue 08 Dec 14:30"
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert written(day, "day") == "12月8日周二"
        assert written(day, "long_date") == "2026年12月8日星期二"
        assert written(day, "month_year") == "2026年12月"


def test_engine_messages_keep_their_template_for_translation(app):
    import pickle

    from scheduling.text import Sentence
    from wfm.i18n import translate

    message = Sentence("Please correct the fields marked below.")
    assert message == "Please correct the fields marked below."
    assert pickle.loads(pickle.dumps(message)).template == message.template
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert translate(message) == "请更正下面标出的字段。"
        assert translate(
            Sentence(
                "Too many sign-in attempts from your address (%(limit)s). Wait a minute, then try again.",
                limit="5 per minute",
            )
        ).startswith("您的地址登录尝试次数过多（5 per minute）")


def test_figures_take_the_locales_separators_from_babel(app):
    from wfm.formatting import _symbols, num, pct

    assert _symbols("zh_Hans_CN") is None  # Chinese writes 1,234.5 and 25% as English does
    assert _symbols("de") == {ord(","): ".", ord("."): ","}  # a locale that differs is converted
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert num(1234.5, 1) == "1,234.5"
        assert pct(0.256, 1) == "25.6%"


def test_a_language_chosen_before_signing_in_stays_after(browser, demo):
    _switch(browser, "zh_CN", "/login")
    browser.login("agent2")
    assert "退出登录" in browser.get("/", follow_redirects=True).get_data(as_text=True)
    browser.post("/logout")
    assert '<html lang="zh-Hans">' in browser.get("/login").get_data(as_text=True)
