"""Whether telemetry reports, and the cluster's and nodes' ids it reports with."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field


def _uuid() -> str:
    """An id shaped as the broker makes them: five upper-case hex groups, unpadded."""
    micro = time.time_ns() // 1000
    stamp = micro * 10 + 0x01B21DD213814000
    low, mid, high = stamp & 0xFFFFFFFF, (stamp >> 32) & 0xFFFF, (stamp >> 48) & 0x0FFF
    clock = 0x8000 | random.getrandbits(14)
    node = random.getrandbits(48) | (1 << 40)
    return f"{low:X}-{mid:X}-{0x1000 | high:X}-{clock:X}-{node:X}"


@dataclass
class TelemetryState:
    # Official release versions report unless turned off.
    enable: bool = True
    cluster_uuid: str = field(default_factory=_uuid)
    node_uuids: dict[str, str] = field(default_factory=dict)

    def uuid_of(self, node: str) -> str:
        return self.node_uuids.setdefault(node, _uuid())
