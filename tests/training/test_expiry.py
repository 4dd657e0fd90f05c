import datetime as dt

import pytest

from training.expiry import EXPIRED, Reminder, expiring_within, expiry_reminders, stage_on
from training.records import AgentRecord, CertificationHeld

D = dt.date
EXPIRES = D(2026, 6, 30)


AML = CertificationHeld("AML", D(2025, 7, 1), EXPIRES)


def agent(agent_id="a1", certs=(AML,), leaving=None):
    return AgentRecord(
        agent_id, D(2020, 1, 1), "basic_service", certifications=tuple(certs), leaving_date=leaving
    )


def day(days_before_expiry: int) -> dt.date:
    return EXPIRES - dt.timedelta(days=days_before_expiry)


def keys(reminders):
    return sorted((r.agent_id, r.certification, r.stage, r.recipient) for r in reminders)


def test_nothing_due_91_days_before():
    assert expiry_reminders([agent()], day(91)).reminders == ()


def test_90_day_reminder_to_agent_and_hr_exactly_on_the_day_and_not_twice():
    report = expiry_reminders([agent()], day(90))
    assert keys(report.reminders) == [("a1", "AML", 90, "agent"), ("a1", "AML", 90, "hr")]
    assert {r.due_on for r in report.reminders} == {day(90)}
    assert report.expired == ()
    sent = list(report.reminders)
    assert expiry_reminders([agent()], day(90), sent).reminders == ()  # the job runs again the same day
    assert expiry_reminders([agent()], day(89), sent).reminders == ()
    assert expiry_reminders([agent()], day(31), sent).reminders == ()


def test_30_day_reminder_exactly_on_the_day_after_the_90_day_one():
    sent = list(expiry_reminders([agent()], day(90)).reminders)
    report = expiry_reminders([agent()], day(30), sent)
    assert keys(report.reminders) == [("a1", "AML", 30, "agent"), ("a1", "AML", 30, "hr")]
    sent += report.reminders
    assert expiry_reminders([agent()], day(29), sent).reminders == ()
    assert expiry_reminders([agent()], day(0), sent).reminders == ()  # last valid day: nothing new


def test_a_missed_run_sends_only_the_most_urgent_reminder():
    report = expiry_reminders([agent()], day(20))
    assert keys(report.reminders) == [("a1", "AML", 30, "agent"), ("a1", "AML", 30, "hr")]


def test_expired_certificate_is_listed_and_notified_once():
    after = EXPIRES + dt.timedelta(days=1)
    report = expiry_reminders([agent()], after)
    assert keys(report.reminders) == [("a1", "AML", EXPIRED, "agent"), ("a1", "AML", EXPIRED, "hr")]
    assert [(e.certification, e.days_left) for e in report.expired] == [("AML", -1)]
    later = expiry_reminders([agent()], after + dt.timedelta(days=10), report.reminders)
    assert later.reminders == ()
    assert [e.expires_on for e in later.expired] == [EXPIRES]  # still expired: HR still sees it
    assert "expired on 2026-06-30" in report.reminders[0].message


def test_a_renewal_stops_reminders_for_the_old_certificate():
    renewed = agent(
        certs=(
            CertificationHeld("AML", D(2025, 7, 1), EXPIRES),
            CertificationHeld("AML", day(40), D(2027, 6, 30)),
        )
    )
    assert expiry_reminders([renewed], day(30)).reminders == ()
    assert expiry_reminders([renewed], EXPIRES + dt.timedelta(days=5)).expired == ()
    # before the renewal was issued, the old one was watched
    assert keys(expiry_reminders([renewed], day(60)).reminders) == [
        ("a1", "AML", 90, "agent"),
        ("a1", "AML", 90, "hr"),
    ]


def test_leavers_and_certificates_that_never_expire_get_nothing():
    gone = agent("a2", leaving=day(100))
    forever = agent("a3", certs=(CertificationHeld("DATA-PROT", D(2020, 1, 1), None),))
    report = expiry_reminders([gone, forever], day(30))
    assert report.reminders == ()
    assert report.expired == ()


def test_each_certificate_and_agent_is_reminded_separately():
    two = agent(
        "a4",
        certs=(
            CertificationHeld("AML", D(2025, 7, 1), EXPIRES),
            CertificationHeld("INV-ADV", D(2024, 10, 1), day(-60)),
        ),
    )
    report = expiry_reminders([two, agent("a5")], day(30))
    assert keys(report.reminders) == [
        ("a4", "AML", 30, "agent"),
        ("a4", "AML", 30, "hr"),
        ("a4", "INV-ADV", 90, "agent"),
        ("a4", "INV-ADV", 90, "hr"),
        ("a5", "AML", 30, "agent"),
        ("a5", "AML", 30, "hr"),
    ]


@pytest.mark.parametrize(
    ("days_left", "stage"), [(91, None), (90, 90), (31, 90), (30, 30), (0, 30), (-1, EXPIRED)]
)
def test_stage_boundaries(days_left, stage):
    assert stage_on(EXPIRES, EXPIRES - dt.timedelta(days=days_left)) == stage


def test_expiring_within_lists_soonest_first_and_excludes_expired():
    records = [
        agent("late", certs=(CertificationHeld("AML", D(2025, 1, 1), day(-20)),)),
        agent("soon"),
        agent("gone", certs=(CertificationHeld("AML", D(2024, 1, 1), day(11)),)),
    ]
    found = expiring_within(records, day(10), 30)
    assert [(e.agent_id, e.days_left) for e in found] == [("soon", 10), ("late", 30)]
    assert expiring_within(records, day(10), 9) == []


def test_reminders_are_plain_values_the_caller_can_rebuild_from_its_log():
    logged = {("a1", "AML", EXPIRES.isoformat(), 90, "agent"), ("a1", "AML", EXPIRES.isoformat(), 90, "hr")}
    sent = [Reminder(a, c, D.fromisoformat(e), s, r) for a, c, e, s, r in logged]
    assert expiry_reminders([agent()], day(60), sent).reminders == ()
