"""Node Eviction (enterprise build): the eviction agent's status, with the clients the
node still holds while it is on."""

from __future__ import annotations

from ... import models
from ..load_rebalance.progress import settle
from ..state import State


def eviction_status(state: State) -> models.NodeEvictionStatus:
    """`disabled`, or `enabled` with the node's live connections and sessions."""
    with state.lock:
        settle(state)  # a rebalance that ended has turned the agent off
        if not state.eviction.enabled:
            return models.NodeEvictionDisabled.model_validate({"status": "disabled"})
        stats = {"connections": state.live, "sessions": len(state.clients)}
    return models.NodeEvictionEnabled.model_validate({"status": "enabled", "stats": stats})


class NodeEvictionApi:
    """NodeEvictionHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_node_eviction_status(self) -> models.NodeEvictionStatus:
        return eviction_status(self._state)
