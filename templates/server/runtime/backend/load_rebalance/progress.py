"""The cluster as rebalances and evacuations see it: each node's client counts and
eviction agent, and `settle`, which moves every process on to where time and counts
have taken it (a finished rebalance turns its donors' agents off)."""

from __future__ import annotations

from ..common.clock import now_ms
from ..state import State
from .state import Counts


def counts(state: State, node: str) -> Counts:
    """A node's clients: this node's own; the other (simulated) nodes hold none."""
    if node == state.node:
        return Counts(state.live, len(state.clients))
    return Counts()


def agent_of(state: State, node: str) -> str | None:
    """Who holds the node's eviction agent, or None while it is off."""
    if node == state.node:
        return state.eviction.kind if state.eviction.enabled else None
    return state.load_rebalance.agents.get(node)


def set_agent(state: State, node: str, kind: str | None) -> None:
    """Turn the node's eviction agent on for `kind`, or off (None)."""
    if node == state.node:
        state.eviction.enabled, state.eviction.kind = kind is not None, kind or ""
    elif kind is None:
        state.load_rebalance.agents.pop(node, None)
    else:
        state.load_rebalance.agents[node] = kind


def settle(state: State) -> None:
    """Move every process on (call with the lock held)."""
    now = now_ms()
    area = state.load_rebalance
    for node, evacuation in area.evacuations.items():
        evacuation.advance(now, counts(state, node))
    for coordinator, rebalance in list(area.rebalances.items()):
        rebalance.advance(now, lambda node: counts(state, node))
        if rebalance.done:
            for donor in rebalance.donors:
                set_agent(state, donor, None)
            del area.rebalances[coordinator]
