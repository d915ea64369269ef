"""The topics every connecting client is subscribed to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class AutoSubscribeState:
    topics: list[dict[str, Any]] = field(default_factory=list)
