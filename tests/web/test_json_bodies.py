"""Every endpoint reading a JSON body answers 400 with a message for a body it cannot read, never 500."""

from __future__ import annotations

import pytest

from tests.web import api_support

api, tokens = api_support.api, api_support.tokens  # the fixtures these tests use

DEEP = "[" * 100_000 + "]" * 100_000
BODIES = {
    "deeply nested": DEEP,
    "nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "5000-digit integer": '{"name": "x", "time_zone": "Europe/London", "opening": ' + "9" * 5000 + "}",
    "integer too large for any field": '{"name": "x", "country": ' + "9" * 400 + "}",
    "NaN": '{"name": NaN}',
    "Infinity": '{"name": "x", "value": -Infinity}',
    "not UTF-8": b'{"name": "\xff\xfe"}',
    "broken": '{"name": ',
}
ENDPOINTS = [
    "/api/v1/sites",
    "/api/v1/skills",
    "/api/v1/queues",
    "/api/v1/agents",
    "/api/v1/forecasts",
    "/api/v1/requirements",
    "/api/v1/plans",
    "/api/v1/rosters",
    "/api/v1/history",
]


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_an_unreadable_body_is_a_400_with_a_message(api, kind):
    client = api("admin")
    response = client.open("/api/v1/sites", "POST", data=BODIES[kind], content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["code"] == 400
    assert body["message"]
    assert "Traceback" not in body["message"]
    assert "set_int_max_str_digits" not in body["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_json_endpoint_refuses_deep_nesting_and_huge_numbers(api, path):
    client = api("admin")
    for body in (DEEP, '{"x": ' + "1" * 5000 + "}"):
        response = client.open(path, "POST", data=body, content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["message"]


def test_moderate_nesting_and_ordinary_numbers_still_reach_validation(api):
    client = api("admin")
    response = client.post("/api/v1/sites", json={"name": [[[["x"]]]], "opening": 12345})
    assert response.status_code == 422


def test_a_page_form_sent_as_json_is_a_400_too(app, demo):
    client = app.test_client()
    response = client.post("/login", data=DEEP, content_type="application/json")
    assert response.status_code == 400
