"""Telemetry: whether the node reports anonymous usage data, and the report itself,
built from the shared state (clients, messages, topics, retained messages)."""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from ... import errors, models
from ..cluster.members import running_nodes
from ..common.version import VERSION
from ..state import State

# The report interval (seven days) in milliseconds, which the message rates divide by.
REPORT_INTERVAL_MS = 604800 * 1000
OTP_RELEASE = "26"


def _os() -> tuple[str, str]:
    """The OS name and version as the broker reads them from /etc/os-release."""
    info: dict[str, str] = {}
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            for line in release:
                key, sep, value = line.strip().partition("=")
                if sep:
                    info[key] = value.strip('"')
    except OSError:
        return platform.system(), platform.release()
    name = info.get("NAME", platform.system())
    return name, info.get("VERSION", info.get("VERSION_ID", info.get("PRETTY_NAME", "")))


def _total_memory() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _report(state: State) -> dict[str, Any]:
    telemetry = state.telemetry
    nodes = running_nodes(state)
    os_name, os_version = _os()
    sent = state.metrics["messages.sent"]
    received = state.metrics["messages.received"]
    return {
        "emqx_version": VERSION,
        "license": {"edition": "opensource"},
        "os_name": os_name,
        "os_version": os_version,
        "otp_version": OTP_RELEASE,
        "up_time": int((time.time() - state.started_at) * 1000),
        "uuid": telemetry.uuid_of(state.node),
        "cluster_uuid": telemetry.cluster_uuid,
        "nodes_uuid": [telemetry.uuid_of(n) for n in nodes if n != state.node],
        "active_plugins": [],
        "num_clients": sum(1 for c in state.clients.values() if c.connected),
        "num_cluster_sessions": len(state.clients),
        "messages_received": received,
        "messages_sent": sent,
        "build_info": {
            "arch": f"{platform.machine()}-pc-linux-gnu",
            "wordsize": 64,
            "os": platform.system().lower(),
            "erlang": OTP_RELEASE,
            "elixir": "none",
            "relform": "tgz",
        },
        "vm_specs": {"num_cpus": os.cpu_count() or 1, "total_memory": _total_memory()},
        "mqtt_runtime_insights": {
            "messages_sent_rate": sent / REPORT_INTERVAL_MS,
            "messages_received_rate": received / REPORT_INTERVAL_MS,
            "num_topics": len({topic for topic, _ in state.routes()}),
        },
        "advanced_mqtt_features": {
            "topic_rewrite": 0,
            "delayed": 0,
            "retained": len(state.retained),
            "auto_subscribe": 0,
        },
        "authn_authz": {"authn": [], "authn_listener": {}, "authz": ["file"]},
        "gateway": {},
        "rule_engine": {"num_rules": 0},
        "bridge": {"num_data_bridges": 0, "data_bridge": {}},
        "exhook": {"num_servers": 0, "servers": []},
    }


class TelemetryApi:
    """TelemetryHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_telemetry_status(self) -> models.TelemetryStatus:
        return models.TelemetryStatus(enable=self._state.telemetry.enable)

    async def update_telemetry_status(
        self, *, body: models.TelemetryStatus | None = None
    ) -> models.TelemetryStatus:
        wanted = True if body is None or body.enable is None else body.enable
        with self._state.lock:
            telemetry = self._state.telemetry
            if wanted == telemetry.enable:
                word = "enabled" if wanted else "disabled"
                raise errors.bad_request(f"Telemetry status is already {word}", status=400)
            telemetry.enable = wanted
            return models.TelemetryStatus(enable=telemetry.enable)

    async def get_telemetry_data(self) -> models.TelemetryData:
        with self._state.lock:
            if not self._state.telemetry.enable:
                raise errors.not_found("Telemetry is not enabled", status=404)
            return models.TelemetryData.model_validate(_report(self._state))
