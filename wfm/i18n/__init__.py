"""Two languages, English and Simplified Chinese: how every string a person reads is translated.

How to write a string a person reads
- Templates: `{{ _('Save the roster') }}`, with values by name: `{{ _('%(n)s agents short', n=short) }}`;
  counts: `{{ ngettext('%(num)s agent', '%(num)s agents', count) }}` (`num` is filled in). In templates
  every message is a format string, so a literal percent sign is written `%%`.
- Python (views, operations, forms): `from flask_babel import gettext as _` at request time, and
  `lazy_gettext as _l` for strings defined at import time (form labels, menus, module constants).
  Values by name: `_("Roster %(name)s published", name=roster.name)`; never build a sentence from pieces.
- The engine (`scheduling/`, `training/`) may not import flask: its messages that reach a page are
  `scheduling.text.Sentence("... %(line)s ...", line=3)`, an English `str` that keeps its template and values;
  the web layer shows `wfm.i18n.translate(message)`.
- Dates: the filters `|day` (Mon 07 Dec · 12月7日周一), `|day_year`, `|long_date`, `|month_day`,
  `|weekday`, `|day_time`, `|month_year` (wfm/i18n/dates.py), never `strftime` with month or day names.
  Numeric forms (2026-12-07, 14:30) read the same in both languages and may stay.
- Data is not translated (names of people, teams, queues); the career catalogue has both languages in the
  database (`localized(english, chinese)` picks the reader's).

Where the Chinese lives
- The catalogue is split into parts, `wfm/i18n/zh_CN/<part>.po` (ordinary gettext files, one per area, so
  engineers working on different areas never edit the same file); they are merged and compiled into
  `wfm/i18n/compiled/` when the application starts (and by `python -m wfm.i18n compile`); the compiled
  files are not committed.
- `python -m wfm.i18n extract PART PATH...` adds every message found in PATH (files or folders) that no part
  translates yet to PART with an empty translation, to be filled in; `python -m wfm.i18n missing` lists what
  is untranslated anywhere (tests/test_translations.py fails on the same list).
- The reader's language: the signed-in person's stored choice, else the one chosen on the sign-in page
  (kept in the session), else the browser's Accept-Language, else English. The switch is on every page.
"""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user

from wfm.i18n.catalogue import COMPILED, ensure_compiled
from wfm.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, SESSION_KEY, language_of
from wfm.i18n.text import translate

babel = Babel()


def select_language() -> str:
    """The reader's language: their stored choice, the session's, the browser's, else English."""
    try:
        if current_user.is_authenticated and language_of(current_user.language):
            return language_of(current_user.language) or DEFAULT_LANGUAGE
    except Exception:  # outside a request, or the user row is unreadable: fall through
        pass
    # The JSON API never reads the session cookie: a token owner without a stored choice gets Accept-Language.
    api = bool(request) and request.path.startswith("/api/")
    chosen = language_of(session.get(SESSION_KEY)) if request and not api else None
    if chosen:
        return chosen
    if request:
        best = request.accept_languages.best_match(["en", "en-GB", "en-US", "zh-CN", "zh", "zh-Hans"])
        return language_of(best) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """ "en" or "zh_CN" for the current request (English outside one)."""
    locale = get_locale()
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"


def is_chinese() -> bool:
    return current_language() == "zh_CN"


def localized(english: str | None, chinese: str | None) -> str:
    """The Chinese text when the reader reads Chinese and there is one, else the English."""
    if chinese and is_chinese():
        return chinese
    return english or chinese or ""


def install(app: Flask) -> None:
    ensure_compiled()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(COMPILED)
    babel.init_app(app, locale_selector=select_language)
    # Flask-Babel keeps the language on the application context; a request inside a longer-lived one (a
    # test, a worker) must choose again.
    app.before_request(refresh)
    from wfm.i18n import dates

    dates.install(app)
    from wfm.i18n.views import blueprint

    app.register_blueprint(blueprint)
    # A global too, so macros imported without context (`{% from "_sources.html" import ... %}`) have it.
    app.jinja_env.globals["translate"] = translate

    @app.context_processor
    def inject_language():
        return {
            "current_language": current_language(),
            "html_lang": "zh-Hans" if is_chinese() else "en",
            "languages": LANGUAGES,
            "localized": localized,
            "translate": translate,
        }
