"""Walk every page a signed-in person can reach by following links, and find English left on them.

A page's visible text is what a person reads: the text of the body without scripts and styles, plus the
titles and labels of controls. Data is not translated: a word is allowed when it appears in the data people
typed or imported (names of people, teams, queues, shift templates; codes), except in the tables whose text
the product writes itself (the career catalogue has its Chinese beside the English; notices and logs are
sentences the product composed). Numbers, dates in digits and a short list of codes and units read the same
in both languages.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from sqlalchemy import JSON, String, select

from wfm.extensions import db

# Codes, units and proper names a Chinese page writes in Latin letters too.
CODES = {
    "WFM",
    "FTE",
    "CSV",
    "PDF",
    "API",
    "AHT",
    "SLA",
    "KPI",
    "KPIs",
    "ID",
    "iCal",
    "ICS",
    "URL",
    "JSON",
    "HTTP",
    "HTTPS",
    "Erlang",
    "HiGHS",
    "CBC",
    "PuLP",
    "QA",
    "AUC",
    "ASA",
    "SVG",
    "UTF",
    "GBK",
    "GB",
    "Excel",
    "Poisson",
    "Gamma",
    "Bearer",
    "RQ",
    "Redis",
    "SQLite",
    "PostgreSQL",
    "CSAT",
    "FCR",
    "AM",
    "PM",
    "IVR",
    "NPS",
    "TSV",
    "Brier",
    "Weinberg",
    "Koole",
    "Curtois",
    "Asia",
    "Shanghai",
    "Jerusalem",
    "Tel",
    "Aviv",
    "WAPE",
    "wMAPE",
    "MAPE",
    "Holt",
    "Winters",
    "ETS",
    "SARIMA",
    "ARIMA",
    "CN",
    "IL",
    "UTC",
    "Mon",
    "RFC",
    "OK",
    "AI",
    "BI",
    "SQL",
    "Python",
}
# Tables whose text the product writes itself: their words must not excuse English on a page.
PRODUCT_TEXT_TABLES = {
    "career_track",
    "career_field",
    "career_level",
    "career_competency",
    "career_course",
    "career_certification",
    "notification",
    "audit_event",
    "change_log",
    "job",
}
WORD = re.compile(r"[A-Za-z]{2,}")
SKIPPED_LINKS = ("/logout", "/static/", "/api/", "/language")
DOWNLOADS = re.compile(r"\.(pdf|csv|ics|json|svg|png|txt)$|/export|/download|format=(csv|pdf|ics|json)")
PER_PATTERN = 2


class VisibleText(HTMLParser):
    """The text a person reads; elements marked lang="en" (the language switch's "English") are skipped."""

    HIDDEN: ClassVar[set[str]] = {"script", "style", "template", "noscript"}
    VOID: ClassVar[set[str]] = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = (
            tag in self.HIDDEN
            or attributes.get("lang", "").startswith("en")
            or attributes.get("translate") == "no"
        )
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not skip and not self._skipping():
            for name in ("title", "placeholder", "aria-label", "alt"):
                if attributes.get(name):
                    self.parts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in self.VOID:
            self._stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.parts.append(data)


def data_words() -> set[str]:
    """Every word in the text people typed or imported (not in the tables the product writes itself),
    strings inside JSON columns included (an evaluation form's questions)."""
    words: set[str] = set()
    for table in db.metadata.sorted_tables:
        if table.name in PRODUCT_TEXT_TABLES:
            continue
        columns = [column for column in table.columns if isinstance(column.type, String | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)).all():
            for value in row:
                words.update(WORD.findall(" ".join(_strings(value))))
    return words


def _strings(value) -> list[str]:
    """The strings in a column's value, JSON included (break names of a shift template, say)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def catalogue_codes() -> set[str]:
    """The words of the career catalogue's course and certification codes (AML-101, INV-ADV): codes, read
    the same in both languages, whether or not the catalogue is stored yet."""
    from wfm.careers.store import load_catalogue

    cat = load_catalogue(english=True)
    return {word for code in [*cat.courses, *cat.certifications] for word in WORD.findall(code)}


def english_words(text: str, allowed: set[str]) -> list[str]:
    return [word for word in WORD.findall(text) if word not in allowed and word not in CODES]


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(key.split("=")[0] for key in parts.query.split("&") if key)
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def walk(client, start: str = "/", limit: int = 300, only: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """{url: English words left} for every page reached from `start` (at most PER_PATTERN per URL shape).

    `only`: path prefixes to check (the walk still follows every link to find them)."""
    allowed = data_words() | catalogue_codes()
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = [start]
    found: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(url, response.headers["Location"]))
            if not target.netloc or target.netloc == "localhost":
                queue.insert(0, target.path + (f"?{target.query}" if target.query else ""))
            continue
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        parser = VisibleText()
        parser.feed(response.get_data(as_text=True))
        if not only or urlsplit(url).path.startswith(only):
            left = english_words(" ".join(parser.parts), allowed)
            if left:
                found[url] = sorted(set(left))
        for link in parser.links:
            target = urljoin(url, link.split("#")[0])
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIPPED_LINKS):
                continue
            if DOWNLOADS.search(target):
                continue
            relative = parts.path + (f"?{parts.query}" if parts.query else "")
            if relative in seen or shapes[_pattern(relative)] >= PER_PATTERN:
                continue
            shapes[_pattern(relative)] += 1
            queue.append(relative)
    return found
