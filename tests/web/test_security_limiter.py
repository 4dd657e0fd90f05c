"""Sign-in rate limits: refused attempts per client address are capped, in memory or shared through Redis.

The suite's application runs with the limiter off (`RATELIMIT_ENABLED = False` in TestConfig); each test
here makes its own application, with the limiter on, on the same database (the demo users)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time

import pytest

from wfm import create_app
from wfm.config import TestConfig, security_from_environment
from wfm.extensions import db

LIMIT = 3


def _limited_app(database_url: str, **settings):
    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_ENABLED = True
        LOGIN_RATE_LIMIT = f"{LIMIT} per minute"
        LOGIN_MAX_FAILURES = 100  # the lockout is tested elsewhere; here only the rate limit refuses

    for key, value in settings.items():
        setattr(Limited, key, value)
    return create_app(Limited)


@pytest.fixture
def limited(demo, database_url):
    made = []

    def make(**settings):
        application = _limited_app(database_url, **settings)
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


def _sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    html = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1) if token else ""},
        environ_base={"REMOTE_ADDR": address},
    )


def test_too_many_refused_sign_ins_get_a_clear_429(limited):
    client = limited().test_client()
    for _ in range(LIMIT):
        assert _sign_in(client, "hr", "wrong").status_code == 401
    refused = _sign_in(client, "hr", "demo")  # even the right password waits now
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many attempts" in html
    assert "Wait a minute" in html
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Content-Security-Policy"]  # the error page is a page like any other
    assert (
        client.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
    )  # only POSTs count
    assert _sign_in(client, "hr", "demo", address="10.0.0.2").status_code == 302  # per address


def test_successful_sign_ins_do_not_count(limited):
    """A contact centre signs its agents in from one address at the start of a shift."""
    client = limited().test_client()
    for _ in range(LIMIT + 2):
        assert _sign_in(client, "hr", "demo").status_code == 302
        client.post("/logout")
    assert _sign_in(client, "hr", "wrong").status_code == 401


def test_the_limiter_is_off_in_the_suite(app, demo, browser):
    for _ in range(LIMIT + 3):
        assert browser.login("hr", "wrong").status_code == 401


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_web_processes_share_the_counts_through_redis(limited, redis_url):
    storage = security_from_environment({"REDIS_URL": redis_url})["RATELIMIT_STORAGE_URI"]
    first, second = (limited(RATELIMIT_STORAGE_URI=storage).test_client() for _ in range(2))
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # the server outlives one test
    address = "10.1.0.7"
    for attempt in range(LIMIT):
        client = first if attempt % 2 == 0 else second
        assert _sign_in(client, "hr", "wrong", address).status_code == 401
    assert _sign_in(second, "hr", "demo", address).status_code == 429
    assert _sign_in(first, "hr", "demo", address).status_code == 429


def _refused_from_behind_a_proxy(client, forwarded_for: str) -> int:
    html = client.get("/login", environ_base={"REMOTE_ADDR": "10.9.9.9"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    return client.post(
        "/login",
        data={"username": "agent", "password": "wrong", "csrf_token": token.group(1) if token else ""},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    ).status_code


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_the_limit_is_per_client_only_when_the_proxy_is_trusted(limited, proxies):
    client = limited(PROXY_COUNT=proxies).test_client()
    for _ in range(LIMIT):
        assert _refused_from_behind_a_proxy(client, "192.0.2.1") == 401
    # one more attempt through the same proxy, for another client: its own count only when the proxy is
    # trusted
    assert _refused_from_behind_a_proxy(client, "192.0.2.2") == (401 if proxies else 429)


# Known browsers -------------------------------------------------------------------------------------------

OFFICE = "10.20.0.1"


def test_a_browser_that_signed_in_before_is_not_refused_for_the_addresses_typos(limited):
    """An office behind one address: ten typos by others do not lock out an agent at their own desk."""
    app = limited()
    desk = app.test_client()
    assert _sign_in(desk, "agent", "demo", OFFICE).status_code == 302  # yesterday, at this desk
    desk.post("/logout", environ_base={"REMOTE_ADDR": OFFICE})
    others = app.test_client()
    for _ in range(LIMIT):
        assert _sign_in(others, "scheduler", "wrong", OFFICE).status_code == 401
    assert _sign_in(others, "hr", "demo", OFFICE).status_code == 429  # an unknown browser waits: no spraying
    assert _sign_in(desk, "agent", "demo", OFFICE).status_code == 302  # the agent's own desk signs in


def test_a_known_browser_has_a_limit_of_its_own(limited):
    app = limited()
    desk = app.test_client()
    assert _sign_in(desk, "agent", "demo", OFFICE).status_code == 302
    desk.post("/logout", environ_base={"REMOTE_ADDR": OFFICE})
    for _ in range(LIMIT):
        assert _sign_in(desk, "agent", "wrong", OFFICE).status_code == 401
    assert (
        _sign_in(desk, "agent", "demo", OFFICE).status_code == 429
    )  # guessing with a stolen cookie is bounded
    # and its failures were its own: another browser at the address still has the address's allowance
    assert _sign_in(app.test_client(), "hr", "demo", OFFICE).status_code == 302


def test_a_known_browser_is_known_for_its_own_accounts_only(limited):
    app = limited()
    desk = app.test_client()
    assert _sign_in(desk, "agent", "demo", OFFICE).status_code == 302
    desk.post("/logout", environ_base={"REMOTE_ADDR": OFFICE})
    for _ in range(LIMIT):
        assert _sign_in(desk, "hr", "wrong", OFFICE).status_code == 401  # counted on the address
    assert _sign_in(desk, "scheduler", "demo", OFFICE).status_code == 429
    assert _sign_in(desk, "agent", "demo", OFFICE).status_code == 302


def test_a_forged_known_browser_cookie_counts_for_nothing(limited):
    app = limited()
    client = app.test_client()
    client.set_cookie("wfm_device", "agent")
    for _ in range(LIMIT):
        assert _sign_in(client, "agent", "wrong", OFFICE).status_code == 401
    assert _sign_in(client, "agent", "demo", OFFICE).status_code == 429
