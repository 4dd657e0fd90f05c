"""The translation of a plan's or roster's staffing and a forecast into the simulator's scenario: pure,
checked against counts made by hand."""

import datetime as dt

from wfm.simcheck.figures import summary, totals
from wfm.simcheck.scenario import (
    Grid,
    QueueDemand,
    Record,
    Shift,
    agents_on,
    build,
    on_stretches,
    patience_note,
    pooling_note,
    spread,
)

DAY = dt.datetime(2030, 1, 7)
GRID = Grid(DAY + dt.timedelta(hours=8), 30, 8)  # 08:00 to 12:00


def at(hour: float) -> dt.datetime:
    return DAY + dt.timedelta(hours=hour)


def test_on_stretches_are_the_shift_less_its_breaks_clipped_to_the_grid():
    shift = Shift("Ann", at(7), at(11), ((at(9.25), at(9.5)), (at(10), at(10.25))), ("Retail",))
    # From 08:00 (minute 0, clipped) to 11:00 (180), less 09:15-09:30 and 10:00-10:15.
    assert on_stretches(shift, GRID) == [[0.0, 75.0], [90.0, 120.0], [135.0, 180.0]]
    assert on_stretches(Shift("Bob", at(13), at(15)), GRID) == []


def test_groups_are_the_lists_of_queues_answered_and_agents_on_count_whole_periods():
    shifts = [
        Shift("Ann", at(8), at(12), ((at(9.25), at(9.5)),), ("Retail", "English")),
        Shift("Bob", at(8), at(10), (), ("Retail",)),
        Shift("Cy", at(8.5), at(12), (), ("Retail", "English", "Closed queue")),
        Shift("Dee", at(8), at(12), (), ("Closed queue",)),  # answers nothing checked: left out
    ]
    queues = [
        QueueDemand("Retail", "voice", [10.0] * 8, [180.0] * 8, 20, 0.8),
        QueueDemand("English", "voice", [2.0] * 8, [240.0] * 8, 30, 0.8, patience_seconds=300),
    ]
    scenario = build(GRID, queues, shifts)
    groups = {g["name"]: g for g in scenario["agent_groups"]}
    # English is answered by fewer shifts than Retail: agents answering both take it first.
    assert set(groups) == {"Retail", "English + Retail"}
    assert [a["name"] for a in groups["English + Retail"]["agents"]] == ["Ann", "Cy"]
    retail, english = scenario["contact_types"]
    assert retail["groups"] == ["Retail", "English + Retail"]  # specialists first
    assert english["groups"] == ["English + Retail"]
    assert scenario["agent_selects"] == "priority"
    assert retail["patience"] is None
    assert english["patience"] == {
        "distribution": "exponential",
        "mean_seconds": 300.0,
    }
    # By hand, per half hour from 08:00: Ann (off 09:15-09:30, so not through 09:00-09:30), Bob to 10:00,
    # Cy from 08:30.
    expected_retail = [2, 3, 2, 3, 2, 2, 2, 2]
    expected_english = [1, 2, 1, 2, 2, 2, 2, 2]
    assert [agents_on(scenario, k)["Retail"] for k in range(8)] == expected_retail
    assert [agents_on(scenario, k)["English"] for k in range(8)] == expected_english


def test_spread_shares_coarse_records_and_adds_fine_ones_weighting_handle_times_and_promises():
    records = [
        Record(at(8), 60, 30.0, 200.0, 0.9),  # an hour over two half hours
        Record(at(9), 15, 10.0, 100.0, 0.7),
        Record(at(9.25), 15, 30.0, 300.0, 0.9),
    ]
    volume, handle, promised = spread(GRID, records, default_handle=180.0)
    assert volume[:3] == [15.0, 15.0, 40.0]
    assert handle[:3] == [200.0, 200.0, (10 * 100 + 30 * 300) / 40]
    assert promised[2] == (10 * 0.7 + 30 * 0.9) / 40
    assert volume[3:] == [0.0] * 5
    assert handle[3] == 180.0
    assert promised[3] is None


def test_totals_and_summary_are_ratios_of_sums_of_the_interval_rows():
    queues = [QueueDemand("Retail", "voice", [10.0, 20.0], [180.0] * 2, 20, 0.8)]
    rows = [
        {
            "queue": "Retail",
            "forecast": 10.0,
            "offered": 10.0,
            "served": 9.0,
            "abandoned": 1.0,
            "served_within_target": 8.0,
            "abandoned_after_target": 1.0,
            "promised": 0.85,
            "short": False,
        },
        {
            "queue": "Retail",
            "forecast": 20.0,
            "offered": 20.0,
            "served": 20.0,
            "abandoned": 0.0,
            "served_within_target": 14.0,
            "abandoned_after_target": 0.0,
            "promised": 0.82,
            "short": True,
        },
    ]
    result = {
        "types": {"Retail": {"service_level_ci": [0.7, 0.74]}},
        "total": {"service_level_ci": [0.7, 0.74]},
    }
    out = totals(queues, rows, result)["total"]
    assert out["service_level"] == 22 / 30
    assert abs(out["promised"] - (10 * 0.85 + 20 * 0.82) / 30) < 1e-12
    assert summary(out) == "Simulated 73.3% ± 2.0 against 83.0% promised; 1 interval short of the target."


def test_a_plan_that_pools_its_queues_says_every_agent_answers_every_queue():
    queues = [
        QueueDemand("Retail", "voice", [5.0] * 8, [180.0] * 8),
        QueueDemand("English", "voice", [1.0] * 8, [180.0] * 8),
    ]
    pooled = [
        Shift("Day #1", at(8), at(12), (), ("Retail", "English")),
        Shift("Day #2", at(8), at(12), (), ("Retail", "English")),
    ]
    note = pooling_note(queues, pooled)
    assert note is not None
    assert "every queue" in note
    assert "2 queues" in note
    separate = [
        Shift("Day #1", at(8), at(12), (), ("Retail",)),
        Shift("Day #2", at(8), at(12), (), ("English",)),
    ]
    assert pooling_note(queues, separate) is None
    assert pooling_note(queues[:1], pooled[:1]) is None  # one queue: nothing is pooled
    partly = [pooled[0], separate[1]]
    note = pooling_note(queues, partly)
    assert note is not None
    assert "1 planned shift of 2" in note
    assert "every queue" not in note


def test_the_check_says_which_queues_callers_never_hang_up_in():
    waiting = QueueDemand("Retail", "voice", [5.0] * 8, [180.0] * 8)
    patient = QueueDemand("English", "voice", [1.0] * 8, [180.0] * 8, patience_seconds=120.0)
    note = patience_note([waiting, patient])
    assert note is not None
    assert note.startswith("Customers waiting in Retail never give up")
    assert "English" not in note
    assert patience_note([patient]) is None


def test_the_summary_writes_its_figures_through_the_formatting_functions():
    figures = {
        "service_level": 0.6562,
        "service_level_ci": [0.6548, 0.6577],
        "promised": 0.9036,
        "short": 4761,
    }
    assert (
        summary(figures)
        == "Simulated 65.6% ± 0.1 against 90.4% promised; 4,761 intervals short of the target."
    )


def test_shrinkage_keeps_the_expected_agents_on_rounded_down_and_leaves_placed_breaks_alone():
    shifts = [
        Shift("Ann", at(8), at(12), (), ("Retail",)),
        Shift("Bob", at(8), at(12), (), ("Retail",)),
        Shift("Cy", at(8), at(12), ((at(9 + 10 / 60), at(9 + 25 / 60)),), ("Retail",)),
        Shift("Dee", at(8), at(10), (), ("Retail",)),
    ]
    queues = [QueueDemand("Retail", "voice", [10.0] * 8, [180.0] * 8, 20, 0.8)]
    assert [agents_on(build(GRID, queues, shifts), k)["Retail"] for k in range(8)] == [4, 4, 3, 4, 3, 3, 3, 3]
    scenario = build(GRID, queues, shifts, {"Retail": 0.3})
    # By hand: floor(4 * 0.7) = floor(3 * 0.7) = 2 of the agents on through each half hour stay, the
    # last listed going first. Cy's break 09:10-09:25 stays where it is: in 09:00-09:30 Cy is not on
    # through the half hour, so Ann, Bob and Dee are counted there and Cy keeps his 15 minutes on.
    assert [agents_on(scenario, k)["Retail"] for k in range(8)] == [2] * 8
    on = {a["name"]: a["on"] for a in scenario["agent_groups"][0]["agents"]}
    assert on == {"Ann": [[0.0, 240.0]], "Bob": [[0.0, 240.0]], "Cy": [[60.0, 70.0], [85.0, 90.0]], "Dee": []}
    # A group answering two queues takes the mean of their shrinkage: (0.2 + 0.4) / 2 = 0.3 again.
    both = [Shift(s.who, s.start, s.end, s.away, ("Retail", "English")) for s in shifts]
    queues.append(QueueDemand("English", "voice", [2.0] * 8, [240.0] * 8, 30, 0.8))
    pooled = build(GRID, queues, both, {"Retail": 0.2, "English": 0.4})
    assert [agents_on(pooled, k)["English"] for k in range(8)] == [2] * 8


def test_a_simulator_refusal_names_queues_agents_and_fields_in_words():
    from wfm.simcheck.scenario import problem_in_words

    shifts = [Shift("Ann", at(8), at(12), (), ("Retail",))]
    queues = [QueueDemand("Retail", "voice", [10.0] * 8, [180.0] * 8, 20, 0.8)]
    scenario = build(GRID, queues, shifts)
    said = problem_in_words("contact_types[0].handle_time.mean_seconds[3]: must be more than 0", scenario)
    assert said == "queue Retail, handle time, mean in interval 4: must be more than 0."
    said = problem_in_words("agent_groups[0].agents[0].on[0]: ends before it starts", scenario)
    assert said == "agents answering Retail, agent Ann, time on the phones: ends before it starts."
    assert "_" not in problem_in_words("periods: at most 5000 (agents_per_period)", scenario)


def test_a_stored_note_is_read_back_with_its_values_for_translation():
    from scheduling.text import Sentence
    from wfm.simcheck import notes

    waiting = QueueDemand("Retail, evening", "voice", [5.0] * 8, [180.0] * 8)
    english = QueueDemand("English", "voice", [1.0] * 8, [180.0] * 8)
    pooled = [Shift(f"Day #{k}", at(8), at(12), (), ("Retail, evening", "English")) for k in range(3)]
    made = [
        patience_note([waiting, english]),
        pooling_note([waiting, english], pooled),
        pooling_note([waiting, english], [*pooled, Shift("Late", at(12), at(16), (), ("English",))]),
        pooling_note([waiting, english], [pooled[0], Shift("Late", at(12), at(16), (), ("English",))]),
        Sentence(notes.IDLE, count=3),
        Sentence(notes.DEFERRED),
    ]
    for note in made:
        stored = str(note)  # a check keeps plain text
        again = notes.readable(stored)
        assert isinstance(again, Sentence)
        written = {key: str(value) for key, value in note.values.items()}
        assert (again.template, again.values, str(again)) == (note.template, written, stored)
    assert notes.readable("A note in words no template has.") == "A note in words no template has."
