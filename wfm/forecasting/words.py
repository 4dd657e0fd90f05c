"""The words of the planning pages' codes: forecast methods and staffing models as a person reads them.

English keeps the codes the pages always showed (`holt_winters`); Chinese names the method."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
