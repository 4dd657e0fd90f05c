"""A capacity scenario: the groups, their demand and supply, the flows between them and the hiring classes.

Read from plain data (the CLI's JSON, or what the pages build from the live centre) and checked eagerly:
every refusal is a `ScenarioError` naming the field by its path in the document
(`groups[1].monthly_attrition`), so a planner can find and fix it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

MAX_MONTHS = 60
MAX_HEADCOUNT = 1_000_000
MAX_RATE = 1.0
MAX_MONEY = 1e9
MAX_TRAINING_MONTHS = 24
MAX_CLASSES_PER_MONTH = 20
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ScenarioError(ValueError):
    """A bad scenario value; `field` is its path in the scenario document."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Group:
    """A workforce group (a career field and level, or a skill group) and its demand."""

    name: str
    headcount: float
    required_fte: tuple[float, ...]
    monthly_attrition: float
    salary_per_month: float
    productivity: float = 1.0


@dataclass(frozen=True)
class Flow:
    """People moving from one group to another each month (promotions, moves): a share of the group."""

    source: str
    target: str
    monthly_rate: float


@dataclass(frozen=True)
class Hiring:
    """Hiring classes into an entry group: size range, training (no output), ramp to full speed."""

    into: str
    class_min: int
    class_max: int
    training_months: int
    ramp: tuple[float, ...]
    cost_per_hire: float
    max_classes_per_month: int = 1
    first_year_attrition: float | None = None  # monthly, for hires in their first 12 months


@dataclass(frozen=True)
class Move:
    """Cross-training moves the plan may decide: up to `max_per_month` experienced people a month from one
    group to another (at the month's end, at full speed in the new group), at `cost_per_move` each."""

    source: str
    target: str
    max_per_month: int
    cost_per_move: float


@dataclass(frozen=True)
class Overtime:
    max_share: float = 0.0
    cost_factor: float = 1.5


@dataclass(frozen=True)
class Scenario:
    start_year: int
    start_month: int
    months: int
    groups: tuple[Group, ...]
    flows: tuple[Flow, ...] = ()
    hiring: tuple[Hiring, ...] = ()
    shortfall_cost_per_fte_month: float = 0.0
    overtime: Overtime = field(default_factory=Overtime)
    moves: tuple[Move, ...] = ()

    @property
    def start(self) -> str:
        return f"{self.start_year:04d}-{self.start_month:02d}"

    def month_label(self, index: int) -> str:
        """'YYYY-MM' of the plan's month `index` (0 is the start)."""
        year, month = divmod(self.start_year * 12 + self.start_month - 1 + index, 12)
        return f"{year:04d}-{month + 1:02d}"

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)

    def survival(self, name: str) -> float:
        """Share of a group still in it after a month: neither left nor moved out."""
        group = self.group(name)
        return 1.0 - group.monthly_attrition - sum(f.monthly_rate for f in self.flows if f.source == name)


def month_name(label: str) -> str:
    """'2027-03' -> 'March 2027'."""
    year, month = label.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def parse_scenario(document: object) -> Scenario:
    """The scenario in `document` (the JSON's object), checked: a `ScenarioError` names a bad field."""
    doc = _object(document, "(document)")
    _known(doc, "(document)", SCENARIO_KEYS)
    start = doc.get("start")
    match = MONTH.match(start) if isinstance(start, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ScenarioError("start", f"must be a month written YYYY-MM, got {_shown(start)}")
    months = _integer(doc.get("months"), "months", 1, MAX_MONTHS)
    groups = _groups(doc.get("groups"), months)
    names = {g.name for g in groups}
    flows = _flows(doc.get("flows", []), names)
    hiring = _hirings(doc.get("hiring", []), names)
    shortfall = _number(doc.get("shortfall_cost_per_fte_month"), "shortfall_cost_per_fte_month", 0, MAX_MONEY)
    overtime = _overtime(doc.get("overtime", {}))
    moves = _moves(doc.get("moves", []), names)
    scenario = Scenario(
        int(match.group(1)), int(match.group(2)), months, groups, flows, hiring, shortfall, overtime, moves
    )
    for index, pipeline in enumerate(scenario.hiring):
        flows_out = 1.0 - scenario.survival(pipeline.into) - scenario.group(pipeline.into).monthly_attrition
        rate = pipeline.first_year_attrition
        if rate is not None and rate + flows_out > 1.0 + 1e-12:
            raise ScenarioError(
                f"hiring[{index}].first_year_attrition",
                f"with the flows out of {pipeline.into} it adds up to more than the whole class each month",
            )
    for index, group in enumerate(groups):
        if scenario.survival(group.name) < -1e-12:
            raise ScenarioError(
                f"groups[{index}].monthly_attrition",
                f"attrition and the flows out of {group.name} add up to more than the whole group each month",
            )
    return scenario


SCENARIO_KEYS = {
    "start",
    "months",
    "groups",
    "flows",
    "hiring",
    "shortfall_cost_per_fte_month",
    "overtime",
    "moves",
    "name",
    "description",
}
GROUP_KEYS = {"name", "headcount", "required_fte", "monthly_attrition", "salary_per_month", "productivity"}
FLOW_KEYS = {"from", "to", "monthly_rate"}
HIRING_KEYS = {
    "into",
    "class_min",
    "class_max",
    "training_months",
    "ramp",
    "cost_per_hire",
    "max_classes_per_month",
    "first_year_attrition",
}


def _groups(value: object, months: int) -> tuple[Group, ...]:
    items = _list(value, "groups")
    if not items:
        raise ScenarioError("groups", "must list at least one group")
    groups: list[Group] = []
    for index, item in enumerate(items):
        path = f"groups[{index}]"
        entry = _object(item, path)
        _known(entry, path, GROUP_KEYS)
        name = _name(entry.get("name"), f"{path}.name")
        if any(g.name == name for g in groups):
            raise ScenarioError(f"{path}.name", f"{name!r} is named twice")
        required = _list(entry.get("required_fte"), f"{path}.required_fte")
        if len(required) != months:
            raise ScenarioError(
                f"{path}.required_fte", f"must hold one figure per month ({months}), got {len(required)}"
            )
        groups.append(
            Group(
                name=name,
                headcount=_number(entry.get("headcount"), f"{path}.headcount", 0, MAX_HEADCOUNT),
                required_fte=tuple(
                    _number(v, f"{path}.required_fte[{i}]", 0, MAX_HEADCOUNT) for i, v in enumerate(required)
                ),
                monthly_attrition=_number(entry.get("monthly_attrition"), f"{path}.monthly_attrition", 0, 1),
                salary_per_month=_number(
                    entry.get("salary_per_month"), f"{path}.salary_per_month", 0, MAX_MONEY
                ),
                productivity=_number(entry.get("productivity", 1.0), f"{path}.productivity", 0, 10),
            )
        )
    return tuple(groups)


def _flows(value: object, names: set[str]) -> tuple[Flow, ...]:
    flows: list[Flow] = []
    for index, item in enumerate(_list(value, "flows")):
        path = f"flows[{index}]"
        entry = _object(item, path)
        _known(entry, path, FLOW_KEYS)
        source = _group_name(entry.get("from"), f"{path}.from", names)
        target = _group_name(entry.get("to"), f"{path}.to", names)
        if source == target:
            raise ScenarioError(f"{path}.to", "must be another group than the one people move from")
        flows.append(Flow(source, target, _number(entry.get("monthly_rate"), f"{path}.monthly_rate", 0, 1)))
    return tuple(flows)


def _hirings(value: object, names: set[str]) -> tuple[Hiring, ...]:
    hirings: list[Hiring] = []
    for index, item in enumerate(_list(value, "hiring")):
        path = f"hiring[{index}]"
        entry = _object(item, path)
        _known(entry, path, HIRING_KEYS)
        into = _group_name(entry.get("into"), f"{path}.into", names)
        class_min = _integer(entry.get("class_min"), f"{path}.class_min", 1, MAX_HEADCOUNT)
        class_max = _integer(entry.get("class_max"), f"{path}.class_max", 1, MAX_HEADCOUNT)
        if class_max < class_min:
            raise ScenarioError(
                f"{path}.class_max", f"must be at least class_min ({class_min}), got {class_max}"
            )
        ramp = _list(entry.get("ramp", []), f"{path}.ramp")
        shares = tuple(_number(v, f"{path}.ramp[{i}]", 0, 1) for i, v in enumerate(ramp))
        hirings.append(
            Hiring(
                into=into,
                class_min=class_min,
                class_max=class_max,
                training_months=_integer(
                    entry.get("training_months"), f"{path}.training_months", 0, MAX_TRAINING_MONTHS
                ),
                ramp=shares,
                cost_per_hire=_number(entry.get("cost_per_hire"), f"{path}.cost_per_hire", 0, MAX_MONEY),
                max_classes_per_month=_integer(
                    entry.get("max_classes_per_month", 1),
                    f"{path}.max_classes_per_month",
                    0,
                    MAX_CLASSES_PER_MONTH,
                ),
                first_year_attrition=(
                    None
                    if entry.get("first_year_attrition") is None
                    else _number(entry["first_year_attrition"], f"{path}.first_year_attrition", 0, 1)
                ),
            )
        )
    return tuple(hirings)


def _moves(value: object, names: set[str]) -> tuple[Move, ...]:
    moves: list[Move] = []
    for index, item in enumerate(_list(value, "moves")):
        path = f"moves[{index}]"
        entry = _object(item, path)
        _known(entry, path, {"from", "to", "max_per_month", "cost_per_move"})
        source = _group_name(entry.get("from"), f"{path}.from", names)
        target = _group_name(entry.get("to"), f"{path}.to", names)
        if source == target:
            raise ScenarioError(f"{path}.to", "must be another group than the one people move from")
        if any(m.source == source and m.target == target for m in moves):
            raise ScenarioError(f"{path}.to", f"a move from {source!r} to {target!r} is listed twice")
        moves.append(
            Move(
                source,
                target,
                _integer(entry.get("max_per_month"), f"{path}.max_per_month", 0, MAX_HEADCOUNT),
                _number(entry.get("cost_per_move", 0.0), f"{path}.cost_per_move", 0, MAX_MONEY),
            )
        )
    return tuple(moves)


def _overtime(value: object) -> Overtime:
    entry = _object(value, "overtime")
    _known(entry, "overtime", {"max_share", "cost_factor"})
    return Overtime(
        max_share=_number(entry.get("max_share", 0.0), "overtime.max_share", 0, 1),
        cost_factor=_number(entry.get("cost_factor", 1.5), "overtime.cost_factor", 0, 100),
    )


def _object(value: object, path: str) -> dict:
    if not isinstance(value, dict):
        raise ScenarioError(path, f"must be an object, got {_shown(value)}")
    return value


def _list(value: object, path: str) -> list:
    if not isinstance(value, list):
        raise ScenarioError(path, f"must be a list, got {_shown(value)}")
    return value


def _known(entry: dict, path: str, keys: set[str]) -> None:
    unknown = sorted(str(k) for k in entry if k not in keys)
    if unknown:
        where = "" if path == "(document)" else f"{path}."
        raise ScenarioError(
            f"{where}{unknown[0]}", f"is not a field of this part (expected one of {', '.join(sorted(keys))})"
        )


def _name(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(path, f"must be a non-empty name, got {_shown(value)}")
    if len(value) > 100:
        raise ScenarioError(path, "must be at most 100 characters")
    return value.strip()


def _group_name(value: object, path: str, names: set[str]) -> str:
    name = _name(value, path)
    if name not in names:
        raise ScenarioError(path, f"{name!r} is not one of the groups")
    return name


def _number(value: object, path: str, lowest: float, highest: float) -> float:
    if value is None:
        raise ScenarioError(path, "is required")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScenarioError(path, f"must be a number, got {_shown(value)}")
    if not lowest <= value <= highest:
        raise ScenarioError(path, f"must be between {lowest:g} and {highest:g}, got {value:g}")
    return float(value)


def _integer(value: object, path: str, lowest: int, highest: int) -> int:
    number = _number(value, path, lowest, highest)
    if number != int(number):
        raise ScenarioError(path, f"must be a whole number, got {number:g}")
    return int(number)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
