"""The slow subscriptions' settings and the records they keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def default_settings() -> dict[str, Any]:
    return {
        "enable": False,
        "threshold": "500ms",
        "expire_interval": "300s",
        "top_k_num": 10,
        "stats_type": "whole",
    }


@dataclass
class SlowSubsState:
    settings: dict[str, Any] = field(default_factory=default_settings)
    # (clientid, topic) -> (timespan ms, last update epoch ms)
    records: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
