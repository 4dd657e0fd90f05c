"""The event loop of one replication, compiled by numba.

Three kinds of event, each read from a sorted source: the next arrival (contacts come sorted by arrival),
the next end of a contact (a binary heap keyed by end time) and the next change in an agent's
availability (a sorted list of on/off moments). Waiting contacts sit in one first-come queue per contact
type; a contact that hangs up is not an event: it is dropped when it reaches the head of its queue after
its moment to give up has passed, which is the same outcome because a contact can only be answered from
the head. At equal times a change in availability goes first (an agent whose break starts as a contact
ends takes no other), then an ending contact, then an arrival.

Agents hold `capacity` units; a contact of a type with concurrency c takes capacity / c of them, so a voice
call fills an agent and a chat agent holds c chats. An agent with free units and on shift sits in its
group's free list. A freed agent chooses among the live (voice, chat, video) types it serves, either the
head of the first non-empty queue in its group's order (`priority`) or the head that has waited longest
(`longest_waiting`); deferred work (email, back office) only when none of those waits, earliest deadline
first. An agent going off shift in a contact finishes it and takes nothing more.

The loop stops when there are no arrivals left, nobody is in a contact and nobody waits; contacts still
waiting when no agent will ever come back are left unanswered (the caller counts them as abandoned).
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.inf


@njit(cache=True, nogil=True)
def _heap_push(times, items, size, t, item):
    k = size[0]
    size[0] = k + 1
    while k > 0:
        parent = (k - 1) >> 1
        if times[parent] <= t:
            break
        times[k] = times[parent]
        items[k] = items[parent]
        k = parent
    times[k] = t
    items[k] = item


@njit(cache=True, nogil=True)
def _heap_pop(times, items, size):
    top = items[0]
    n = size[0] - 1
    size[0] = n
    if n == 0:
        return top
    t = times[n]
    item = items[n]
    k = 0
    while True:
        child = 2 * k + 1
        if child >= n:
            break
        if child + 1 < n and times[child + 1] < times[child]:
            child += 1
        if times[child] >= t:
            break
        times[k] = times[child]
        items[k] = items[child]
        k = child
    times[k] = t
    items[k] = item
    return top


@njit(cache=True, nogil=True)
def _free_add(free, free_start, free_count, position, group, agent):
    if position[agent] >= 0:
        return
    slot = free_start[group] + free_count[group]
    free[slot] = agent
    position[agent] = slot
    free_count[group] += 1


@njit(cache=True, nogil=True)
def _free_remove(free, free_start, free_count, position, group, agent):
    slot = position[agent]
    if slot < 0:
        return
    last = free_start[group] + free_count[group] - 1
    moved = free[last]
    free[slot] = moved
    position[moved] = slot
    position[agent] = -1
    free_count[group] -= 1


@njit(cache=True, nogil=True)
def _free_agent(t, need, type_groups_start, type_groups, free, free_start, free_count, units_free):
    """The first agent with room for a contact of type t, in the type's order of groups; -1 if none."""
    for k in range(type_groups_start[t], type_groups_start[t + 1]):
        g = type_groups[k]
        for j in range(free_start[g], free_start[g] + free_count[g]):
            if units_free[free[j]] >= need:
                return free[j]
    return -1


@njit(cache=True, nogil=True)
def _choose(
    room,
    now,
    serves_from,
    serves_to,
    group_serves,
    type_units,
    type_deferred,
    type_deadline,
    queue,
    head,
    tail,
    arrival,
    gives_up,
    longest_waiting,
    dropped,
):
    """The type whose head a freed agent with `room` units takes next; -1 if nothing it may take waits.
    Heads that have hung up are dropped on the way (counted in dropped[0])."""
    best = -1
    best_key = INF
    live_waits = False
    for k in range(serves_from, serves_to):
        t = group_serves[k]
        if type_deferred[t]:
            continue
        while head[t] < tail[t] and gives_up[queue[head[t]]] <= now:
            head[t] += 1
            dropped[0] += 1
        if head[t] == tail[t]:
            continue
        live_waits = True
        if type_units[t] > room:
            continue
        if not longest_waiting:
            return t
        key = arrival[queue[head[t]]]
        if key < best_key:
            best_key = key
            best = t
    if best >= 0 or live_waits:
        return best
    for k in range(serves_from, serves_to):
        t = group_serves[k]
        if type_deferred[t] and head[t] < tail[t] and type_units[t] <= room:
            key = arrival[queue[head[t]]] + type_deadline[t]
            if key < best_key:
                best_key = key
                best = t
    return best


@njit(cache=True, nogil=True)
def _take_waiting(
    a,
    now,
    waiting,
    agent_group,
    group_serves_start,
    group_serves,
    type_units,
    type_deferred,
    type_deadline,
    queue,
    head,
    tail,
    arrival,
    gives_up,
    handle,
    longest_waiting,
    units_free,
    start,
    agent_of,
    heap_time,
    heap_item,
    heap_size,
    free,
    free_start,
    free_count,
    position,
    dropped,
):
    """A freed agent takes waiting contacts until it is full or nothing it may take waits; returns how
    many contacts still wait."""
    g = agent_group[a]
    while units_free[a] > 0 and waiting > 0:
        dropped[0] = 0
        best = _choose(
            units_free[a],
            now,
            group_serves_start[g],
            group_serves_start[g + 1],
            group_serves,
            type_units,
            type_deferred,
            type_deadline,
            queue,
            head,
            tail,
            arrival,
            gives_up,
            longest_waiting,
            dropped,
        )
        waiting -= dropped[0]
        if best < 0:
            break
        c = queue[head[best]]
        head[best] += 1
        waiting -= 1
        start[c] = now
        agent_of[c] = a
        units_free[a] -= type_units[best]
        _heap_push(heap_time, heap_item, heap_size, now + handle[c], c)
    if units_free[a] == 0:
        _free_remove(free, free_start, free_count, position, g, a)
    return waiting


@njit(cache=True, nogil=True)
def simulate_replication(
    arrival,
    kind,
    handle,
    gives_up,
    type_units,
    type_deferred,
    type_deadline,
    type_groups_start,
    type_groups,
    group_serves_start,
    group_serves,
    agent_group,
    capacity,
    change_time,
    change_agent,
    change_on,
    longest_waiting,
):
    """Answer moments (NaN: never answered) and the agent of every contact, for one replication."""
    n = arrival.size
    n_types = type_units.size
    n_groups = group_serves_start.size - 1
    n_agents = agent_group.size
    start = np.full(n, np.nan)
    agent_of = np.full(n, -1, dtype=np.int64)

    # One first-come queue per type, each a slice of `queue` as long as the type's contacts.
    queue = np.empty(n, dtype=np.int64)
    head = np.zeros(n_types + 1, dtype=np.int64)
    for i in range(n):
        head[kind[i] + 1] += 1
    head = np.cumsum(head)[:n_types]
    tail = head.copy()
    waiting = 0
    dropped = np.zeros(1, dtype=np.int64)

    # Each group's free agents, a slice of `free` as long as the group's agents.
    free = np.empty(n_agents, dtype=np.int64)
    free_start = np.zeros(n_groups + 1, dtype=np.int64)
    for a in range(n_agents):
        free_start[agent_group[a] + 1] += 1
    free_start = np.cumsum(free_start)[:n_groups]
    free_count = np.zeros(n_groups, dtype=np.int64)
    position = np.full(n_agents, -1, dtype=np.int64)
    units_free = np.full(n_agents, capacity, dtype=np.int64)
    on = np.zeros(n_agents, dtype=np.bool_)

    heap_time = np.empty(max(n, 1))
    heap_item = np.empty(max(n, 1), dtype=np.int64)
    heap_size = np.zeros(1, dtype=np.int64)

    next_arrival = 0
    next_change = 0
    n_changes = change_time.size
    while next_arrival < n or heap_size[0] > 0 or waiting > 0:
        t_arrival = arrival[next_arrival] if next_arrival < n else INF
        t_end = heap_time[0] if heap_size[0] > 0 else INF
        t_change = change_time[next_change] if next_change < n_changes else INF
        if t_end == INF and t_change == INF and t_arrival == INF:
            break  # contacts still wait but no agent will come back
        chooser = -1
        if t_change <= t_end and t_change <= t_arrival:
            now = t_change
            a = change_agent[next_change]
            next_change += 1
            if change_on[next_change - 1]:
                on[a] = True
                if units_free[a] > 0:
                    _free_add(free, free_start, free_count, position, agent_group[a], a)
                    chooser = a
            else:
                on[a] = False
                _free_remove(free, free_start, free_count, position, agent_group[a], a)
        elif t_end <= t_arrival:
            now = t_end
            c = _heap_pop(heap_time, heap_item, heap_size)
            a = agent_of[c]
            units_free[a] += type_units[kind[c]]
            if on[a]:
                _free_add(free, free_start, free_count, position, agent_group[a], a)
                chooser = a
        else:
            now = t_arrival
            c = next_arrival
            next_arrival += 1
            t = kind[c]
            a = _free_agent(
                t, type_units[t], type_groups_start, type_groups, free, free_start, free_count, units_free
            )
            if a >= 0:
                start[c] = now
                agent_of[c] = a
                units_free[a] -= type_units[t]
                if units_free[a] == 0:
                    _free_remove(free, free_start, free_count, position, agent_group[a], a)
                _heap_push(heap_time, heap_item, heap_size, now + handle[c], c)
            else:
                queue[tail[t]] = c
                tail[t] += 1
                waiting += 1

        if chooser >= 0:
            waiting = _take_waiting(
                chooser,
                now,
                waiting,
                agent_group,
                group_serves_start,
                group_serves,
                type_units,
                type_deferred,
                type_deadline,
                queue,
                head,
                tail,
                arrival,
                gives_up,
                handle,
                longest_waiting,
                units_free,
                start,
                agent_of,
                heap_time,
                heap_item,
                heap_size,
                free,
                free_start,
                free_count,
                position,
                dropped,
            )
    return start, agent_of
