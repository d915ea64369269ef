"""The retainer's raw settings, every default filled in."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

DEFAULT_INDEX_SPECS = [[1, 2, 3], [1, 3], [2, 3], [3]]


def default_settings() -> dict[str, Any]:
    """The raw settings of a fresh node, every default filled in."""
    return {
        "enable": True,
        "msg_expiry_interval": "0s",
        "msg_expiry_interval_override": "disabled",
        "allow_never_expire": True,
        "msg_clear_interval": "0s",
        "msg_clear_limit": 50000,
        "max_payload_size": "1MB",
        "stop_publish_clear_msg": False,
        "delivery_rate": "1000/s",
        "max_publish_rate": "1000/s",
        "backend": {
            "type": "built_in_database",
            "storage_type": "ram",
            "max_retained_messages": 0,
            "index_specs": copy.deepcopy(DEFAULT_INDEX_SPECS),
            "enable": True,
        },
        "external_backends": {},
    }


@dataclass
class RetainerState:
    settings: dict[str, Any] = field(default_factory=default_settings)
