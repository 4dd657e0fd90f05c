"""Words for the codes self-service stores (a request's status, a swap's kind, what the audit is about), in
the reader's language: pages never show the raw code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wfm.i18n.text import label

STATUSES = {
    "requested": _l("requested"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "cancelled": _l("cancelled"),
    "open": _l("open"),
    "proposed": _l("proposed"),
    "pending": _l("pending"),
    "declined": _l("declined"),
}
SWAP_KINDS = {"offer": _l("offer"), "swap": _l("swap")}
AUDIT_SUBJECTS = {
    "time_off": _l("time off"),
    "swap": _l("swap"),
    "policy": _l("policy"),
    "allowance": _l("allowance"),
    "feed": _l("feed"),
}


def status_label(code: str) -> str:
    return label(STATUSES, code)


def swap_kind_label(code: str) -> str:
    return label(SWAP_KINDS, code)


def audit_subject_label(code: str) -> str:
    return label(AUDIT_SUBJECTS, code)


def template_globals() -> dict:
    return {
        "status_label": status_label,
        "swap_kind_label": swap_kind_label,
        "audit_subject_label": audit_subject_label,
    }
