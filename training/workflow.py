"""The two approval workflows as pure state machines: evidence and promotions.

Evidence (a self-assessment, a manager's assessment, a certificate scan) is submitted by the agent or HR
and validated or rejected by HR; a rejected piece may be submitted again. A promotion is proposed by HR
and approved or rejected by HR. Each step checks who may take it and returns an append-only log entry;
the caller stores the entry and the new state. Rejections need a reason: the agent has to read it.
An approved promotion also says what it changes: the level, and the queue skills the new level unlocks
(see `training.skills`), both from its effective date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from training.catalogue import Catalogue
from training.eligibility import Eligibility, eligibility
from training.records import AgentRecord, LevelHeld
from training.skills import SkillChange, SkillRule, skill_changes

ROLES = ("agent", "hr", "admin")


class WorkflowError(ValueError):
    """A transition that the workflow does not have (the message names the state)."""


class NotAllowed(WorkflowError):
    """A transition that exists, taken by someone who may not take it."""


@dataclass(frozen=True)
class Actor:
    """Who acts. `agent_id`: the agent this user is, if any (an agent acts only on their own records)."""

    user: str
    roles: frozenset[str]
    agent_id: str | None = None


@dataclass(frozen=True)
class LogEntry:
    """One line of the append-only history of a workflow item."""

    workflow: str
    subject: str  # the item, e.g. "evidence 17" or "promotion 4"
    by: str
    role: str  # the role that permitted the step
    at: dt.datetime
    from_state: str | None  # None: the item is created by this step
    to_state: str
    note: str = ""


@dataclass(frozen=True)
class Workflow:
    """States and the roles allowed to take each transition (from_state None creates the item)."""

    name: str
    transitions: Mapping[tuple[str | None, str], frozenset[str]]
    needs_note: frozenset[str] = frozenset()  # target states that need a note (a reason)

    @property
    def states(self) -> list[str]:
        return sorted({s for pair in self.transitions for s in pair if s is not None})

    def next_states(self, state: str | None) -> list[str]:
        return sorted(to for (frm, to) in self.transitions if frm == state)

    def transition(self, subject: str, state: str | None, to: str, actor: Actor, at: dt.datetime,
                   owner: str | None = None, note: str = "") -> LogEntry:
        """Check and record one step. `owner`: the agent the item belongs to (for the agent role)."""
        if (state, to) not in self.transitions:
            here = "a new item" if state is None else f"state {state!r}"
            onward = self.next_states(state)
            allowed = f"it can go to {', '.join(map(repr, onward))}" if onward else "it is final"
            if state is not None and state not in self.states:
                raise WorkflowError(f"{self.name}: unknown state {state!r} (states: {', '.join(self.states)})")
            raise WorkflowError(f"{self.name}: cannot go from {here} to {to!r}; from {here} {allowed}")
        permitted = self.transitions[(state, to)]
        role = _permitting_role(actor, permitted, owner)
        if role is None:
            raise NotAllowed(
                f"{self.name}: {actor.user} ({', '.join(sorted(actor.roles)) or 'no role'}) may not move "
                f"{'a new item' if state is None else repr(state)} to {to!r}; allowed: {', '.join(sorted(permitted))}"
                + (" (an agent only for their own)" if "agent" in permitted else "")
            )
        if to in self.needs_note and not note.strip():
            raise WorkflowError(f"{self.name}: moving to {to!r} needs a note saying why")
        return LogEntry(self.name, subject, actor.user, role, at, state, to, note)


def _permitting_role(actor: Actor, permitted: frozenset[str], owner: str | None) -> str | None:
    for role in ("admin", "hr", "agent"):  # the strongest role the actor has that may do it
        if role in actor.roles and role in permitted:
            if role == "agent" and (actor.agent_id is None or actor.agent_id != owner):
                continue
            return role
    return None


STAFF = frozenset({"hr", "admin"})
ANYONE = frozenset({"agent", "hr", "admin"})

EVIDENCE = Workflow(
    name="evidence",
    transitions={
        (None, "submitted"): ANYONE,
        ("submitted", "validated"): STAFF,
        ("submitted", "rejected"): STAFF,
        ("rejected", "submitted"): ANYONE,
    },
    needs_note=frozenset({"rejected"}),
)

PROMOTION = Workflow(
    name="promotion",
    transitions={
        (None, "proposed"): STAFF,
        ("proposed", "approved"): STAFF,
        ("proposed", "rejected"): STAFF,
    },
    needs_note=frozenset({"rejected"}),
)


def current_state(log: Sequence[LogEntry]) -> str | None:
    """The state an item is in after its log (None: no entries)."""
    return log[-1].to_state if log else None


@dataclass(frozen=True)
class PromotionProposal:
    agent_id: str
    field: str
    to_level: int
    effective_from: dt.date


def propose_promotion(proposal: PromotionProposal, actor: Actor, at: dt.datetime, record: AgentRecord,
                      cat: Catalogue, note: str = "") -> tuple[LogEntry, Eligibility]:
    """Open a promotion: the log entry and the eligibility on the effective date, for the approver to read.

    A proposal need not be eligible (HR may decide otherwise, with a note), but it must name a level that
    exists and is above the one the agent holds on the effective date.
    """
    if record.agent_id != proposal.agent_id:
        raise WorkflowError(f"promotion: record is {record.agent_id!r}, proposal is for {proposal.agent_id!r}")
    if proposal.field not in cat.fields:
        raise WorkflowError(f"promotion: field: unknown field {proposal.field!r}")
    top = cat.fields[proposal.field].ladder.top
    if not 1 <= proposal.to_level <= top:
        raise WorkflowError(f"promotion: to_level: {proposal.field} has levels 1..{top}, not {proposal.to_level}")
    held = record.level_on(proposal.field, proposal.effective_from)
    if proposal.to_level <= held:
        raise WorkflowError(f"promotion: to_level: {proposal.agent_id} already holds {proposal.field} level {held} "
                            f"on {proposal.effective_from.isoformat()}")
    entry = PROMOTION.transition(f"promotion of {proposal.agent_id}", None, "proposed", actor, at,
                                 owner=proposal.agent_id, note=note)
    level = cat.level(proposal.field, proposal.to_level)
    return entry, eligibility(record, level, proposal.effective_from, cat)


@dataclass(frozen=True)
class PromotionOutcome:
    log: LogEntry
    level_change: LevelHeld  # the new entry for the agent's level history
    from_level: int
    skill_changes: tuple[SkillChange, ...]  # queue skills gained or raised, from the effective date


def approve_promotion(proposal: PromotionProposal, state: str | None, actor: Actor, at: dt.datetime,
                      record: AgentRecord, rules: Iterable[SkillRule], note: str = "") -> PromotionOutcome:
    """Approve a proposed promotion: the log entry, the level entry to store, and the skills it unlocks.

    The skill changes compare the agent's roster skills on the effective date without and with the new
    level, so the roster may use them from that date and not a day before.
    """
    if record.agent_id != proposal.agent_id:
        raise WorkflowError(f"promotion: record is {record.agent_id!r}, proposal is for {proposal.agent_id!r}")
    entry = PROMOTION.transition(f"promotion of {proposal.agent_id}", state, "approved", actor, at,
                                 owner=proposal.agent_id, note=note)
    level = LevelHeld(proposal.field, proposal.to_level, proposal.effective_from)
    before = record.level_on(proposal.field, proposal.effective_from)
    after = replace(record, levels=record.levels + (level,))
    rules = list(rules)
    return PromotionOutcome(entry, level, before, tuple(skill_changes(record, after, proposal.effective_from, rules)))
