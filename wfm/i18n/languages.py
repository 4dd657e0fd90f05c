"""The languages a person may read the product in."""

from __future__ import annotations

# The languages a person may choose, in the order the switch shows them, each named in itself.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "中文"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "language"


def language_of(value: str | None) -> str | None:
    """One of LANGUAGES for a tag such as "zh-CN", "zh_Hans_CN", "zh" or "en-GB"; None when unknown."""
    if not value:
        return None
    tag = value.replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    if tag.startswith("en"):
        return "en"
    return None
