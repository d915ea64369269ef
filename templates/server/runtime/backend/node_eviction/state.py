"""Whether the eviction agent is on (a rebalance or an evacuation turns it on)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EvictionState:
    enabled: bool = False
