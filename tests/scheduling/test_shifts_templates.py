"""Shift templates and requirements: loading, validation (errors name the field), costs."""

from __future__ import annotations

import json

import pytest

from scheduling.shifts import (
    BreakRule,
    CostRule,
    RequirementError,
    ShiftTemplate,
    TemplateError,
    load_templates,
    parse_templates,
    read_requirement_csv,
)


def _doc(**template):
    base = {"name": "day", "start": "08:00", "length_minutes": 480}
    base.update(template)
    return {"templates": [base]}


def test_generator_fields_expand_starts_lengths_days_and_breaks():
    templates, sites = parse_templates(
        {
            "templates": [
                {
                    "name": "flex",
                    "start_window": {"earliest": "06:00", "latest": "07:00", "step_minutes": 15},
                    "lengths_minutes": [480, 240],
                    "days": ["mon", "Tuesday", 6],
                    "breaks": [
                        {
                            "name": "lunch",
                            "minutes": 30,
                            "paid": False,
                            "window": ["03:00", "05:00"],
                            "min_shift_minutes": 360,
                        },
                        {"minutes": 15, "window": ["01:00", "02:00"]},
                    ],
                    "queues": ["retail"],
                    "site": "north",
                }
            ],
            "sites": [{"site": "north", "max_agents": 10, "max_starts_per_interval": 2}],
        }
    )
    (flex,) = templates
    assert flex.starts == (360, 375, 390, 405, 420)
    assert flex.lengths == (240, 480)
    assert flex.days == frozenset({0, 1, 6})
    assert [b.name for b in flex.breaks_for(240)] == ["break2"]
    assert {b.name for b in flex.breaks_for(480)} == {"lunch", "break2"}
    assert flex.queues == frozenset({"retail"})
    assert flex.site == "north"
    assert sites[0].max_agents == 10
    assert sites[0].max_starts_per_interval == 2


def test_start_window_may_run_past_midnight():
    (night,), _ = parse_templates(
        _doc(start=None)
        | {
            "templates": [
                {
                    "name": "n",
                    "start_window": {"earliest": "23:00", "latest": "01:00", "step_minutes": 60},
                    "length_minutes": 480,
                }
            ]
        }
    )
    assert night.starts == (0, 60, 1380)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "25:00"}, "start"),
        ({"length_minutes": 0}, "length_minutes"),
        ({"days": ["funday"]}, "days"),
        ({"cost": "cheap"}, "cost"),
        ({"colour": "red"}, "colour"),
        ({"breaks": [{"minutes": 30, "window": ["07:45", "08:30"]}]}, "breaks[break1]"),
        ({"breaks": [{"minutes": 30, "window": ["03:00", "03:15"]}]}, "breaks[break1]"),
        (
            {
                "breaks": [
                    {"name": "a", "minutes": 15, "window": ["01:00", "02:00"]},
                    {"name": "b", "minutes": 15, "window": ["01:30", "03:00"]},
                ]
            },
            "breaks[b]",
        ),
        ({"start_window": {"earliest": "06:00", "latest": "07:00", "step_minutes": 15}}, "start"),
    ],
)
def test_bad_template_fields_are_named(change, field):
    with pytest.raises(TemplateError) as error:
        parse_templates(_doc(**change))
    assert "'day'" in str(error.value)
    assert repr(field) in str(error.value)


def test_duplicate_names_and_missing_templates_are_refused():
    with pytest.raises(TemplateError, match="'name'"):
        parse_templates({"templates": [_doc()["templates"][0], _doc()["templates"][0]]})
    with pytest.raises(TemplateError, match="'templates'"):
        parse_templates({"templates": []})


def test_file_errors_name_file_and_line(tmp_path):
    path = tmp_path / "templates.json"
    path.write_text(
        json.dumps(
            {
                "templates": [
                    {"name": "ok", "start": "08:00", "length_minutes": 480},
                    {"name": "bad", "start": "08:00", "length_minutes": -5},
                ]
            },
            indent=2,
        )
    )
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"bad"' in text)
    assert str(error.value).startswith(f"{path}: line {line}:")
    assert "'length_minutes'" in str(error.value)
    path.write_text('{"templates": [\n  {"name": }\n]}')
    with pytest.raises(TemplateError, match="line 2"):
        load_templates(path)


def test_cost_is_paid_hours_with_night_and_weekend_premiums():
    lunch = BreakRule("lunch", 30, 180, 300, paid=False)
    plain = ShiftTemplate("d", starts=(480,), lengths=(480,), breaks=(lunch,))
    assert plain.shift_cost(0, 480, 480) == pytest.approx(7.5)
    night = ShiftTemplate(
        "n",
        starts=(1200,),
        lengths=(480,),
        cost=CostRule(night_multiplier=1.5, night_start=1320, night_end=360),
    )
    # 20:00-04:00: 2 h by day, 6 h at night
    assert night.shift_cost(0, 1200, 480) == pytest.approx(2 + 6 * 1.5)
    weekend = ShiftTemplate(
        "w",
        starts=(1200,),
        lengths=(480,),
        cost=CostRule(per_hour=10, weekend_multiplier=2.0, weekend_days=frozenset({5})),
    )
    # starts Friday 20:00: 4 h on Friday, 4 h on Saturday at double rate
    assert weekend.shift_cost(4, 1200, 480) == pytest.approx(10 * (4 + 8))
    assert (
        ShiftTemplate("f", starts=(0,), lengths=(60,), cost=CostRule(fixed=3.0)).shift_cost(0, 0, 60) == 3.0
    )


def test_requirement_csv_rounds_up_and_fills_whole_days(tmp_path):
    path = tmp_path / "req.csv"
    path.write_text(
        "interval_start,queue,forecast,agents,scheduled_agents\n"
        "2024-03-04T08:00:00,retail,12,3.2,5\n"
        "2024-03-04T08:15:00,retail,12,4,6\n"
        "2024-03-04T08:15:00,english,3,1,2\n"
    )
    need = read_requirement_csv(path)
    assert need.interval_minutes == 15
    assert need.n_intervals == 96
    assert need.queues == ("english", "retail")
    retail = need.values[need.queues.index("retail")]
    assert retail[32] == 4
    assert retail[33] == 4
    assert retail.sum() == 8
    assert read_requirement_csv(path, column="scheduled_agents").values.sum() == 13


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("2024-03-04T08:00:00,retail,1,2,3\nyesterday,retail,1,2,3\n", 3, "interval_start"),
        ("2024-03-04T08:00:00,retail,1,2,3\n2024-03-04T08:15:00,retail,1,many,3\n", 3, "agents"),
        ("2024-03-04T08:00:00,retail,1,-2,3\n", 2, "agents"),
        ("2024-03-04T08:00:00,retail,1,2,3\n2024-03-04T08:00:00,retail,1,2,3\n", 3, "interval_start"),
    ],
)
def test_requirement_errors_name_file_line_and_field(tmp_path, body, line, field):
    path = tmp_path / "req.csv"
    path.write_text("interval_start,queue,forecast,agents,scheduled_agents\n" + body)
    with pytest.raises(RequirementError) as error:
        read_requirement_csv(path)
    assert str(error.value).startswith(f"{path}: line {line}: field '{field}'")


def test_requirement_missing_column_is_named(tmp_path):
    path = tmp_path / "req.csv"
    path.write_text("interval_start,queue,forecast\n2024-03-04T08:00:00,retail,1\n")
    with pytest.raises(RequirementError, match="line 1: field 'agents'"):
        read_requirement_csv(path)


def test_requirement_mixing_offsets_and_naive_times_is_refused(tmp_path):
    path = tmp_path / "req.csv"
    path.write_text("interval_start,agents\n2024-03-04T08:00:00+02:00,1\n2024-03-04T08:15:00,1\n")
    with pytest.raises(RequirementError, match="line 3: field 'interval_start'"):
        read_requirement_csv(path)
