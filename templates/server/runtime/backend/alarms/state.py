"""The node's alarms, active and cleared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class AlarmRecord:
    name: str
    message: str
    details: dict[str, Any]
    activate_at: int
    deactivate_at: int | None = None
