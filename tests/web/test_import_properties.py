"""Property tests of the web imports, on SQLite and PostgreSQL: an upload made from a model is stored as
exactly that model; a spoiled upload is either imported correctly or refused with a 400 page naming the
line and field — and after a refusal the database holds exactly what it held before (no partial rows).

Covered: the history page (interval CSV and per-call records), the shift-template editor and the ladder
editor of the careers pages.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.import_inputs import JUNK_CELLS, damaged, examples
from tests.scheduling.test_import_properties import _calls_tsv, _history_csv, call_records
from wfm.extensions import db
from wfm.forecasting.history import queue_lookup
from wfm.models import CareerField, HistoryImport, HistoryInterval, Queue, ShiftTemplate, Site

pytestmark = pytest.mark.postgres  # the dialect matters here: run on PostgreSQL as well

EPOCH = dt.datetime(2026, 1, 4)


def _snapshot() -> tuple:
    """Everything an import may touch, read fresh from the database."""
    db.session.expire_all()
    rows = db.session.execute(
        select(
            HistoryInterval.queue_id,
            HistoryInterval.interval_start,
            HistoryInterval.interval_minutes,
            HistoryInterval.offered,
            HistoryInterval.handled,
            HistoryInterval.abandoned,
            HistoryInterval.aht_seconds,
            HistoryInterval.import_id,
        )
    ).all()
    queues = db.session.execute(select(Queue.id, Queue.aht_seconds, Queue.patience_seconds)).all()
    imports = db.session.scalar(select(func.count()).select_from(HistoryImport))
    return sorted(map(tuple, rows), key=repr), sorted(map(tuple, queues)), imports


def _upload(browser, site: Site, data: bytes, kind: str, name: str, minutes: str = ""):
    return browser.post(
        "/planning/history",
        {"site_id": site.id, "kind": kind, "interval_minutes": minutes, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _codes(site: Site) -> list[str]:
    return sorted(queue_lookup(site))


@st.composite
def site_histories(draw, codes: list[str]):
    """Rows for the site's queues (named by any of their codes, in any case), 15-minute grid."""
    rows, seen = [], set()
    for _ in range(draw(st.integers(1, 20))):
        code = draw(st.sampled_from(codes))
        slot = draw(st.integers(0, 2 * 96 - 1))
        if (code.lower(), slot) in seen:
            continue
        seen.add((code.lower(), slot))
        rows.append(
            {
                "interval_start": EPOCH + dt.timedelta(minutes=15 * slot),
                "queue": code,
                "offered": float(draw(st.integers(0, 500))),
                "handled": None,
                "abandoned": None,
                "aht_seconds": draw(st.none() | st.integers(1, 900).map(float)),
            }
        )
    return rows


def test_history_upload_from_a_model_is_stored_exactly(demo, browser, db_session):
    browser.login("scheduler")
    site = db_session.scalar(select(Site))
    lookup = queue_lookup(site)

    @given(rows=site_histories(_codes(site)))
    @examples(0.5)
    def check(rows):
        # several codes may name one queue: keep the first row of each (queue, interval), as a file must
        unique, keys = [], set()
        for row in rows:
            key = (lookup[row["queue"].lower()].id, row["interval_start"])
            if key not in keys:
                keys.add(key)
                unique.append(row)
        response = _upload(browser, site, _history_csv(unique).encode(), "intervals", "model.csv", "15")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        stored = {
            (r.queue_id, r.interval_start): (r.offered, r.aht_seconds)
            for r in db_session.scalars(
                select(HistoryInterval).where(
                    HistoryInterval.import_id == db_session.scalar(select(func.max(HistoryImport.id)))
                )
            )
        }
        assert stored == {
            (lookup[r["queue"].lower()].id, r["interval_start"]): (r["offered"], r["aht_seconds"])
            for r in unique
        }

    check()


def _refused_leaves_nothing(browser, site, raw: bytes, kind: str, minutes: str) -> None:
    before = _snapshot()
    response = _upload(browser, site, raw, kind, "spoiled.csv", minutes)
    assert response.status_code in (302, 400), response.status_code
    after = _snapshot()
    if response.status_code == 400:
        html = response.get_data(as_text=True)
        assert "Nothing was imported" in html or "error" in html.lower()
        assert after == before, "a refused import changed the database"
    else:
        assert after[2] == before[2] + 1  # one import record, and its rows
        newest = db.session.scalar(select(func.max(HistoryImport.id)))
        assert any(row[-1] == newest for row in after[0]) or kind == "calls"


def test_spoiled_history_uploads_are_imported_or_leave_the_database_as_it_was(demo, browser, db_session):
    browser.login("scheduler")
    site = db_session.scalar(select(Site))
    codes = _codes(site)
    # something to lose: a first import that a half-done second one could delete or overwrite
    seed_rows = [
        {
            "interval_start": EPOCH + dt.timedelta(minutes=15 * s),
            "queue": codes[0],
            "offered": 3.0,
            "handled": 3.0,
            "abandoned": 0.0,
            "aht_seconds": 200.0,
        }
        for s in range(40)
    ]
    assert (
        _upload(browser, site, _history_csv(seed_rows).encode(), "intervals", "seed.csv").status_code == 302
    )

    @given(data=st.data(), rows=site_histories(codes), minutes=st.sampled_from(["", "15", "30"]))
    @examples(0.5)
    def check(data, rows, minutes):
        _refused_leaves_nothing(
            browser, site, data.draw(damaged(_history_csv(rows + seed_rows[:3]))), "intervals", minutes
        )

    check()


def test_spoiled_call_uploads_are_imported_or_leave_the_database_as_it_was(demo, browser, db_session):
    browser.login("scheduler")
    site = db_session.scalar(select(Site))

    @given(data=st.data(), calls=call_records())
    @examples(0.5)
    def check(data, calls):
        _refused_leaves_nothing(
            browser, site, data.draw(damaged(_calls_tsv(calls), delimiter="\t")), "calls", "15"
        )

    check()


# The shift-template editor ----------------------------------------------------------------------------

TIME = st.sampled_from(["08:00", "23:59", "00:00", "24:00", "8", "", "12:60", "-1:00", "junk"])
TEXT_JUNK = st.sampled_from(JUNK_CELLS) | st.text(max_size=20)


def _templates() -> list[tuple]:
    db.session.expire_all()
    return sorted(
        db.session.execute(
            select(
                ShiftTemplate.name,
                ShiftTemplate.earliest_start,
                ShiftTemplate.latest_start,
                ShiftTemplate.lengths,
                ShiftTemplate.breaks,
            )
        ).all(),
        key=repr,
    )


def test_template_editor_saves_or_refuses_without_leaving_anything(demo, browser, db_session):
    browser.login("scheduler")
    site = db_session.scalar(select(Site))

    @given(
        name=st.sampled_from(["Early", "early ", "Late"]) | TEXT_JUNK,
        earliest=TIME,
        latest=TIME,
        step=st.sampled_from(["15", "0", "-5", "1e9", "x"]) | TEXT_JUNK,
        lengths=st.sampled_from(["8h", "8h30, 480", "0", "99999", "8h99"]) | TEXT_JUNK,
        breaks=st.sampled_from(
            [
                "",
                "lunch, 30, 03:00-05:00, unpaid",
                "lunch, 30, 09:00-05:00",
                "a, 99999, 00:00-99:59",
                "a, 30, 01:00-02:00\na, 30, 01:30-02:30",
            ]
        )
        | TEXT_JUNK,
        per_hour=st.sampled_from(["1", "-1", "nan", "inf", "1e308"]) | TEXT_JUNK,
        days=st.lists(st.sampled_from(["0", "6", "7", "-1", "x"]), max_size=3),
    )
    @examples(0.5)
    def check(name, earliest, latest, step, lengths, breaks, per_hour, days):
        before = _templates()
        response = browser.post(
            "/planning/templates/new",
            {
                "site_id": site.id,
                "name": name,
                "earliest_start": earliest,
                "latest_start": latest,
                "step_minutes": step,
                "lengths": lengths,
                "days": days,
                "breaks": breaks,
                "per_hour": per_hour,
                "night_multiplier": "1",
                "weekend_multiplier": "1",
            },
        )
        assert response.status_code in (302, 400), response.status_code
        after = _templates()
        if response.status_code == 400:
            assert after == before
        else:
            assert len(after) == len(before) + 1

    check()


# The ladder editor ------------------------------------------------------------------------------------


def _levels(code: str) -> list[tuple]:
    db.session.expire_all()
    field = db.session.scalar(select(CareerField).where(CareerField.code == code))
    return [
        (
            lv.title,
            lv.competencies,
            lv.courses,
            lv.certifications,
            lv.tenure_months,
            lv.min_quality,
            lv.requires_levels,
        )
        for lv in field.levels
    ]


def test_ladder_editor_saves_or_refuses_without_leaving_anything(demo, browser, db_session):
    from wfm.careers.store import seed_catalogue

    seed_catalogue()
    db_session.commit()
    browser.login("hr")
    field = db_session.scalars(select(CareerField).order_by(CareerField.code)).first()
    code = field.code
    form = {}
    for number, lv in enumerate(field.levels, start=1):
        form |= {
            f"l{number}_title": lv.title,
            f"l{number}_tenure_months": str(lv.tenure_months),
            f"l{number}_min_quality": "" if lv.min_quality is None else str(lv.min_quality),
            f"l{number}_competencies": ", ".join(f"{k}={v}" for k, v in lv.competencies.items()),
            f"l{number}_courses": ", ".join(lv.courses),
            f"l{number}_certifications": ", ".join(lv.certifications),
            f"l{number}_requires_levels": ", ".join(f"{k}={v}" for k, v in lv.requires_levels.items()),
        }
    keys = sorted(form)

    @given(
        changes=st.dictionaries(
            st.sampled_from(keys),
            TEXT_JUNK
            | st.sampled_from(
                ["english=9", "english=0", "nope=1", "=3", "1e3", "600", "601", "-1", "101", "x" * 200]
            ),
            max_size=3,
        )
    )
    @examples(0.5)
    def check(changes):
        before = _levels(code)
        response = browser.post(f"/careers/ladders/{code}", {**form, **changes})
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert _levels(code) == before
        else:
            browser.post(f"/careers/ladders/{code}", form)  # put the ladder back for the next example

    check()
