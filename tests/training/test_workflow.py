import dataclasses
import datetime as dt

import pytest

from training.defaults import default_catalogue
from training.records import AgentRecord, CompetencyAssessment, LevelHeld
from training.skills import SkillChange, default_skill_rules, roster_skills
from training.workflow import (
    EVIDENCE,
    PROMOTION,
    Actor,
    NotAllowed,
    PromotionProposal,
    ProposalRefused,
    WorkflowError,
    approve_promotion,
    current_state,
    propose_promotion,
)

AT = dt.datetime(2026, 3, 2, 10, 30)
OWN = Actor("noa", frozenset({"agent"}), agent_id="a1")
OTHER_AGENT = Actor("avi", frozenset({"agent"}), agent_id="a2")
HR = Actor("hana", frozenset({"hr"}))
ADMIN = Actor("ada", frozenset({"admin"}))
ACTORS = {"own agent": OWN, "other agent": OTHER_AGENT, "hr": HR, "admin": ADMIN}

# (workflow, from, to) -> who may take it; every other pair of states is not a transition at all
ALLOWED = {
    ("evidence", None, "submitted"): {"own agent", "hr", "admin"},
    ("evidence", "submitted", "validated"): {"hr", "admin"},
    ("evidence", "submitted", "rejected"): {"hr", "admin"},
    ("evidence", "rejected", "submitted"): {"own agent", "hr", "admin"},
    ("promotion", None, "proposed"): {"hr", "admin"},
    ("promotion", "proposed", "approved"): {"hr", "admin"},
    ("promotion", "proposed", "rejected"): {"hr", "admin"},
}
WORKFLOWS = {"evidence": EVIDENCE, "promotion": PROMOTION}


@pytest.mark.parametrize(
    ("name", "frm", "to", "who"), [(w, f, t, who) for (w, f, t) in ALLOWED for who in ACTORS]
)
def test_each_transition_is_allowed_to_exactly_the_right_people(name, frm, to, who):
    actor, workflow = ACTORS[who], WORKFLOWS[name]
    if who in ALLOWED[(name, frm, to)]:
        entry = workflow.transition("item 1", frm, to, actor, AT, owner="a1", note="checked")
        assert (entry.by, entry.at, entry.from_state, entry.to_state, entry.note) == (
            actor.user,
            AT,
            frm,
            to,
            "checked",
        )
        assert entry.role in actor.roles
        assert entry.workflow == workflow.name
    else:
        with pytest.raises(NotAllowed, match=f"{actor.user} .* may not move"):
            workflow.transition("item 1", frm, to, actor, AT, owner="a1", note="checked")


@pytest.mark.parametrize(
    ("name", "frm", "to"),
    [
        (n, f, t)
        for n, w in WORKFLOWS.items()
        for f in [None, *w.states]
        for t in w.states
        if (n, f, t) not in ALLOWED
    ],
)
def test_every_other_transition_is_refused_naming_the_state(name, frm, to):
    workflow = WORKFLOWS[name]
    with pytest.raises(WorkflowError) as caught:
        workflow.transition("item 1", frm, to, ADMIN, AT, owner="a1", note="n")
    assert not isinstance(caught.value, NotAllowed)
    said = (
        f"A new {workflow.name} starts as"
        if frm is None
        else f"This {workflow.name} is {frm} and cannot become {to}"
    )
    # in words, no quoted codes
    assert said in str(caught.value)
    assert "'" not in str(caught.value)


def test_the_states_are_the_documented_ones():
    assert EVIDENCE.states == ["rejected", "submitted", "validated"]
    assert PROMOTION.states == ["approved", "proposed", "rejected"]
    assert PROMOTION.next_states("approved") == []


def test_final_and_unknown_states_say_so():
    with pytest.raises(WorkflowError, match="is validated and cannot become rejected: the decision is final"):
        EVIDENCE.transition("e", "validated", "rejected", HR, AT, note="late")
    with pytest.raises(WorkflowError, match="unknown state 'approved'"):
        EVIDENCE.transition("e", "approved", "validated", HR, AT)


def test_rejection_needs_a_reason():
    with pytest.raises(WorkflowError, match="needs a note"):
        EVIDENCE.transition("e", "submitted", "rejected", HR, AT, note="  ")
    with pytest.raises(WorkflowError, match="needs a note"):
        PROMOTION.transition("p", "proposed", "rejected", HR, AT)
    assert EVIDENCE.transition("e", "submitted", "validated", HR, AT).note == ""


def test_a_log_replays_to_its_state_and_roles_are_combined():
    both = Actor("dana", frozenset({"agent", "hr"}), agent_id="a9")
    log = [EVIDENCE.transition("e", None, "submitted", OWN, AT, owner="a1")]
    log.append(
        EVIDENCE.transition("e", current_state(log), "rejected", both, AT, owner="a1", note="blurry scan")
    )
    log.append(EVIDENCE.transition("e", current_state(log), "submitted", OWN, AT, owner="a1"))
    assert [e.to_state for e in log] == ["submitted", "rejected", "submitted"]
    assert log[1].role == "hr"
    assert current_state(log) == "submitted"
    assert current_state([]) is None


def priority_candidate() -> AgentRecord:
    return AgentRecord(
        "a1",
        dt.date(2022, 1, 3),
        "high_end_service",
        levels=(LevelHeld("basic_service", 2, dt.date(2023, 1, 1)),),
        assessments=(
            CompetencyAssessment("customer_communication", 3, dt.date(2023, 1, 1)),
            CompetencyAssessment("product_knowledge", 3, dt.date(2023, 1, 1)),
            CompetencyAssessment("investment_advice", 2, dt.date(2024, 5, 1)),
        ),
        quality_score=87,
    )


def test_promotion_proposed_then_approved_moves_level_and_skills_from_the_effective_date():
    cat, rules = default_catalogue(), default_skill_rules()
    record = priority_candidate()
    proposal = PromotionProposal("a1", "high_end_service", 1, dt.date(2026, 4, 1))
    with pytest.raises(
        ProposalRefused,
        match="Not eligible on 2026-04-01: "
        "certification Anti-money-laundering certificate \\(AML\\) not held",
    ) as refused:
        propose_promotion(proposal, HR, AT, record, cat, note="ready")
    assert refused.value.field == "override"
    entry, verdict = propose_promotion(proposal, HR, AT, record, cat, note="ready", override="AML booked")
    # the AML certificate is missing
    assert entry.to_state == "proposed"
    assert verdict.eligible is False
    assert [c.subject for c in verdict.missing] == ["AML"]

    outcome = approve_promotion(
        proposal,
        entry.to_state,
        ADMIN,
        AT,
        record,
        rules,
        note="AML booked",
        proposed_by=HR.user,
        cat=cat,
        override="AML booked",
    )
    assert outcome.log.to_state == "approved"
    assert outcome.log.by == "ada"
    assert outcome.level_change == LevelHeld("high_end_service", 1, dt.date(2026, 4, 1))
    assert outcome.from_level == 0
    assert outcome.skill_changes == (SkillChange("Priority service", 0, 3, dt.date(2026, 4, 1)),)
    promoted = dataclasses.replace(record, levels=(*record.levels, outcome.level_change))
    assert "Priority service" not in roster_skills(promoted, dt.date(2026, 3, 31), rules)
    assert roster_skills(promoted, dt.date(2026, 4, 1), rules)["Priority service"] == 3


def test_promotion_cannot_be_approved_twice_or_by_an_agent():
    record = priority_candidate()
    proposal = PromotionProposal("a1", "high_end_service", 1, dt.date(2026, 4, 1))
    with pytest.raises(WorkflowError, match="is approved and cannot become approved"):
        approve_promotion(proposal, "approved", HR, AT, record, default_skill_rules())
    with pytest.raises(NotAllowed):
        approve_promotion(proposal, "proposed", OWN, AT, record, default_skill_rules())


@pytest.mark.parametrize(
    ("field", "level", "on", "at_fault", "message"),
    [
        (
            "high_end_service",
            4,
            dt.date(2026, 4, 1),
            "to_level",
            "High-end client service .* has levels 1 to 3",
        ),
        (
            "basic_service",
            2,
            dt.date(2026, 4, 1),
            "to_level",
            r"already holds Basic customer service level 2 \(Senior associate\)",
        ),
        ("astronaut", 1, dt.date(2026, 4, 1), "field", "Choose one of the career fields"),
        (
            "high_end_service",
            2,
            dt.date(2026, 4, 1),
            "to_level",
            r"One level at a time: .* holds no level yet .* level 1 \(Client adviser\)",
        ),
        ("basic_service", 4, dt.date(2026, 4, 1), "to_level", "One level at a time"),
        (
            "high_end_service",
            1,
            dt.date(2022, 1, 2),
            "effective_from",
            "before the hire date \\(2022-01-03\\)",
        ),
    ],
)
def test_proposals_must_name_the_next_rung_on_a_possible_date(field, level, on, at_fault, message):
    proposal = PromotionProposal("a1", field, level, on)
    with pytest.raises(ProposalRefused, match=message) as caught:
        propose_promotion(proposal, HR, AT, priority_candidate(), default_catalogue(), override="exception")
    # no codes
    assert caught.value.field == at_fault
    assert "_" not in str(caught.value)


def test_the_proposer_may_not_approve_and_approval_checks_again():
    cat, record = default_catalogue(), priority_candidate()
    proposal = PromotionProposal("a1", "high_end_service", 1, dt.date(2026, 4, 1))
    with pytest.raises(NotAllowed, match="proposed a promotion may not approve it"):
        approve_promotion(
            proposal,
            "proposed",
            HR,
            AT,
            record,
            default_skill_rules(),
            proposed_by=HR.user,
            cat=cat,
            override="AML booked",
        )
    with pytest.raises(ProposalRefused, match="Not eligible"):  # the exception was not recorded
        approve_promotion(
            proposal, "proposed", ADMIN, AT, record, default_skill_rules(), proposed_by=HR.user, cat=cat
        )
    promoted = dataclasses.replace(
        record, levels=(*record.levels, LevelHeld("high_end_service", 1, dt.date(2026, 3, 1)))
    )
    with pytest.raises(ProposalRefused, match="already holds High-end client service"):  # approved meanwhile
        approve_promotion(
            proposal,
            "proposed",
            ADMIN,
            AT,
            promoted,
            default_skill_rules(),
            proposed_by=HR.user,
            cat=cat,
            override="AML booked",
        )
