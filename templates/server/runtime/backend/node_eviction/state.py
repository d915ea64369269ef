"""Whether this node's eviction agent is on, and for what (an evacuation, a rebalance's
coordinator, or "" when seeded with no owner)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EvictionState:
    enabled: bool = False
    kind: str = ""  # who turned it on (see load_rebalance/state.py); "" when unknown
