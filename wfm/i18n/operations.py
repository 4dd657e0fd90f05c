"""Storing a person's reading language."""

from __future__ import annotations

from wfm.unit_of_work import commit


def store_language(user, language: str) -> None:
    user.language = language
    commit()
