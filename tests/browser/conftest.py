"""End-to-end browser tests: headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against
the application served by a real server (`wfm run` in a subprocess on a free port), on a temporary SQLite
database holding the demo (`wfm demo --solve-seconds 5`).

Loading the demo solves a plan and a roster (about half a minute), so the loaded database is kept in
pytest's cache, keyed by today's date (the demo roster starts tomorrow) and a hash of the code that makes
it; each run copies it, so tests never share state across runs. A failing test saves a screenshot under
tests/screenshots/. Without /usr/bin/chromium the tests are skipped, loudly."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
WFM = Path(sys.executable).with_name("wfm")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SOLVE_SECONDS = "5"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser" in str(item.fspath)]
    for item in browser_items:  # a real server and browser on a solved demo: `make test-slow` runs them
        item.add_marker(pytest.mark.slow)
    if CHROMIUM.exists() or not browser_items:
        return
    message = f"!!! {CHROMIUM} not found: the browser tests are SKIPPED (apt-get install chromium) !!!"
    warnings.warn(message, stacklevel=1)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


def pytest_report_header(config):
    return [] if CHROMIUM.exists() else [f"!!! {CHROMIUM} not found: browser tests SKIPPED !!!"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _code_hash() -> str:
    """What the cached demo database's shape depends on: the schema, the demo, and how rosters are stored.
    (Solver changes alter which shifts the demo gets, not whether the database fits the code.)"""
    digest = hashlib.sha256(dt.date.today().isoformat().encode())
    for folder in ("migrations/versions", "wfm/models", "wfm/demo", "wfm/rosters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _run(args: list[str], database: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([str(WFM), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        raise RuntimeError(f"wfm {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def demo_database(request, tmp_path_factory) -> Path:
    cache = Path(request.config.cache.mkdir("browser-demo"))
    cached = cache / f"demo-{_code_hash()}.sqlite"
    if not cached.exists():
        for old in cache.glob("demo-*.sqlite*"):
            old.unlink()
        building = cache / "building.sqlite"
        for leftover in cache.glob("building.sqlite*"):
            leftover.unlink()
        _run(["db", "upgrade"], building)
        _run(["demo", "--centre", "tel-aviv", "--solve-seconds", SOLVE_SECONDS], building)
        import sqlite3

        connection = sqlite3.connect(building)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        building.rename(cached)
    copy = tmp_path_factory.mktemp("browser") / "wfm.sqlite"
    shutil.copy(cached, copy)
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(demo_database, tmp_path_factory) -> str:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{demo_database}",
        "SECRET_KEY": "browser-tests",
        "FLASK_DEBUG": "0",
    }
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    process = subprocess.Popen(
        [str(WFM), "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the server did not start; see {log.name}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, server, request):
    """A fresh browser context (no cookies) per test; a screenshot when the test fails."""
    context = chromium.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}.png"
        tab.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()


@pytest.fixture(scope="session")
def demo_app(demo_database):
    """The application on the same database, for finding test data (never for driving the flows)."""
    from wfm import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{demo_database}", "SECRET_KEY": "browser-tests"}
    )
