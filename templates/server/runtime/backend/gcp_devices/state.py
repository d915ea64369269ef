"""The imported GCP devices, by id, as emqx_gcp_device keeps them: the location triple,
the keys, when the device was stored, and the decoded configuration (which the broker
keeps as the message retained on `/devices/<deviceid>/config`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class GcpDeviceRecord:
    deviceid: str
    project: str
    location: str
    registry: str
    keys: list[dict[str, Any]]
    created_at: int
    config: bytes


@dataclass
class GcpDevicesState:
    devices: dict[str, GcpDeviceRecord] = field(default_factory=dict)

    def ordered(self) -> list[GcpDeviceRecord]:
        """The devices by id (the broker's table is an ordered set)."""
        return [self.devices[k] for k in sorted(self.devices)]
