"""Usernames are clean: letters (any language), digits, dot, dash and underscore, no spaces, normalised
(NFKC, trimmed) wherever a username is set: the admin pages and the operation the API, the demo loader
and the bench share (there is no API or command-line route that sets a username; both go through
`save_user`)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from wfm.admin import operations as ops
from wfm.admin.operations import FieldError
from wfm.auth.usernames import problem
from wfm.models import User

STRONG = "otter quarry velvet 51"


@pytest.mark.parametrize(
    "bad",
    [
        "jo smith",
        "jo\tsmith",
        "jo\u00a0smith",
        "jo@bank",
        "jo/smith",
        "jo;drop",
        "<b>jo</b>",
        "j",
        ".jo",
        "jo-",
        "x" * 65,
        "jo\u200bsmith",
        "😀jo",
    ],
)
def test_a_username_with_spaces_or_symbols_is_refused_in_words(bad):
    message = problem(bad)
    # a sentence, in words
    assert message is not None
    assert message[0].isupper()
    assert message.endswith(".")


@pytest.mark.parametrize("good", ["jo.smith", "jo_smith", "jo-smith", "Émile", "李雷", "agent7", "a1"])
def test_clean_usernames_pass(good):
    assert problem(good) is None


def test_the_admin_page_refuses_a_username_with_a_space_and_keeps_the_form(demo, browser, db_session):
    browser.login("admin")
    response = browser.post(
        "/admin/users/new",
        {"username": "jo smith", "display_name": "Jo Smith", "password": STRONG, "roles": ["hr"]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "space" in html
    assert 'value="jo smith"' in html
    assert db_session.scalar(select(func.count(User.id)).where(User.display_name == "Jo Smith")) == 0


def test_the_operation_normalises_and_refuses(demo, db_session):
    user = ops.save_user(
        None,
        username="  \uff4a\uff4f.smith ",  # full-width j and o
        display_name="Jo",
        email=None,
        password=STRONG,
        roles=["hr"],
        agent_id=None,
    )
    assert user.username == "jo.smith"  # full-width letters folded (NFKC), spaces around trimmed
    with pytest.raises(FieldError) as caught:
        ops.save_user(
            None,
            username="ann lee",
            display_name="Ann",
            email=None,
            password=STRONG,
            roles=["hr"],
            agent_id=None,
        )
    assert caught.value.field == "username"
    with pytest.raises(FieldError):
        ops.save_user(
            user,
            username="jo smith",
            display_name="Jo",
            email=None,
            password=None,
            roles=["hr"],
            agent_id=None,
        )


def test_the_demo_loader_only_sets_clean_usernames(demo, db_session):
    assert all(problem(name) is None for name in db_session.scalars(select(User.username)))
