"""The OpenTelemetry integration's settings (only what was set; answers fill in the
defaults) and end-to-end tracing's white lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _lists() -> dict[str, list[str]]:
    return {"clientid": [], "topic": []}


@dataclass
class OtelState:
    settings: dict[str, Any] = field(default_factory=dict)
    whitelists: dict[str, list[str]] = field(default_factory=_lists)
