"""Bridges: the version 1 bridge API (webhook and mqtt) over connectors, actions and
sources, through the generated client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

PREFIX = "bridge-area"
WEBHOOK = {
    "type": "webhook",
    "name": f"{PREFIX}-hook",
    "url": "http://127.0.0.1:9901/messages",
    "method": "put",
    "body": "${payload}",
    "local_topic": "hook/#",
    "resource_opts": {"worker_pool_size": 4, "health_check_interval": "30s"},
}
EGRESS = {
    "type": "mqtt",
    "name": f"{PREFIX}-out",
    "server": "remote.example.com:1883",
    "password": "secret",
    "egress": {"pool_size": 2, "local": {"topic": "out/#"}, "remote": {"topic": "fwd/${topic}"}},
}
INGRESS = {
    "type": "mqtt",
    "name": f"{PREFIX}-in",
    "server": "remote.example.com",
    "ingress": {"remote": {"topic": "remote/#", "qos": 2}, "local": {"topic": "in/${topic}"}},
}


@pytest.fixture()
def state(stub: Any) -> Any:
    return stub.backend._state


@pytest.fixture()
def bridges(client: Any, state: Any) -> Iterator[Any]:
    """The client; every bridge record of this module is removed afterwards."""
    yield client
    integration = state.integration
    for table in (integration.connectors, integration.actions, integration.sources):
        for key in [k for k in table if k[1].startswith(PREFIX)]:
            del table[key]


def test_webhook_lifecycle(bridges: Any, state: Any, stub: Any) -> None:
    created = bridges.bridges.create(body=WEBHOOK)
    assert isinstance(created, models.BridgesWebhook)
    assert created.type == "webhook" and created.url == WEBHOOK["url"]
    assert created.method.value == "put" and created.body == "${payload}"
    assert created.local_topic == "hook/#" and created.max_retries == 2
    assert created.resource_opts.worker_pool_size == 4
    assert created.resource_opts.health_check_interval == "30s"
    assert created.resource_opts.request_ttl == "45s"
    assert created.status.value == "connected"
    assert [n.node for n in created.node_status] == [stub.backend.node]
    # Stored as the connector and the action http:<name>.
    key = ("http", f"{PREFIX}-hook")
    action = state.integration.actions[key]
    assert action.config["connector"] == key[1] and action.config["parameters"]["method"] == "put"
    assert state.integration.connectors[key].config["url"] == WEBHOOK["url"]
    as_action = bridges.actions.get(id=f"http:{PREFIX}-hook")
    assert as_action.connector == key[1] and as_action.parameters.method.value == "put"
    assert bridges.connectors.get(id=f"http:{PREFIX}-hook").actions == [key[1]]

    bid = f"webhook:{PREFIX}-hook"
    assert bridges.bridges.get(id=bid).model_dump() == created.model_dump()
    assert bridges.bridges.get(id=f"http:{PREFIX}-hook").name == WEBHOOK["name"]
    assert any(b.name == WEBHOOK["name"] for b in bridges.bridges.list())
    with pytest.raises(emqx_client.BadRequestError) as dup:
        bridges.bridges.create(body=WEBHOOK)
    assert dup.value.code == models.ErrorCode.ALREADY_EXISTS
    with pytest.raises(emqx_client.BadRequestError) as bad_name:
        bridges.bridges.create(body={**WEBHOOK, "name": "-no"})
    assert str(bad_name.value.message).startswith("Invalid name format")
    with pytest.raises(emqx_client.NotFoundError) as missing:
        bridges.bridges.get(id=f"webhook:{PREFIX}-none")
    assert "does not exist" in str(missing.value.message)
    with pytest.raises(emqx_client.NotFoundError) as invalid:
        bridges.bridges.get(id="kafka:x")
    assert str(invalid.value.message).startswith("Invalid bridge ID")

    updated = bridges.bridges.update(
        id=bid, body={"url": "http://127.0.0.1:9902/new", "method": "post", "max_retries": 5}
    )
    assert updated.url == "http://127.0.0.1:9902/new" and updated.max_retries == 5
    assert updated.local_topic is None
    with pytest.raises(emqx_client.BadRequestError):
        bridges.bridges.update(id=bid, body={"server": "h:1", "egress": {"remote": {"topic": "t"}}})
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.update(id=f"webhook:{PREFIX}-none", body={"url": "http://h"})

    bridges.bridges.delete(id=bid)
    assert key not in state.integration.actions and key not in state.integration.connectors
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.delete(id=bid)


def test_mqtt_egress_and_ingress(bridges: Any, state: Any) -> None:
    out = bridges.bridges.create(body=EGRESS)
    assert isinstance(out, models.BridgesMqtt)
    assert out.password == "******" and out.egress is not None and out.ingress is None
    assert out.egress.pool_size == 2 and out.egress.local.topic == "out/#"
    assert out.egress.remote.topic == "fwd/${topic}" and out.egress.remote.qos == 1
    action = state.integration.actions[("mqtt", f"{PREFIX}-out")]
    assert action.config["local_topic"] == "out/#"
    assert state.integration.connectors[("mqtt", f"{PREFIX}-out")].config["password"] == "secret"

    inbound = bridges.bridges.create(body=INGRESS)
    assert inbound.ingress is not None and inbound.egress is None
    assert inbound.ingress.remote.qos == 2 and inbound.ingress.local.topic == "in/${topic}"
    assert ("mqtt", f"{PREFIX}-in") in state.integration.sources
    as_source = bridges.sources.get(id=f"mqtt:{PREFIX}-in")
    assert as_source.parameters.topic == "remote/#" and as_source.parameters.qos == 2

    # Secrets sent back as ****** keep the stored ones.
    body = {k: v for k, v in EGRESS.items() if k not in ("type", "name")}
    bridges.bridges.update(id=f"mqtt:{PREFIX}-out", body={**body, "password": "******"})
    assert state.integration.connectors[("mqtt", f"{PREFIX}-out")].config["password"] == "secret"

    both = {**EGRESS, "name": f"{PREFIX}-both", "ingress": INGRESS["ingress"]}
    with pytest.raises(emqx_client.BadRequestError) as info:
        bridges.bridges.create(body=both)
    assert "ingress and egress" in str(info.value.message)


def test_enable_operate_and_metrics(bridges: Any, state: Any, stub: Any) -> None:
    bridges.bridges.create(body=WEBHOOK)
    bid = f"webhook:{PREFIX}-hook"
    action = state.integration.actions[("http", f"{PREFIX}-hook")]
    action.metrics["matched"] = 7
    action.metrics["success"] = 6
    got = bridges.bridges.get_metrics(id=bid)
    assert got.metrics.matched == 7 and got.metrics.success == 6
    assert (
        got.node_metrics[0].node == stub.backend.node and got.node_metrics[0].metrics.matched == 7
    )
    none = bridges.bridges.get_metrics(id=f"webhook:{PREFIX}-none")
    assert none.metrics.matched == 0 and none.node_metrics == []
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.get_metrics(id="no-colon")
    bridges.bridges.reset_metrics(id=bid)
    assert bridges.bridges.get_metrics(id=bid).metrics.matched == 0
    with pytest.raises(emqx_client.BadRequestError):
        bridges.bridges.reset_metrics(id=f"webhook:{PREFIX}-none")

    for op in ("stop", "start", "restart"):
        bridges.bridges.operate(id=bid, operation=op)
    bridges.bridges.operate_on_node(node=stub.backend.node, id=bid, operation="restart")
    with pytest.raises(emqx_client.NotFoundError) as node:
        bridges.bridges.operate_on_node(node="ghost@host", id=bid, operation="start")
    assert node.value.message == "Invalid node name: ghost@host"

    bridges.bridges.set_enabled(id=bid, enable=False)
    got_bridge = bridges.bridges.get(id=bid)
    assert got_bridge.enable is False and got_bridge.status.value == "disconnected"
    with pytest.raises(emqx_client.BadRequestError) as disabled:
        bridges.bridges.operate(id=bid, operation="start")
    assert disabled.value.message == "Forbidden operation, bridge not enabled"
    with pytest.raises(emqx_client.BadRequestError):
        bridges.bridges.operate_on_node(node=stub.backend.node, id=bid, operation="stop")
    bridges.bridges.set_enabled(id=bid, enable=True)
    assert bridges.bridges.get(id=bid).status.value == "connected"
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.set_enabled(id=f"webhook:{PREFIX}-none", enable=True)
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.operate(id=f"webhook:{PREFIX}-none", operation="stop")


def test_delete_with_dependent_rules(bridges: Any) -> None:
    bridges.bridges.create(body=WEBHOOK)
    bid = f"webhook:{PREFIX}-hook"
    rule = bridges.rules.create(
        body={"id": f"{PREFIX}-rule", "sql": 'SELECT * FROM "t/#"', "actions": [bid, "console:x"]}
    )
    try:
        with pytest.raises(emqx_client.BadRequestError) as used:
            bridges.bridges.delete(id=bid)
        assert used.value.message == "Cannot delete bridge while active rules are depending on it"
        assert used.value.body["rules"] == [f"{PREFIX}-rule"]
        bridges.bridges.delete(id=bid, also_delete_dep_actions=True)
        assert bridges.rules.get(id=rule.id).actions == ["console:x"]
    finally:
        bridges.rules.delete(id=rule.id)


def test_actions_that_are_not_v1_bridges(bridges: Any, state: Any) -> None:
    from emqx_server_stub.backend.integration.state import BridgeRecord

    bridges.bridges.create(body=WEBHOOK)
    name = f"{PREFIX}-hook"
    other = ("http", f"{PREFIX}-second")
    # A second action on the same connector: neither is a v1 bridge any more.
    state.integration.actions[other] = BridgeRecord("action", "http", other[1], {"connector": name})
    bid = f"webhook:{name}"
    assert all(b.name != name for b in bridges.bridges.list())
    with pytest.raises(emqx_client.NotFoundError):
        bridges.bridges.get(id=bid)
    with pytest.raises(emqx_client.BadRequestError) as put:
        bridges.bridges.update(id=bid, body={"url": "http://h"})
    assert put.value.code == models.ErrorCode.ALREADY_EXISTS
    with pytest.raises(emqx_client.BadRequestError) as create:
        bridges.bridges.create(body=WEBHOOK)
    assert create.value.message == "bridge already exists as non Bridge V1 compatible action"
    with pytest.raises(emqx_client.BadRequestError):
        bridges.bridges.delete(id=bid)
    with pytest.raises(emqx_client.BadRequestError):
        bridges.bridges.set_enabled(id=bid, enable=False)


def test_probe(bridges: Any) -> None:
    bridges.bridges.probe(body=WEBHOOK)
    bridges.bridges.probe(body=INGRESS)
    assert all(not b.name.startswith(PREFIX) for b in bridges.bridges.list())
    with pytest.raises(emqx_client.BadRequestError) as bad_url:
        bridges.bridges.probe(body={**WEBHOOK, "url": "not a url"})
    assert bad_url.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as neither:
        bridges.bridges.probe(body={k: v for k, v in EGRESS.items() if k != "egress"})
    assert neither.value.code == models.ErrorCode.TEST_FAILED
    # the probe's schema check knows `webhook` only (emqx_bridge_schema:api_schema)
    with pytest.raises(emqx_client.BadRequestError) as other_name:
        bridges.bridges.probe(body={**WEBHOOK, "type": "http"})
    assert other_name.value.code == models.ErrorCode.BAD_REQUEST


def test_creation_takes_http_for_webhook(bridges: Any) -> None:
    """EMQX's creation handler upgrades the v1 type without a schema check, so `http`
    creates the same bridge as `webhook`; the answer says `webhook`."""
    created = bridges.bridges.create(body={**WEBHOOK, "type": "http"})
    assert isinstance(created, models.BridgesWebhook)
    assert created.type == "webhook"
    assert bridges.bridges.get(id=f"webhook:{PREFIX}-hook").name == f"{PREFIX}-hook"


def test_union_branches(bridges: Any, bundled: dict[str, Any]) -> None:
    create = TypeAdapter(models.BridgesBridgeCreate)
    assert isinstance(create.validate_python(WEBHOOK), models.BridgesWebhookCreate)
    assert isinstance(create.validate_python(EGRESS), models.BridgesMqttCreate)
    update = TypeAdapter(models.BridgesBridgeUpdate)
    assert isinstance(update.validate_python({"url": "http://h"}), models.BridgesWebhookUpdate)
    assert isinstance(update.validate_python({"server": "h:1"}), models.BridgesMqttUpdate)
    answer = TypeAdapter(models.BridgesBridge)
    for branch in (models.BridgesWebhook, models.BridgesMqtt):
        example = bundled["components"]["schemas"][branch.__name__]["example"]
        assert isinstance(answer.validate_python(example), branch)
    for body in ({**WEBHOOK, "type": "kafka"}, {"name": f"{PREFIX}-x", "url": "http://h"}):
        for path in ("/bridges", "/bridges_probe"):
            with pytest.raises(emqx_client.BadRequestError) as info:
                bridges.request("POST", path, adapter=None, json=body)
            assert info.value.code == models.ErrorCode.BAD_REQUEST
