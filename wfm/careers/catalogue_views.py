"""HR names the catalogue's tracks, competencies, courses and certifications in English and Chinese.

Codes and requirements stay as they are (the ladders are edited on their own pages); only the texts people
read change. Before any catalogue is stored the page shows the seeded one and writes nothing; saving stores
it first.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from wfm.access import PEOPLE, roles
from wfm.careers import forms
from wfm.careers.blueprint import blueprint, saved, shown
from wfm.careers.store import catalogue_for_change, chinese_names, load_catalogue, track_names
from wfm.extensions import db
from wfm.models.careers import CareerCertification, CareerCompetency, CareerCourse, CareerTrack

MODELS = {
    "track": CareerTrack,
    "competency": CareerCompetency,
    "course": CareerCourse,
    "certification": CareerCertification,
}


def _entries() -> dict[str, list[dict]]:
    """Per kind, each entry's code and texts in both languages (the seeded ones before any is stored)."""
    cat = load_catalogue(english=True)
    zh = chinese_names()
    return {
        "track": [
            {"code": code, "name": name, "name_zh": zh.tracks.get(code, "")}
            for code, name in track_names(english=True).items()
        ],
        "competency": [
            {
                "code": c.code,
                "name": c.name,
                "name_zh": zh.competencies.get(c.code, ("", ""))[0],
                "description": c.description,
                "description_zh": zh.competencies.get(c.code, ("", ""))[1],
            }
            for c in cat.competencies.values()
        ],
        "course": [
            {"code": c.code, "name": c.name, "name_zh": zh.courses.get(c.code, "")}
            for c in cat.courses.values()
        ],
        "certification": [
            {"code": c.code, "name": c.name, "name_zh": zh.certifications.get(c.code, "")}
            for c in cat.certifications.values()
        ],
    }


def _codes(entries: dict[str, list[dict]]) -> dict[str, list[str]]:
    return {kind: [e["code"] for e in rows] for kind, rows in entries.items()}


def _page(errors: dict | None = None, status: int = 200):
    entries = _entries()
    stored = {
        forms.catalogue_field(kind, e["code"], attribute): e[attribute]
        for kind, rows in entries.items()
        for e in rows
        for attribute, _required, _limit in forms.CATALOGUE_TEXTS[kind]
    }
    blank = forms.catalogue_form(_codes(entries), formdata=None, data=stored)
    drawn = shown(errors, catalogue=blank)["catalogue"]
    return render_template(
        "careers/catalogue.html",
        entries=entries,
        form=drawn,
        field=forms.catalogue_field,
        errors=errors,
    ), status


@blueprint.route("/catalogue", methods=["GET", "POST"])
@roles(*PEOPLE)
def catalogue():
    if request.method == "GET":
        return _page()[0]
    catalogue_for_change()  # the names edited are stored ones
    form = forms.catalogue_form(_codes(_entries()))
    refused = saved(form, _store_names, "catalogue")
    if refused:
        return _page(*refused)
    flash(_("Catalogue names saved."), "success")
    return redirect(url_for(".catalogue"))


def _store_names(form) -> None:
    for kind, model in MODELS.items():
        for row in db.session.scalars(select(model)):
            for attribute, _required, _limit in forms.CATALOGUE_TEXTS[kind]:
                setattr(row, attribute, form[forms.catalogue_field(kind, row.code, attribute)].value)
