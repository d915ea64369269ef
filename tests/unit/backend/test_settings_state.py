"""The areas that keep settings and records of their own, straight on their state (no
HTTP): cluster, trace, telemetry, plugins, retainer, slow subscriptions, MQTT, rules,
monitor (Prometheus), metrics samples, exhook, auto subscribe, relup, data backup and the
dashboard's bearer token."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from emqx_server_stub.backend.cluster.members import add_standalone_node, running_nodes
from emqx_server_stub.backend.common.durations import duration_ms
from emqx_server_stub.backend.dashboard.handler import check_token, forget_current_token
from emqx_server_stub.backend.dashboard.state import TokenRecord
from emqx_server_stub.backend.plugins.handler import allow_installation
from emqx_server_stub.backend.state import State
from emqx_server_stub.backend.trace.handler import append_trace_log
from emqx_server_stub.backend.trace.state import TraceRecord


def test_a_fresh_node_has_the_broker_defaults() -> None:
    state = State(node="n@h")
    assert state.retainer.settings["backend"]["max_retained_messages"] == 0
    assert state.slow_subs.settings["top_k_num"] == 10
    assert state.mqtt.delayed_enable is True and state.mqtt.delayed == {}
    assert state.rules.settings["ignore_sys_message"] is True
    assert state.prometheus.answer_json is False
    assert state.prometheus.settings["collectors"]["vm_dist"] == "disabled"
    assert state.cluster.name == "emqxcl" and state.cluster.members == []
    assert state.auto_subscribe.topics == [] and state.exhook.servers == []
    assert state.relup.package is None and state.data_backup.files == {}
    assert state.monitor_samples.samples == {} and state.monitor_samples.last is None


def test_two_nodes_share_no_state() -> None:
    one, two = State(node="a@h"), State(node="b@h")
    one.retainer.settings["enable"] = False
    one.prometheus.settings["enable_basic_auth"] = True
    assert two.retainer.settings["enable"] is True
    assert two.prometheus.settings["enable_basic_auth"] is False


def test_standalone_nodes_are_not_running_members() -> None:
    state = State(node="n@h")
    add_standalone_node(state, "m@h")
    add_standalone_node(state, "m@h")
    assert state.cluster.standalone == ["m@h"]
    assert running_nodes(state) == ["n@h"]
    with pytest.raises(ValueError):
        add_standalone_node(state, "n@h")


def test_a_running_trace_gets_its_log_lines() -> None:
    state = State(node="n@h")
    state.trace.traces["t1"] = TraceRecord("t1", "topic", "a/#", "text", "text", 0, 2**31)
    append_trace_log(state, "t1", "hello\n")
    append_trace_log(state, "t1", "again\n")
    assert bytes(state.trace.traces["t1"].files["n@h"].content) == b"hello\nagain\n"
    with pytest.raises(KeyError):
        append_trace_log(state, "unknown", "x")


def test_telemetry_keeps_one_uuid_per_node() -> None:
    state = State(node="n@h")
    first = state.telemetry.uuid_of("n@h")
    assert state.telemetry.uuid_of("n@h") == first
    assert state.telemetry.uuid_of("m@h") != first
    assert len(first.split("-")) == 5


def test_plugin_installation_is_allowed_per_package() -> None:
    state = State(node="n@h")
    allow_installation(state, "demo-1.0.0")
    allow_installation(state, "other-2.0.0")
    allow_installation(state, "other-2.0.0", allowed=False)
    assert state.plugins.allowed == {"demo-1.0.0"}


@pytest.mark.parametrize(
    ("raw", "ms"), [(0, 0), ("1500", 1500), ("1s", 1000), ("1m30s", 90_000), ("1h", 3_600_000)]
)
def test_durations_of_the_raw_configuration(raw: object, ms: int) -> None:
    assert duration_ms(raw) == ms


@pytest.mark.parametrize("raw", [True, -1, "soon", None])
def test_what_is_not_a_duration(raw: object) -> None:
    with pytest.raises(ValueError):
        duration_ms(raw)


def test_the_bearer_token_is_remembered_per_request_context() -> None:
    state = State(node="n@h")
    state.tokens["tok"] = TokenRecord(username="admin", expires_at=2.0**40)

    async def request(token: str) -> str | None:
        check_token(state, token)
        await asyncio.sleep(0)
        return state.dashboard.current_token.get()

    async def two_requests() -> list[str | None]:
        return list(await asyncio.gather(request("tok"), request("bad")))

    assert asyncio.run(two_requests()) == ["tok", None]
    ctx = contextvars.copy_context()
    assert ctx.run(lambda: (check_token(state, "tok"), state.dashboard.current_token.get())) == (
        True,
        "tok",
    )
    ctx.run(forget_current_token, state)
    assert ctx.run(state.dashboard.current_token.get) is None
