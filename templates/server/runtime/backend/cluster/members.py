"""The members of the cluster: which nodes run, and the nodes that can be invited."""

from __future__ import annotations

from ..common.clock import now_ms
from ..state import State


def add_standalone_node(state: State, node: str) -> None:
    """Seed a reachable node that is not in the cluster (ValueError for this node)."""
    with state.lock:
        if node == state.node:
            raise ValueError("this node is always a member")
        cluster = state.cluster
        if node not in cluster.standalone and node not in cluster.members:
            cluster.standalone.append(node)


def settle(state: State) -> None:
    """Finish the background invitations whose time has come."""
    cluster = state.cluster
    now = now_ms()
    for inv in cluster.invitations.values():
        if inv.done or inv.finishes_at > now:
            continue
        inv.done = True
        if inv.node in cluster.members:
            continue  # already in the cluster counts as joined
        if inv.node in cluster.standalone:
            cluster.standalone.remove(inv.node)
            cluster.members.append(inv.node)
        else:
            inv.reason = "{error,{badrpc,nodedown}}"


def running_nodes(state: State) -> list[str]:
    """The running nodes of the cluster, this node first."""
    with state.lock:
        settle(state)
        return [state.node, *state.cluster.members]
