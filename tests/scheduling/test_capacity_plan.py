"""The capacity plan re-checked from what it returns: every month's balance, class sizes, training lead
times, ramps, overtime, shortfall and cost recomputed here by a month-by-month cohort count of our own."""

from __future__ import annotations

import copy
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduling.capacity import (
    CSV_COLUMNS,
    ScenarioError,
    balanced_rows,
    parse_scenario,
    sentence,
    solve,
    spreadsheet_rule,
)
from wfm.commands.capacity import command as capacity_command

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "capacity_demo.json"
TOL = 1e-6


def small_document() -> dict:
    return {
        "start": "2027-01",
        "months": 9,
        "groups": [
            {
                "name": "Service L1",
                "headcount": 20,
                "required_fte": [18, 19, 21, 24, 26, 27, 27, 28, 28],
                "monthly_attrition": 0.04,
                "salary_per_month": 3000,
            },
            {
                "name": "Service L2",
                "headcount": 6,
                "required_fte": [6, 6, 6, 7, 7, 7, 8, 8, 8],
                "monthly_attrition": 0.02,
                "salary_per_month": 4000,
                "productivity": 1.1,
            },
        ],
        "flows": [{"from": "Service L1", "to": "Service L2", "monthly_rate": 0.03}],
        "hiring": [
            {
                "into": "Service L1",
                "class_min": 3,
                "class_max": 5,
                "training_months": 2,
                "ramp": [0.5, 0.75],
                "cost_per_hire": 2000,
                "max_classes_per_month": 2,
            }
        ],
        "shortfall_cost_per_fte_month": 8000,
        "overtime": {"max_share": 0.1, "cost_factor": 1.5},
    }


def recount(
    document: dict, hires: dict[tuple[str, int], int], moves: dict[tuple[str, str, int], int] | None = None
) -> list[dict]:
    """Our own month-by-month count: cohorts kept one by one, overtime where cheaper than the penalty,
    decided moves leaving at the month's end."""
    moves = moves or {}
    move_cost = {(m["from"], m["to"]): m.get("cost_per_move", 0.0) for m in document.get("moves", [])}
    groups = {g["name"]: g for g in document["groups"]}
    out_rate = {name: 0.0 for name in groups}
    for flow in document["flows"]:
        out_rate[flow["from"]] += flow["monthly_rate"]
    pipeline = {h["into"]: h for h in document["hiring"]}
    headcount = {name: float(g["headcount"]) for name, g in groups.items()}
    cohorts: dict[str, list[list[float]]] = {name: [] for name in groups}  # [start month, people]
    result = []
    for month in range(document["months"]):
        present = {}
        for name in groups:
            count = hires.get((name, month), 0)
            if count:
                cohorts[name].append([month, float(count)])
            present[name] = headcount[name] + count
        for name, group in groups.items():
            training = sum(p for s, p in cohorts[name] if month - s < pipeline[name]["training_months"])
            missing = 0.0
            for start, people in cohorts[name]:
                age = month - start
                hiring = pipeline[name]
                if age < hiring["training_months"]:
                    share = 0.0
                elif age - hiring["training_months"] < len(hiring["ramp"]):
                    share = hiring["ramp"][age - hiring["training_months"]]
                else:
                    share = 1.0
                missing += people * (1 - share)
            productive = group.get("productivity", 1.0) * (present[name] - missing)
            moved_in = sum(
                f["monthly_rate"] * present[f["from"]] for f in document["flows"] if f["to"] == name
            ) + sum(people for (_, to, m), people in moves.items() if to == name and m == month)
            decided_out = sum(
                people for (source, _, m), people in moves.items() if source == name and m == month
            )
            newcomer_rate = pipeline.get(name, {}).get("first_year_attrition")
            leavers = group["monthly_attrition"] * present[name]
            if newcomer_rate is not None:  # hires in their first year leave at their own rate
                leavers += sum(
                    people * (newcomer_rate - group["monthly_attrition"])
                    for start, people in cohorts[name]
                    if month - start < 12
                )
            moved_out = out_rate[name] * present[name] + decided_out
            required = group["required_fte"][month]
            gap = max(0.0, required - productive)
            ot_price = group["salary_per_month"] * document["overtime"]["cost_factor"]
            overtime = (
                min(gap, document["overtime"]["max_share"] * productive)
                if ot_price < document["shortfall_cost_per_fte_month"]
                else 0.0
            )
            short = gap - overtime
            hire_cost = (
                pipeline[name]["cost_per_hire"] * hires.get((name, month), 0) if name in pipeline else 0
            )
            cost = (
                group["salary_per_month"] * present[name]
                + hire_cost
                + sum(
                    people * move_cost[(source, to)]
                    for (source, to, m), people in moves.items()
                    if source == name and m == month
                )
                + overtime * ot_price
                + short * document["shortfall_cost_per_fte_month"]
            )
            result.append(
                {
                    "group": name,
                    "month": month,
                    "in_training": training,
                    "productive_fte": productive,
                    "overtime_fte": overtime,
                    "short_fte": short,
                    "cost": cost,
                    "headcount_end": present[name] - leavers - moved_out + moved_in,
                    "leavers": leavers,
                    "moved_out": moved_out,
                    "moved_in": moved_in,
                    "full_speed_staying": (present[name] - missing)
                    * (1 - group["monthly_attrition"] - out_rate[name]),
                }
            )
        for name in groups:
            for cohort in cohorts[name]:
                rate = groups[name]["monthly_attrition"]
                if month - cohort[0] < 12 and pipeline.get(name, {}).get("first_year_attrition") is not None:
                    rate = pipeline[name]["first_year_attrition"]
                cohort[1] *= 1 - rate - out_rate[name]
        for row in result[-len(groups) :]:
            headcount[row["group"]] = row["headcount_end"]
    return result


def hires_of(plan, scenario) -> dict[tuple[str, int], int]:
    labels = [scenario.month_label(m) for m in range(scenario.months)]
    return {(i.into, labels.index(i.month)): i.hires for i in plan.intakes}


def moves_of(plan, scenario) -> dict[tuple[str, str, int], int]:
    labels = [scenario.month_label(m) for m in range(scenario.months)]
    return {(m.source, m.target, labels.index(m.month)): m.people for m in plan.moves}


def check_against_recount(document: dict, plan) -> None:
    scenario = parse_scenario(document)
    ours = recount(document, hires_of(plan, scenario), moves_of(plan, scenario))
    assert len(ours) == len(plan.figures)
    for mine, theirs in zip(ours, plan.figures, strict=True):
        assert theirs.group == mine["group"]
        for key in (
            "in_training",
            "productive_fte",
            "overtime_fte",
            "short_fte",
            "cost",
            "headcount_end",
            "moved_out",
            "moved_in",
            "leavers",
        ):
            assert getattr(theirs, key) == pytest.approx(mine[key], abs=1e-6), (key, theirs.month)
    assert plan.total_cost == pytest.approx(sum(r["cost"] for r in ours), rel=1e-9)


def check_classes(document: dict, plan) -> None:
    hiring = {h["into"]: h for h in document["hiring"]}
    for intake in plan.intakes:
        rule = hiring[intake.into]
        assert 1 <= intake.classes <= rule.get("max_classes_per_month", 1)
        assert rule["class_min"] * intake.classes <= intake.hires <= rule["class_max"] * intake.classes


def test_the_plan_balances_keeps_class_sizes_and_costs_what_we_count():
    document = small_document()
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    assert plan.report.status == "optimal"
    assert plan.intakes  # demand grows past what attrition leaves: it must hire
    check_classes(document, plan)
    check_against_recount(document, plan)
    assert plan.report.objective == pytest.approx(plan.total_cost, rel=1e-6)
    for row in plan.figures:
        assert row.overtime_fte <= document["overtime"]["max_share"] * row.productive_fte + TOL
        assert row.short_fte == pytest.approx(
            max(0.0, row.required_fte - row.productive_fte - row.overtime_fte), abs=1e-6
        )


def test_hires_produce_nothing_in_training_then_follow_the_ramp():
    document = small_document()
    document["groups"] = [
        {
            "name": "Service L1",
            "headcount": 0,
            "required_fte": [10] * 9,
            "monthly_attrition": 0.05,
            "salary_per_month": 100,
        }
    ]
    document["flows"] = []
    document["hiring"][0].update({"class_min": 10, "class_max": 10, "max_classes_per_month": 1})
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    first = min(plan.intakes, key=lambda i: i.month)
    assert first.month == "2027-01"  # the penalty far outweighs salaries: hire at once
    figures = [f for f in plan.figures if f.group == "Service L1"]
    for month in range(2):  # training_months = 2: nothing produced, all short
        assert figures[month].productive_fte == pytest.approx(0.0, abs=1e-9)
        assert figures[month].short_fte == pytest.approx(10.0)
        assert figures[month].in_training >= 10 * 0.95**month - 1e-9
    class_left = 10 * 0.95**2
    # month 2: January's class at its first ramp share; any later class is still in training
    assert figures[2].productive_fte == pytest.approx(0.5 * class_left, abs=1e-9)
    check_against_recount(document, plan)
    reasons = {s.month: s.reason for s in plan.shortfalls}
    assert reasons["2027-01"] == reasons["2027-02"] == "too_soon"
    assert "January 2027: Service L1 is 10.0 FTE short" in sentence(plan.shortfalls[0])


def test_a_capped_class_is_named_as_the_reason():
    document = small_document()
    document["groups"][0]["required_fte"] = [18, 19, 40, 40, 40, 40, 40, 40, 40]
    document["hiring"][0].update({"class_max": 4, "max_classes_per_month": 1, "training_months": 2})
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    march = next(s for s in plan.shortfalls if s.month == "2027-03" and s.group == "Service L1")
    assert march.reason == "capped"
    assert sentence(march).endswith(
        "the earliest class that could help starts training in January 2027 and is capped at 4."
    )
    check_classes(document, plan)


def test_the_integer_plan_beats_or_ties_the_spreadsheet_rule():
    document = small_document()
    scenario = parse_scenario(document)
    best = solve(scenario, time_limit=30)
    rule = spreadsheet_rule(scenario)
    check_classes(document, rule)
    check_against_recount(document, rule)
    assert best.total_cost <= rule.total_cost * (1 + 1e-6)


def test_every_csv_row_balances_exactly_and_follows_the_plan():
    document = json.loads(EXAMPLE.read_text())
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    rows = balanced_rows(scenario, plan)
    ends: dict[str, Decimal] = {}
    for row, figures in zip(rows, plan.figures, strict=True):
        d = {k: Decimal(row[k]) for k in CSV_COLUMNS[2:]}
        assert (
            d["headcount_end"]
            == d["headcount_start"] + d["hires"] - d["leavers"] - d["moved_out"] + d["moved_in"]
        )
        if row["group"] in ends:
            assert d["headcount_start"] == ends[row["group"]]
        ends[row["group"]] = d["headcount_end"]
        assert float(d["headcount_end"]) == pytest.approx(figures.headcount_end, abs=0.03)
    check_classes(document, plan)


def test_the_command_writes_the_plan_and_names_a_bad_field(tmp_path):
    out = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        capacity_command, [str(EXAMPLE), "-o", str(out), "--json", "--time-limit", "30"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    document = json.loads(EXAMPLE.read_text())
    assert len(rows) == document["months"] * len(document["groups"])
    assert summary["cost"] == pytest.approx(sum(float(r["cost"]) for r in rows), abs=0.01 * len(rows))
    assert summary["hires"] == sum(int(r["hires"]) for r in rows)
    bad = copy.deepcopy(document)
    bad["hiring"][0]["class_max"] = 2  # below class_min
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    refused = CliRunner().invoke(capacity_command, [str(path), "-o", str(tmp_path / "x.csv")])
    assert refused.exit_code != 0
    assert "field hiring[0].class_max" in refused.output
    assert not (tmp_path / "x.csv").exists()
    formula = copy.deepcopy(document)
    formula["groups"][3]["name"] = '=HYPERLINK("https://evil.example","x")'
    formula["hiring"][1]["into"] = formula["groups"][3]["name"]
    formula["flows"][1]["to"] = formula["groups"][3]["name"]
    formula["moves"][0]["to"] = formula["groups"][3]["name"]
    path.write_text(json.dumps(formula))
    written = CliRunner().invoke(capacity_command, [str(path), "-o", str(out), "--time-limit", "30"])
    assert written.exit_code == 0, written.output
    groups = {r["group"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert "'" + formula["groups"][3]["name"] in groups


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(start="2027-13"), "start"),
        (lambda d: d.update(months=0), "months"),
        (lambda d: d["groups"][1]["required_fte"].pop(), "groups[1].required_fte"),
        (lambda d: d["groups"][0].update(monthly_attrition=-0.1), "groups[0].monthly_attrition"),
        (lambda d: d["flows"][0].update(to="Nobody"), "flows[0].to"),
        (lambda d: d["hiring"][0].update(ramp=[0.5, 2]), "hiring[0].ramp[1]"),
        (lambda d: d["hiring"][0].update(training_months=1.5), "hiring[0].training_months"),
        (lambda d: d["overtime"].update(max_share="a lot"), "overtime.max_share"),
        (lambda d: d["groups"][0].update(colour="red"), "groups[0].colour"),
        (lambda d: d["flows"][0].update(monthly_rate=0.99), "groups[0].monthly_attrition"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(change, field):
    document = small_document()
    change(document)
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(document)
    assert raised.value.field == field


def test_a_group_nobody_is_hired_into_and_a_cheap_shortfall_say_so():
    document = small_document()
    document["groups"][1]["required_fte"] = [6, 6, 6, 12, 12, 12, 12, 12, 12]  # L2 doubles; no class into it
    document["shortfall_cost_per_fte_month"] = 10  # cheaper to be short than to hire anyone
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    assert plan.intakes == ()
    reasons = {(s.group, s.month): s.reason for s in plan.shortfalls}
    assert reasons[("Service L2", "2027-04")] == "no_hiring"
    l1_reasons = {r for (group, _), r in reasons.items() if group == "Service L1"}
    assert l1_reasons <= {"costlier", "too_soon"}
    assert "costlier" in l1_reasons
    figures = {(f.group, f.month): f for f in plan.figures}
    for shortfall in plan.shortfalls:
        assert shortfall.short_fte == pytest.approx(figures[(shortfall.group, shortfall.month)].short_fte)


def test_cross_training_moves_are_whole_people_from_full_speed_staff_and_balance():
    document = small_document()
    document["groups"][1]["required_fte"] = [6, 6, 9, 10, 10, 11, 11, 12, 12]  # L2 grows; no class into it
    document["groups"][0]["headcount"] = 36  # L1 has people to spare: moving them beats L2 being short
    document["flows"] = []  # and no promotions fill L2 on their own
    document["moves"] = [{"from": "Service L1", "to": "Service L2", "max_per_month": 2, "cost_per_move": 500}]
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    assert plan.report.status == "optimal"
    assert plan.moves  # L2's shortfall costs far more than a move and a replacement hire
    check_classes(document, plan)
    check_against_recount(document, plan)
    ours = recount(document, hires_of(plan, scenario), moves_of(plan, scenario))
    l1 = {r["month"]: r for r in ours if r["group"] == "Service L1"}
    for move in plan.moves:
        month = [scenario.month_label(m) for m in range(scenario.months)].index(move.month)
        assert 1 <= move.people <= 2
        assert move.people <= l1[month]["full_speed_staying"] + 1e-6
    rows = balanced_rows(scenario, plan)
    for row in rows:
        d = {k: Decimal(row[k]) for k in CSV_COLUMNS[2:]}
        assert (
            d["headcount_end"]
            == d["headcount_start"] + d["hires"] - d["leavers"] - d["moved_out"] + d["moved_in"]
        )


def test_a_lookahead_plan_keeps_only_the_horizons_decisions_and_still_adds_up():
    document = small_document()
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30, lookahead=4)
    months = {scenario.month_label(m) for m in range(scenario.months)}
    assert len(plan.figures) == scenario.months * len(scenario.groups)
    assert {i.month for i in plan.intakes} <= months
    check_classes(document, plan)
    check_against_recount(document, plan)


def test_new_hires_leave_at_their_first_year_rate():
    document = small_document()
    document["months"] = 15
    for group in document["groups"]:
        group["required_fte"] = group["required_fte"] + [group["required_fte"][-1]] * 6
    document["hiring"][0]["first_year_attrition"] = 0.09
    scenario = parse_scenario(document)
    plan = solve(scenario, time_limit=30)
    assert plan.intakes
    check_classes(document, plan)
    check_against_recount(document, plan)  # leavers, headcounts and output with the newcomers' own rate
    calm = small_document()
    calm["months"], calm["groups"] = document["months"], document["groups"]
    same_hires = recount(calm, hires_of(plan, scenario))
    assert sum(r["leavers"] for r in recount(document, hires_of(plan, scenario))) > sum(
        r["leavers"] for r in same_hires
    )
