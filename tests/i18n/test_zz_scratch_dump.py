from tests.hand_roster import make_published


def test_dump(demo, browser, db_session):
    make_published(db_session)
    browser.login("admin")
    token = browser.csrf("/")
    browser.post("/language", data={"language": "zh_CN", "csrf_token": token})
    for i, url in enumerate(["/account/api", "/admin/change-log", "/admin/sites/1/edit"]):
        open(f"/tmp/zh_self/scratch/{i}.html", "w").write(browser.get(url).get_data(as_text=True))
