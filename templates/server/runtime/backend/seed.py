"""Named data sets that fill a fresh backend through its seeding API, the same on every
run: `InMemoryBackend.seed("demo")`, `emqx-codegen serve --seed demo`.

"demo" is a small plant: 320 clients (sensors, gateways, operator apps; some sessions
disconnected but kept), their subscriptions (shared ones too), retained status and
firmware messages, alarms active and cleared, and bans of every kind. Enough for several
pages of clients at the default limit of 100, and for every list to show something.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

SENSORS = 250
GATEWAYS = 50
APPS = 20
SITES = 12
_EPOCH = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # when the demo plant's first client came
_FOREVER_S = 4_102_444_800  # 2100-01-01T00:00:00Z, for the temporary-looking ban


class Seedable(Protocol):
    """The part of `InMemoryBackend` a data set uses."""

    def add_client(
        self,
        clientid: str,
        *,
        username: str | None = None,
        ip_address: str = "127.0.0.1",
        port: int | None = None,
        proto_ver: int = 5,
        keepalive: int = 60,
        clean_start: bool = True,
        expiry_interval: int = 0,
        connected: bool = True,
        listener: str = "tcp:default",
        client_attrs: dict[str, str] | None = None,
        created_at: datetime | None = None,
    ) -> None: ...

    def add_subscription(self, clientid: str, topic: str, *, qos: int = 0) -> None: ...

    def add_retained_message(self, topic: str, payload: str, *, qos: int = 0) -> None: ...

    def raise_alarm(
        self, name: str, message: str = "", details: dict[str, Any] | None = None
    ) -> None: ...

    def clear_alarm(self, name: str) -> None: ...

    def add_ban(
        self,
        as_: str,
        who: str,
        *,
        reason: str = "",
        by: str = "mgmt_api",
        until: int | None = None,
    ) -> None: ...


def _site(index: int) -> str:
    return f"site-{index % SITES + 1:02d}"


def _clients(backend: Seedable, rng: random.Random) -> None:
    """Sensors on tcp (one in twelve disconnected, its session kept), gateways on ssl,
    operator apps on ws; each with its subscriptions."""
    for n in range(1, SENSORS + 1):
        clientid = f"sensor-{n:04d}"
        kept = n % 12 == 0
        backend.add_client(
            clientid,
            username="device",
            ip_address=f"10.1.{n // 200}.{n % 200 + 1}",
            port=rng.randint(49152, 65535),
            proto_ver=5 if n % 3 else 4,
            keepalive=rng.choice((30, 60, 120)),
            clean_start=not kept,
            expiry_interval=7200 if kept else 0,
            connected=not kept,
            client_attrs={"site": _site(n)},
            created_at=_EPOCH + timedelta(minutes=7 * n),
        )
        backend.add_subscription(clientid, f"devices/{clientid}/cmd", qos=1)
    for n in range(1, GATEWAYS + 1):
        clientid = f"gateway-{n:02d}"
        backend.add_client(
            clientid,
            username="gateway",
            ip_address=f"10.2.0.{n}",
            port=rng.randint(49152, 65535),
            listener="ssl:default",
            client_attrs={"site": _site(n)},
            created_at=_EPOCH + timedelta(hours=n),
        )
        backend.add_subscription(clientid, f"sensors/{_site(n)}/+/telemetry", qos=0)
        backend.add_subscription(clientid, "$share/ingest/sensors/+/+/alerts", qos=1)
    for n in range(1, APPS + 1):
        clientid = f"operator-app-{n:02d}"
        backend.add_client(
            clientid,
            username=f"operator{n % 4 + 1}",
            ip_address=f"192.168.10.{n + 20}",
            port=rng.randint(49152, 65535),
            proto_ver=4,
            listener="ws:default",
            created_at=_EPOCH + timedelta(days=1, minutes=n),
        )
        backend.add_subscription(clientid, "status/#", qos=0)
        backend.add_subscription(clientid, "alerts/#", qos=2)


def _retained(backend: Seedable, rng: random.Random) -> None:
    """A status message per site, the latest firmware, and the last reading of a few
    sensors."""
    for n in range(SITES):
        status = {"site": _site(n), "online": n != 7, "gateways": GATEWAYS // SITES}
        backend.add_retained_message(f"status/{_site(n)}", json.dumps(status), qos=1)
    backend.add_retained_message("config/firmware/latest", '{"version": "2.4.1"}', qos=1)
    for n in range(1, 13):
        reading = {"temperature": round(rng.uniform(18.0, 26.0), 1), "seq": n}
        topic = f"sensors/{_site(n)}/sensor-{n:04d}/telemetry"
        backend.add_retained_message(topic, json.dumps(reading))


def _alarms(backend: Seedable) -> None:
    """Three active alarms, and four raised and cleared since (the history)."""
    backend.raise_alarm(
        "high_system_memory_usage",
        "memory in use is above the 70% watermark",
        {"high_watermark": 70, "usage": "74.6%"},
    )
    backend.raise_alarm(
        "conn_congestion/sensor-0007/device",
        "the connection's send buffer is full",
        {"clientid": "sensor-0007", "username": "device"},
    )
    backend.raise_alarm("runq_overload", "run queue longer than the CPU count", {"runq": 9})
    for name, message in (
        ("high_cpu_usage", "CPU load above the 80% watermark"),
        ("conn_congestion/gateway-03/gateway", "the connection's send buffer is full"),
        ("too_many_processes", "process count above the 80% watermark"),
        ("high_process_memory_usage", "one process holds more than 5% of the memory"),
    ):
        backend.raise_alarm(name, message, {"seeded": "demo"})
        backend.clear_alarm(name)


def _bans(backend: Seedable) -> None:
    """One ban of each kind, plus one with an end date."""
    backend.add_ban("clientid", "rogue-sensor-01", reason="flooding telemetry")
    backend.add_ban("username", "guest", reason="anonymous access is off")
    backend.add_ban("peerhost", "192.0.2.10", reason="brute force on the password")
    backend.add_ban("clientid_re", "^test-.*", reason="no test clients in production")
    backend.add_ban("username_re", "^tmp_", reason="temporary accounts expired")
    backend.add_ban("peerhost_net", "198.51.100.0/24", reason="outside the plant network")
    backend.add_ban("clientid", "sensor-9999", reason="decommissioned", until=_FOREVER_S)


def demo(backend: Seedable) -> None:
    rng = random.Random(589)  # ports, keepalives, readings: the same on every run
    _clients(backend, rng)
    _retained(backend, rng)
    _alarms(backend)
    _bans(backend)


DATASETS: dict[str, Callable[[Seedable], None]] = {"demo": demo}
