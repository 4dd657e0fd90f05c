"""Who a freed agent takes: priority order against longest waiting, live work before deferred work, and a
contact's own order of groups."""

from __future__ import annotations

import numpy as np

from scheduling.simulate import read_scenario, trace


def two_types(policy: str) -> dict:
    # One agent serving ["urgent", "normal"]. Busy with a normal call 0-100; a normal caller comes at 10,
    # an urgent one at 20. Priority: urgent at 100 (until 130), then normal at 130.
    # Longest waiting: the normal caller (waiting since 10) at 100 (until 130), then urgent at 130.
    return {
        "period_minutes": 10,
        "periods": 1,
        "agent_selects": policy,
        "contact_types": [
            {"name": "urgent", "arrival_seconds": [20], "handle_seconds": [30], "patience": None},
            {"name": "normal", "arrival_seconds": [0, 10], "handle_seconds": [100, 30], "patience": None},
        ],
        "agent_groups": [{"name": "all", "agents_per_period": 1, "serves": ["urgent", "normal"]}],
    }


def starts_by_arrival(scenario: dict) -> dict[float, float]:
    done = trace(read_scenario(scenario))
    return dict(zip(done.arrival.tolist(), done.start.tolist(), strict=True))


def test_priority_takes_the_first_queue_in_the_groups_order():
    assert starts_by_arrival(two_types("priority")) == {0: 0, 10: 130, 20: 100}


def test_longest_waiting_takes_the_oldest_contact():
    assert starts_by_arrival(two_types("longest_waiting")) == {0: 0, 10: 100, 20: 130}


def test_back_office_waits_until_no_live_contact_waits_and_goes_earliest_deadline_first():
    # One agent busy with a call 0-100. Waiting at 100: a call (at 50) and two work items, "loans" (at 5,
    # deadline 1000 s → due 1005) and "cards" (at 30, deadline 200 s → due 230). The call goes first
    # (100-110), then cards, due earlier though it came later (110-120), then loans (120-130).
    scenario = {
        "period_minutes": 60,
        "periods": 1,
        "contact_types": [
            {"name": "calls", "arrival_seconds": [0, 50], "handle_seconds": [100, 10], "patience": None},
            {
                "name": "loans",
                "channel": "back_office",
                "deadline_seconds": 1000,
                "arrival_seconds": [5],
                "handle_seconds": [10],
            },
            {
                "name": "cards",
                "channel": "back_office",
                "deadline_seconds": 200,
                "arrival_seconds": [30],
                "handle_seconds": [10],
            },
        ],
        "agent_groups": [{"name": "all", "agents_per_period": 1, "serves": ["loans", "cards", "calls"]}],
    }
    assert starts_by_arrival(scenario) == {0: 0, 5: 120, 30: 110, 50: 100}


def test_a_contact_tries_its_groups_in_its_own_order():
    # Both groups have a free agent; the call goes to the group it lists first.
    scenario = {
        "period_minutes": 10,
        "periods": 1,
        "contact_types": [
            {"name": "calls", "arrival_seconds": [0, 1], "handle_seconds": [60, 60], "groups": ["b", "a"]}
        ],
        "agent_groups": [
            {"name": "a", "agents_per_period": 1, "serves": ["calls"]},
            {"name": "b", "agents_per_period": 1, "serves": ["calls"]},
        ],
    }
    done = trace(read_scenario(scenario))
    assert done.agent.tolist() == [1, 0]  # agents are numbered group by group: a's is 0, b's is 1


def test_chat_agents_hold_several_sessions():
    # Concurrency 3: one agent answers three chats at once, the fourth waits for the first to end.
    scenario = {
        "period_minutes": 10,
        "periods": 1,
        "contact_types": [
            {
                "name": "chat",
                "channel": "chat",
                "concurrency": 3,
                "arrival_seconds": [0, 1, 2, 3],
                "handle_seconds": [100, 100, 100, 100],
            }
        ],
        "agent_groups": [{"name": "a", "agents_per_period": 1, "serves": ["chat"]}],
    }
    assert trace(read_scenario(scenario)).start.tolist() == [0, 1, 2, 100]


def test_voice_needs_a_whole_agent_when_the_agent_also_chats():
    # The agent serves chat (concurrency 2) and voice. A chat from 0 to 100; a call at 10 waits for the
    # chat to end; a second chat at 20 joins the first at once (the agent has a free chat slot).
    scenario = {
        "period_minutes": 10,
        "periods": 1,
        "contact_types": [
            {
                "name": "chat",
                "channel": "chat",
                "concurrency": 2,
                "arrival_seconds": [0, 20],
                "handle_seconds": [100, 50],
            },
            {"name": "voice", "arrival_seconds": [10], "handle_seconds": [30], "patience": None},
        ],
        "agent_groups": [{"name": "a", "agents_per_period": 1, "serves": ["voice", "chat"]}],
    }
    assert starts_by_arrival(scenario) == {0: 0, 10: 100, 20: 20}
    assert not np.isnan(trace(read_scenario(scenario)).start).any()
