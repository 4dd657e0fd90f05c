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

from scheduling.text import Sentence
from training.catalogue import Catalogue
from training.eligibility import Eligibility, eligibility
from training.records import AgentRecord, LevelHeld
from training.skills import SkillChange, SkillRule, skill_changes

ROLES = ("agent", "hr", "admin")

# The workflows' items and states in words a page can translate (`scheduling.text.Sentence`).
WORDS = {
    "evidence": Sentence("evidence"),
    "promotion": Sentence("promotion"),
    "application": Sentence("application"),
    "submitted": Sentence("submitted"),
    "validated": Sentence("validated"),
    "rejected": Sentence("rejected"),
    "proposed": Sentence("proposed"),
    "approved": Sentence("approved"),
    "applied": Sentence("applied"),
    "shortlisted": Sentence("shortlisted"),
    "offered": Sentence("offered"),
    "accepted": Sentence("accepted"),
    "declined": Sentence("declined"),
    "not taken": Sentence("not taken"),
    "withdrawn": Sentence("withdrawn"),
}


def _word(code: str | None) -> str:
    return WORDS.get(code or "", code or "")


def _joined(parts: Sequence[str], separator: str) -> Sentence:
    """Sentences joined ("a; b"), each still translatable: the template only places them."""
    values = {f"part{i}": part for i, part in enumerate(parts)}
    return Sentence(separator.join(f"%(part{i})s" for i in range(len(parts))), **values)


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

    def transition(
        self,
        subject: str,
        state: str | None,
        to: str,
        actor: Actor,
        at: dt.datetime,
        owner: str | None = None,
        note: str = "",
    ) -> LogEntry:
        """Check and record one step. `owner`: the agent the item belongs to (for the agent role)."""
        if (state, to) not in self.transitions:
            if state is not None and state not in self.states:
                raise WorkflowError(
                    f"This {self.name} is in an unknown state {state!r} (states: {', '.join(self.states)})."
                )
            onward = self.next_states(state)
            if state is None:
                raise WorkflowError(f"A new {self.name} starts as {' or '.join(onward)}, not {to}.")
            item, now, wanted = _word(self.name), _word(state), _word(to)
            if not onward:
                raise WorkflowError(
                    Sentence(
                        "This %(item)s is %(state)s and cannot become %(to)s: the decision is final.",
                        item=item,
                        state=now,
                        to=wanted,
                    )
                )
            raise WorkflowError(
                Sentence(
                    "This %(item)s is %(state)s and cannot become %(to)s: it can become %(onward)s.",
                    item=item,
                    state=now,
                    to=wanted,
                    onward=_joined([_word(o) for o in onward], " or "),
                )
            )
        permitted = self.transitions[(state, to)]
        role = _permitting_role(actor, permitted, owner)
        if role is None:
            who = " or ".join(
                {"hr": "HR", "admin": "an admin", "agent": "the agent"}[r] for r in sorted(permitted)
            )
            raise NotAllowed(
                f"{actor.user} (as {', '.join(sorted(actor.roles)) or 'no role'}) may not move this "
                f"{self.name} from {state or 'new'} to {to}: only {who} may"
                + (" (an agent only for their own)." if "agent" in permitted else ".")
            )
        if to in self.needs_note and not note.strip():
            raise WorkflowError(
                Sentence(
                    "Say why in the note: a %(item)s that is %(state)s needs a note saying why.",
                    item=_word(self.name),
                    state=_word(to),
                )
            )
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


class ProposalRefused(WorkflowError):
    """A promotion that cannot be (a date before the hire, a rung skipped, not eligible without a reason):
    `field` names the form field at fault, the message says why in words a person reads."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _check_rung(proposal: PromotionProposal, record: AgentRecord, cat: Catalogue) -> None:
    """The rung must exist, be the next one above what the agent holds on the effective date, and that date
    must fall while the agent is employed (a promotion dated before the hire is impossible)."""
    if proposal.field not in cat.fields:
        raise ProposalRefused("field", "Choose one of the career fields.")
    field = cat.fields[proposal.field]
    top = field.ladder.top
    if not 1 <= proposal.to_level <= top:
        raise ProposalRefused("to_level", f"{field.name} has levels 1 to {top}.")
    on = proposal.effective_from
    if on < record.hire_date:
        raise ProposalRefused(
            "effective_from",
            f"A promotion cannot take effect before the hire date ({record.hire_date.isoformat()}).",
        )
    if record.leaving_date is not None and on > record.leaving_date:
        raise ProposalRefused(
            "effective_from",
            Sentence(
                "A promotion cannot take effect after the last working day (%(day)s).",
                day=record.leaving_date.isoformat(),
            ),
        )
    held = record.level_on(proposal.field, on)
    if proposal.to_level <= held:
        raise ProposalRefused(
            "to_level",
            Sentence(
                "On %(day)s the agent already holds %(field)s level %(held)s (%(title)s).",
                day=on.isoformat(),
                field=field.name,
                held=held,
                title=field.ladder.level(held).title,
            ),
        )
    if proposal.to_level > held + 1:
        now = (
            Sentence("level %(held)s (%(title)s)", held=held, title=field.ladder.level(held).title)
            if held
            else Sentence("no level yet")
        )
        nxt = field.ladder.level(held + 1)
        raise ProposalRefused(
            "to_level",
            Sentence(
                "One level at a time: on %(day)s the agent holds %(now)s in %(field)s, so the next promotion "
                "is to level %(number)s (%(title)s).",
                day=on.isoformat(),
                now=now,
                field=field.name,
                number=nxt.number,
                title=nxt.title,
            ),
        )


def _check_eligible(verdict: Eligibility, override: str, cat: Catalogue) -> None:
    if verdict.eligible or override.strip():
        return
    raise ProposalRefused(
        "override",
        Sentence(
            "Not eligible on %(day)s: %(missing)s. To promote anyway, give the reason for the exception; "
            "another person must approve it.",
            day=verdict.on.isoformat(),
            missing=_joined([c.detail for c in verdict.missing], "; "),
        ),
    )


def propose_promotion(
    proposal: PromotionProposal,
    actor: Actor,
    at: dt.datetime,
    record: AgentRecord,
    cat: Catalogue,
    note: str = "",
    override: str = "",
) -> tuple[LogEntry, Eligibility]:
    """Open a promotion: the log entry and the eligibility on the effective date, for the approver to read.

    The rung must be the next one above the level held on the effective date, dated while the agent is
    employed. A proposal that is not eligible is refused unless it records `override`, the reason for the
    exception (which someone other than the proposer must then approve, see `approve_promotion`).
    """
    if record.agent_id != proposal.agent_id:
        raise WorkflowError(
            f"promotion: record is {record.agent_id!r}, proposal is for {proposal.agent_id!r}"
        )
    entry = PROMOTION.transition(
        f"promotion of {proposal.agent_id}", None, "proposed", actor, at, owner=proposal.agent_id, note=note
    )
    _check_rung(proposal, record, cat)
    verdict = eligibility(record, cat.level(proposal.field, proposal.to_level), proposal.effective_from, cat)
    _check_eligible(verdict, override, cat)
    return entry, verdict


@dataclass(frozen=True)
class PromotionOutcome:
    log: LogEntry
    level_change: LevelHeld  # the new entry for the agent's level history
    from_level: int
    skill_changes: tuple[SkillChange, ...]  # queue skills gained or raised, from the effective date


def approve_promotion(
    proposal: PromotionProposal,
    state: str | None,
    actor: Actor,
    at: dt.datetime,
    record: AgentRecord,
    rules: Iterable[SkillRule],
    note: str = "",
    *,
    proposed_by: str | None = None,
    cat: Catalogue | None = None,
    override: str = "",
) -> PromotionOutcome:
    """Approve a proposed promotion: the log entry, the level entry to store, and the skills it unlocks.

    Four eyes: whoever proposed it (`proposed_by`) may not approve it. With the catalogue, the rung and the
    dates are checked again on the record as it is now (another promotion may have been approved since), and
    so is eligibility, unless the proposal recorded an `override` reason.
    The skill changes compare the agent's roster skills on the effective date without and with the new
    level, so the roster may use them from that date and not a day before.
    """
    if record.agent_id != proposal.agent_id:
        raise WorkflowError(
            f"promotion: record is {record.agent_id!r}, proposal is for {proposal.agent_id!r}"
        )
    entry = PROMOTION.transition(
        f"promotion of {proposal.agent_id}", state, "approved", actor, at, owner=proposal.agent_id, note=note
    )
    if proposed_by is not None and actor.user == proposed_by:
        raise NotAllowed(
            "The person who proposed a promotion may not approve it: another member of HR or an admin must."
        )
    if cat is not None:
        _check_rung(proposal, record, cat)
        _check_eligible(
            eligibility(record, cat.level(proposal.field, proposal.to_level), proposal.effective_from, cat),
            override,
            cat,
        )
    level = LevelHeld(proposal.field, proposal.to_level, proposal.effective_from)
    before = record.level_on(proposal.field, proposal.effective_from)
    after = replace(record, levels=(*record.levels, level))
    rules = list(rules)
    return PromotionOutcome(
        entry, level, before, tuple(skill_changes(record, after, proposal.effective_from, rules))
    )
