"""The "demo" data set (`InMemoryBackend.seed("demo")`, `emqx-codegen serve --seed demo`),
read through the generated client: several pages of clients, subscriptions, retained
messages, alarms active and cleared, bans of every kind; the same on every run."""

from __future__ import annotations

import asyncio
import base64
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner

from tests.functional.conftest import (
    API_KEY,
    SECRET,
    LiveStub,
    checked_client,
    serving,
)
from tests.functional.openapi_check import SpecChecker

SENSORS = [f"sensor-{n:04d}" for n in range(1, 251)]
GATEWAYS = [f"gateway-{n:02d}" for n in range(1, 51)]
APPS = [f"operator-app-{n:02d}" for n in range(1, 21)]


@pytest.fixture(scope="module")
def seeded() -> Iterator[LiveStub]:
    with serving("ce") as live:
        live.backend.seed("demo")
        yield live


@pytest.fixture()
def demo(seeded: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    with checked_client(seeded, checker) as c:
        yield c


def test_clients_fill_four_pages(demo: Any) -> None:
    first = demo.clients.list(limit=100)
    assert len(first.items) == 100 and first.has_next_page()
    pages = list(first.iter_pages())
    assert [len(p.items) for p in pages] == [100, 100, 100, 20]
    ids = [c.clientid for c in demo.clients.list(limit=100)]
    assert sorted(ids) == sorted(SENSORS + GATEWAYS + APPS)
    kept = list(demo.clients.list(limit=100, conn_state="disconnected"))
    assert sorted(c.clientid for c in kept) == [f"sensor-{n:04d}" for n in range(12, 251, 12)]
    assert {c.expiry_interval for c in kept} == {7200}
    gateway = demo.clients.get(clientid="gateway-03")
    assert (gateway.username, gateway.ip_address, gateway.listener) == (
        "gateway",
        "10.2.0.3",
        "ssl:default",
    )


def test_subscriptions_of_every_kind(demo: Any) -> None:
    subs = list(demo.subscriptions.list(limit=100))
    assert len(subs) == 250 + 50 * 2 + 20 * 2
    of_gateway = {s.topic for s in subs if s.clientid == "gateway-01"}
    assert of_gateway == {"sensors/site-02/+/telemetry", "$share/ingest/sensors/+/+/alerts"}
    assert {s.qos for s in subs if s.clientid == "operator-app-01"} == {0, 2}
    mine = demo.clients.list_subscriptions(clientid="sensor-0042")
    assert [(s.topic, s.qos) for s in mine] == [("devices/sensor-0042/cmd", 1)]


def test_retained_messages(demo: Any) -> None:
    retained = list(demo.retainer.messages.list(limit=10))
    assert len(retained) == 25
    assert {m.topic for m in retained} >= {"status/site-01", "config/firmware/latest"}
    firmware = demo.retainer.messages.get(topic="config/firmware/latest")
    assert base64.b64decode(firmware.payload) == b'{"version": "2.4.1"}'


def test_alarms_active_and_cleared(demo: Any) -> None:
    active = {a.name for a in demo.alarms.list(activated=True)}
    assert active == {
        "high_system_memory_usage",
        "conn_congestion/sensor-0007/device",
        "runq_overload",
    }
    cleared = list(demo.alarms.list(activated=False))
    assert {a.name for a in cleared} == {
        "high_cpu_usage",
        "conn_congestion/gateway-03/gateway",
        "too_many_processes",
        "high_process_memory_usage",
    }
    assert all(a.deactivate_at is not None for a in cleared)


def test_bans_of_every_kind(demo: Any) -> None:
    bans = list(demo.banned.list(limit=3))
    assert len(bans) == 7
    kinds = {str(b.as_.value) for b in bans}
    assert kinds == {
        "clientid",
        "username",
        "peerhost",
        "clientid_re",
        "username_re",
        "peerhost_net",
    }
    ends = {b.who: getattr(b.until, "value", b.until) for b in bans}  # an enum or a time
    assert ends["rogue-sensor-01"] == "infinity"
    assert ends["sensor-9999"] == datetime(2100, 1, 1, tzinfo=UTC)


def _listing() -> list[tuple[Any, ...]]:
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key="k", secret_key="s")
    backend.seed("demo")
    page = asyncio.run(backend.handlers().clients.list_clients(limit=1000))
    return [
        (c.clientid, c.username, c.ip_address, c.port, c.keepalive, c.proto_ver, c.created_at)
        for c in page.data
    ]


def test_the_same_on_every_run() -> None:
    assert _listing() == _listing()


def test_an_unknown_data_set_is_refused() -> None:
    from emqx_server_stub.backend import InMemoryBackend

    with pytest.raises(ValueError, match="data set 'nope': expected one of demo"):
        InMemoryBackend(api_key="k", secret_key="s").seed("nope")


@contextmanager
def _served(app: Any) -> Iterator[str]:
    """`app` under uvicorn on a free port of 127.0.0.1, until the block ends."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the stub did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/api/v5"
    finally:
        server.should_exit = True
        thread.join(5)


def test_serve_seed_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """`emqx-codegen serve --seed demo` hands uvicorn an app that answers with the data set."""
    import uvicorn
    from emqx_client import Client

    from generator.cli import main

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    args = ["serve", "--seed", "demo", "--api-key", API_KEY, "--secret-key", SECRET]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "seeded with 'demo'" in result.output
    monkeypatch.undo()
    (app,) = served
    with _served(app) as url, Client(base_url=url, api_key=API_KEY, secret_key=SECRET) as emqx:
        assert len(list(emqx.clients.list(limit=100))) == 320
        assert len(list(emqx.banned.list())) == 7


def test_serve_refuses_an_unknown_data_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from generator.cli import main

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: pytest.fail("served"))
    result = CliRunner().invoke(main, ["serve", "--seed", "nope"])
    assert result.exit_code == 2
    assert "Invalid value for '--seed': data set 'nope': expected one of demo" in result.output


def test_the_packaged_stub_takes_seed_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m emqx_server_stub --seed demo` (the installed package, without the toolkit)."""
    import uvicorn
    from emqx_client import Client
    from emqx_server_stub.__main__ import main as stub_main

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    argv = ["emqx_server_stub", "--seed", "demo", "--api-key", API_KEY, "--secret-key", SECRET]
    monkeypatch.setattr(sys, "argv", argv)
    stub_main()
    monkeypatch.undo()
    (app,) = served
    with _served(app) as url, Client(base_url=url, api_key=API_KEY, secret_key=SECRET) as emqx:
        assert len(list(emqx.alarms.list(activated=False))) == 4
