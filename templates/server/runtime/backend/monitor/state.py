"""The Prometheus integration's settings, and how its metrics are answered."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

LEGACY_COLLECTORS = {
    "vm_dist_collector": "vm_dist",
    "mnesia_collector": "mnesia",
    "vm_statistics_collector": "vm_statistics",
    "vm_system_info_collector": "vm_system_info",
    "vm_memory_collector": "vm_memory",
    "vm_msacc_collector": "vm_msacc",
}

DEFAULT_SETTINGS: dict[str, Any] = {
    "enable_basic_auth": False,
    "push_gateway": {
        "enable": False,
        "method": "put",
        "url": "http://127.0.0.1:9091",
        "interval": "15s",
        "headers": {},
        "job_name": "${name}/instance/${name}~${host}",
    },
    "collectors": dict.fromkeys(LEGACY_COLLECTORS.values(), "disabled"),
}


@dataclass
class PrometheusState:
    settings: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULT_SETTINGS))
    # EMQX answers JSON when the request's Accept is exactly `application/json`; the
    # handlers do not see headers, so this switch picks (off: text, the broker's default).
    answer_json: bool = False
