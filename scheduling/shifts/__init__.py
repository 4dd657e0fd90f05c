"""Shift planning (covering): how many agents start each shift template each day, with breaks placed.

Public API:
    ShiftTemplate, BreakRule, CostRule, SiteLimit, TemplateError      (templates)
    parse_templates(dict), load_templates(path)                        (template_json)
    Requirement, requirement_from_series, requirement_from_records,
    read_requirement_csv(path, column), RequirementError               (requirement)
    plan_shifts(requirement, templates, site_limits, *, cyclic, penalty, time_limit, solver) -> ShiftPlan
    ShiftPlan, PlanRow, BreakTime, IntervalCoverage, on_phones_from_rows (plan)
    write_plan_csv(plan, path)                                         (plan_csv)
"""

from scheduling.shifts.covering import plan_shifts
from scheduling.shifts.plan import BreakTime, IntervalCoverage, PlanRow, ShiftPlan, on_phones_from_rows
from scheduling.shifts.plan_csv import PLAN_COLUMNS, write_plan_csv
from scheduling.shifts.requirement import (
    Requirement,
    RequirementError,
    read_requirement_csv,
    requirement_from_records,
    requirement_from_series,
)
from scheduling.shifts.template_json import load_templates, parse_templates
from scheduling.shifts.templates import BreakRule, CostRule, ShiftTemplate, SiteLimit, TemplateError

__all__ = [
    "PLAN_COLUMNS",
    "BreakRule",
    "BreakTime",
    "CostRule",
    "IntervalCoverage",
    "PlanRow",
    "Requirement",
    "RequirementError",
    "ShiftPlan",
    "ShiftTemplate",
    "SiteLimit",
    "TemplateError",
    "load_templates",
    "on_phones_from_rows",
    "parse_templates",
    "plan_shifts",
    "read_requirement_csv",
    "requirement_from_records",
    "requirement_from_series",
    "write_plan_csv",
]
