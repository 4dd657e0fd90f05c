"""The words of the planning pages' codes: forecast methods and staffing models as a person reads them.

English keeps the codes the pages always showed (`holt_winters`); Chinese names the method."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

METHOD_LABELS = {
    "auto": _l("auto"),
    "typed": _l("typed"),
    "seasonal_naive": _l("seasonal_naive"),
    "slot_average": _l("slot_average"),
    "weighted_average": _l("weighted_average"),
    "top_down": _l("top_down"),
    "holt_winters": _l("holt_winters"),
    "combined": _l("combined"),
}
MODEL_LABELS = {
    "erlang-c": _l("erlang-c"),
    "erlang-a": _l("erlang-a"),
    "erlang-b": _l("erlang-b"),
    "back-office": _l("back-office"),
}


def method_label(method: str | None) -> str:
    return str(METHOD_LABELS.get(method, method or ""))


def model_label(model: str | None) -> str:
    return str(MODEL_LABELS.get(model, model or ""))


IMPORT_KINDS = {"intervals": _l("intervals"), "calls": _l("calls")}


def import_kind_label(kind: str | None) -> str:
    return str(IMPORT_KINDS.get(kind, kind or ""))


def template_words() -> dict:
    """The planning templates' label functions (the blueprint's context processor)."""
    return {"method_label": method_label, "model_label": model_label, "import_kind_label": import_kind_label}


def import_kind_choices() -> list[tuple[str, Markup]]:
    """The history form's kinds of file, worded at request time: the file's own column names and the
    layout's name are written as they are in any language (marked not to be translated)."""
    columns = Markup(
        '<code translate="no">interval_start,queue,offered[,handled,abandoned,aht_seconds]</code>'
    )
    layout = Markup('<span translate="no">Anonymous Bank</span>')
    return [
        ("intervals", Markup(_("Interval history CSV: %(columns)s", columns=columns))),
        ("calls", Markup(_("Per-call records (tab-separated, %(layout)s layout)", layout=layout))),
    ]
