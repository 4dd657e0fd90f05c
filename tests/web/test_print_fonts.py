"""Chinese names on paper: the roster, an agent's schedule and a certificate, read back with pypdf.

Each PDF must give the Chinese text back (so it was drawn with real glyphs, not boxes), and every Chinese
character must be drawn in an embedded Simplified Chinese face (Noto Sans SC, which the set-up installs):
not in a Japanese or Korean face, nor in a fallback the host happens to have.
"""

from __future__ import annotations

import io
import re
import shutil

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.hand_roster import START, make_published
from wfm.careers.store import seed_catalogue
from wfm.models import Agent, Site, Team, User
from wfm.models.careers import CourseCompletionRow
from wfm.printing import fonts
from wfm.printing.pdf import write_pdf

NAMES = {"A001": "王小明", "A002": "李娜"}
TEAM = "零售银行"
SITE = "北京呼叫中心"
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def chinese(demo, db_session):
    """The hand-made published week, with its agents, their team and the site named in Chinese."""
    published = make_published(db_session)
    team = Team(name=TEAM, site_id=published["site"].id)
    db_session.add(team)
    for number, name in NAMES.items():
        agent = db_session.scalar(select(Agent).where(Agent.employee_number == number))
        agent.name, agent.team = name, team
    db_session.scalar(select(Site)).name = SITE
    db_session.commit()
    return published


def _read(pdf: bytes) -> tuple[str, dict[str, set[str]]]:
    """The PDF's text, and for each character drawn, the fonts it was drawn in (marked when not embedded)."""
    reader = PdfReader(io.BytesIO(pdf))
    drawn_in: dict[str, set[str]] = {}

    def visit(text, _cm, _tm, font, _size):
        if font is None or not text.strip():
            return
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor", {})
        embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        name = str(font["/BaseFont"]).split("+")[-1].replace("-", "")
        for character in set(text) - set(" \n"):
            drawn_in.setdefault(character, set()).add(name if embedded else f"{name} (not embedded)")

    text = "\n".join(page.extract_text(visitor_text=visit) for page in reader.pages)
    return text, drawn_in


def _assert_chinese_in_sc(pdf: bytes, *words: str) -> None:
    """`words` are in the text; their Chinese characters are drawn in the SC face, and nothing is drawn in
    a font the print style does not name (a host's fallback)."""
    assert pdf.startswith(b"%PDF")
    text, drawn_in = _read(pdf)
    flat = re.sub(r"\s+", "", text)
    for word in words:
        assert word in flat, f"{word} is not in the PDF's text"
    han = set(HAN.findall("".join(words)))
    assert han <= set(drawn_in), f"drawn in no font: {han - set(drawn_in)}"
    faces = {name for character in han for name in drawn_in[character]}
    assert all(re.fullmatch(r"NotoSansSC(Bold)?(Oblique)?", name) for name in faces), faces
    everywhere = set().union(*drawn_in.values())
    assert all(re.fullmatch(r"(DejaVuSans|NotoSansSC)(Bold)?(Oblique)?", name) for name in everywhere), (
        everywhere
    )


def _reads_in(db_session, username: str, language: str) -> None:
    db_session.scalar(select(User).where(User.username == username)).language = language
    db_session.commit()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_roster_prints_chinese_names_in_the_simplified_chinese_face(
    chinese, browser, db_session, language
):
    _reads_in(db_session, "scheduler", language)
    browser.login("scheduler")
    response = browser.get(f"/rosters/{chinese['roster_id']}.pdf")
    assert response.status_code == 200
    _assert_chinese_in_sc(response.data, *NAMES.values(), TEAM, SITE)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_my_schedule_prints_my_chinese_name_in_the_simplified_chinese_face(
    chinese, browser, db_session, language
):
    _reads_in(db_session, "agent", language)
    browser.login("agent")
    response = browser.get(f"/my/schedule.pdf?date={START}")
    assert response.status_code == 200
    _assert_chinese_in_sc(response.data, NAMES["A001"], SITE)


def test_a_certificate_prints_a_chinese_name_in_bold_in_the_simplified_chinese_face(
    chinese, browser, db_session
):
    seed_catalogue()
    agent = db_session.scalar(select(Agent).where(Agent.employee_number == "A001"))
    completion = CourseCompletionRow(agent_id=agent.id, course="INDUCT", completed_on=START, score=91)
    db_session.add(completion)
    _reads_in(db_session, "agent", "zh_CN")
    browser.login("agent")
    response = browser.get(f"/careers/me/certificates/{completion.id}.pdf")
    assert response.status_code == 200
    _assert_chinese_in_sc(response.data, NAMES["A001"])
    _, drawn_in = _read(response.data)
    assert drawn_in["王"] == {"NotoSansSCBold"}  # the name line is bold: the bold face, not a smeared regular


def test_a_page_footer_prints_chinese_in_the_simplified_chinese_face(app_context):
    """A margin box (the roster's "page 1 of 4") takes its font from the page, not from the body."""
    from flask import current_app, render_template_string

    with current_app.test_request_context():
        html = render_template_string(
            '{% extends "pdf_base.html" %}{% block page_footer %} @bottom-right { content: "第 "'
            ' counter(page) " 页"; }{% endblock %}{% block body %}<p>Roster</p>{% endblock %}'
        )
    _assert_chinese_in_sc(write_pdf(html), "第1页")


def test_without_the_font_installed_a_pdf_is_refused_with_what_to_run(app_context, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "FOLDER", tmp_path)
    with pytest.raises(fonts.MissingFont, match=r"make install"):
        write_pdf("<p>王小明</p>")


def test_installed_fonts_are_not_fetched_again(tmp_path, monkeypatch):
    for file in (*fonts.FACES, fonts.LICENCE):
        (tmp_path / file.name).symlink_to(fonts.FOLDER / file.name)
    monkeypatch.setattr(shutil, "which", lambda name: pytest.fail(f"looked for {name}"))
    assert fonts.fetch(tmp_path) == []


@pytest.mark.slow
def test_a_damaged_face_is_fetched_again_and_checked(tmp_path):
    """Through npm (its cache, after `make install`): the damaged file is replaced by the checked one."""
    for file in (*fonts.FACES, fonts.LICENCE):
        shutil.copyfile(fonts.FOLDER / file.name, tmp_path / file.name)
    damaged = tmp_path / fonts.FACES[1].name
    damaged.write_bytes(b"not a font")
    assert fonts.fetch(tmp_path) == [fonts.FACES[1].name]
    assert damaged.read_bytes() == (fonts.FOLDER / fonts.FACES[1].name).read_bytes()
