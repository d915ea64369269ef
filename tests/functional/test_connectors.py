"""Connectors: HTTP and MQTT connectors created, read, changed, enabled, started, probed
and deleted through the generated client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

PREFIX = "conn-area"
HTTP = {"type": "http", "name": f"{PREFIX}-web", "url": "http://127.0.0.1:8080/hook"}
MQTT = {
    "type": "mqtt",
    "name": f"{PREFIX}-remote",
    "server": "broker.example.com:1883",
    "username": "bridge",
    "password": "s3cret",
    "static_clientids": [
        {"node": "emqx@127.0.0.1", "ids": ["c-1", {"clientid": "c-2", "password": "p2"}]}
    ],
}


@pytest.fixture()
def connectors(client: Any) -> Iterator[Any]:
    """The client, with every connector of this module deleted afterwards."""
    yield client
    for conn in client.connectors.list():
        if conn.name.startswith(PREFIX):
            client.connectors.delete(id=f"{conn.type}:{conn.name}")


def test_create_get_list_http(connectors: Any, stub: Any) -> None:
    created = connectors.connectors.create(body=HTTP)
    assert isinstance(created, models.ConnectorsHttp)
    assert created.url == HTTP["url"] and created.enable is True
    assert created.pool_size == 8 and created.pool_type.value == "random"
    assert created.headers["content-type"] == "application/json"
    assert created.ssl.enable is False and created.ssl.verify.value == "verify_none"
    assert created.resource_opts.health_check_interval == "15s"
    assert created.status.value == "connected" and created.actions == [] and created.sources == []
    assert [n.node for n in created.node_status] == [stub.backend.node]

    got = connectors.connectors.get(id=f"http:{PREFIX}-web")
    assert got.model_dump() == created.model_dump()
    listed = [c for c in connectors.connectors.list() if c.name == f"{PREFIX}-web"]
    assert len(listed) == 1 and isinstance(listed[0], models.ConnectorsHttp)
    # `connector:` in front of the id is accepted too.
    assert connectors.connectors.get(id=f"connector:http:{PREFIX}-web").name == HTTP["name"]

    with pytest.raises(emqx_client.BadRequestError) as info:
        connectors.connectors.create(body=HTTP)
    assert info.value.code == models.ErrorCode.ALREADY_EXISTS
    with pytest.raises(emqx_client.NotFoundError) as missing:
        connectors.connectors.get(id=f"http:{PREFIX}-none")
    assert "does not exist" in str(missing.value.message)
    for bad in (f"nope:{PREFIX}", "http", "http:-bad"):
        with pytest.raises(emqx_client.NotFoundError) as invalid:
            connectors.connectors.get(id=bad)
        assert str(invalid.value.message).startswith("Invalid connector ID")


def test_mqtt_secrets_and_update(connectors: Any) -> None:
    created = connectors.connectors.create(body=MQTT)
    assert isinstance(created, models.ConnectorsMqtt)
    assert created.password == "******" and created.proto_ver.value == "v4"
    ids = created.static_clientids[0].ids
    assert [i.clientid for i in ids] == ["c-1", "c-2"] and ids[1].password == "******"
    assert created.keepalive == "160s" and created.max_inflight == 32

    cid = f"mqtt:{PREFIX}-remote"
    # What the dashboard does: send the answer back, secrets as the broker showed them.
    body = {k: v for k, v in MQTT.items() if k not in ("type", "name")}
    body.update(proto_ver="v5", password="******")
    body["static_clientids"] = [
        {"node": "emqx@127.0.0.1", "ids": ["c-1", {"clientid": "c-2", "password": "******"}]}
    ]
    updated = connectors.connectors.update(id=cid, body=body)
    assert updated.proto_ver.value == "v5" and updated.password == "******"
    # The secrets sent back as ****** kept their stored values.
    record = connectors_record(cid)
    assert record.config["password"] == "s3cret"
    assert record.config["static_clientids"][0]["ids"][1]["password"] == "p2"

    with pytest.raises(emqx_client.BadRequestError) as wrong_type:
        connectors.connectors.update(id=cid, body={"url": "http://x"})
    assert wrong_type.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        connectors.connectors.update(
            id=cid,
            body={"server": "h:1", "static_clientids": [{"node": "n", "ids": ["a", "a"]}]},
        )
    with pytest.raises(emqx_client.NotFoundError):
        connectors.connectors.update(id=f"mqtt:{PREFIX}-none", body={"server": "h:1"})
    with pytest.raises(emqx_client.NotFoundError) as bad_id:
        connectors.connectors.update(id="mqtt", body={"server": "h:1"})
    assert str(bad_id.value.message).startswith("Invalid connector id, should be of pattern")


def connectors_record(cid: str) -> Any:
    from emqx_server_stub.backend.integration import state  # noqa: F401

    type_, name = cid.split(":")
    return _STATE["state"].integration.connectors[(type_, name)]


_STATE: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _state(stub: Any) -> None:
    _STATE["state"] = stub.backend._state


def test_enable_and_start(connectors: Any, stub: Any) -> None:
    connectors.connectors.create(body=HTTP)
    cid = f"http:{PREFIX}-web"
    connectors.connectors.set_enabled(id=cid, enable=False)
    got = connectors.connectors.get(id=cid)
    assert got.enable is False and got.status.value == "disconnected"
    with pytest.raises(emqx_client.BadRequestError) as disabled:
        connectors.connectors.operate(id=cid, operation="start")
    assert disabled.value.message == "Forbidden operation, connector not enabled"
    with pytest.raises(emqx_client.BadRequestError):
        connectors.connectors.operate_on_node(node=stub.backend.node, id=cid, operation="start")

    connectors.connectors.set_enabled(id=cid, enable=True)
    assert connectors.connectors.get(id=cid).status.value == "connected"
    connectors.connectors.operate(id=cid, operation="start")
    connectors.connectors.operate_on_node(node=stub.backend.node, id=cid, operation="start")

    with pytest.raises(emqx_client.NotFoundError):
        connectors.connectors.set_enabled(id=f"http:{PREFIX}-none", enable=True)
    with pytest.raises(emqx_client.NotFoundError):
        connectors.connectors.operate(id=f"http:{PREFIX}-none", operation="start")
    with pytest.raises(emqx_client.NotFoundError) as node:
        connectors.connectors.operate_on_node(node="nobody@nowhere", id=cid, operation="start")
    assert node.value.message == "Invalid node name: nobody@nowhere"


def test_delete_refused_while_used(connectors: Any) -> None:
    from emqx_server_stub.backend.integration.state import BridgeRecord

    connectors.connectors.create(body=HTTP)
    cid = f"http:{PREFIX}-web"
    actions = _STATE["state"].integration.actions
    key = ("http", f"{PREFIX}-user")
    actions[key] = BridgeRecord("action", "http", key[1], {"connector": f"{PREFIX}-web"})
    try:
        assert connectors.connectors.get(id=cid).actions == [f"{PREFIX}-user"]
        with pytest.raises(emqx_client.BadRequestError) as used:
            connectors.connectors.delete(id=cid)
        assert f"action:http:{PREFIX}-user" in str(used.value.message)
    finally:
        del actions[key]
    connectors.connectors.delete(id=cid)
    with pytest.raises(emqx_client.NotFoundError):
        connectors.connectors.delete(id=cid)


def test_probe(connectors: Any) -> None:
    connectors.connectors.probe(body=HTTP)
    connectors.connectors.probe(body=MQTT)
    assert all(not c.name.startswith(PREFIX) for c in connectors.connectors.list())
    with pytest.raises(emqx_client.BadRequestError) as failed:
        connectors.connectors.probe(body={**HTTP, "url": "ftp://files"})
    assert failed.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as port:
        connectors.connectors.probe(body={**MQTT, "server": "h:70000"})
    assert port.value.code == models.ErrorCode.TEST_FAILED


def test_union_branches(connectors: Any, bundled: dict[str, Any]) -> None:
    create = TypeAdapter(models.ConnectorsConnectorCreate)
    assert isinstance(create.validate_python(HTTP), models.ConnectorsHttpCreate)
    assert isinstance(create.validate_python(MQTT), models.ConnectorsMqttCreate)
    update = TypeAdapter(models.ConnectorsConnectorUpdate)
    assert isinstance(update.validate_python({"url": "http://h"}), models.ConnectorsHttpUpdate)
    assert isinstance(update.validate_python({"server": "h:1"}), models.ConnectorsMqttUpdate)
    answer = TypeAdapter(models.ConnectorsConnector)
    for branch in (models.ConnectorsHttp, models.ConnectorsMqtt):
        example = bundled["components"]["schemas"][branch.__name__]["example"]
        assert isinstance(answer.validate_python(example), branch)
    # A body of a type no branch describes: the stub refuses it as the broker does.
    for body in ({**HTTP, "type": "kafka_producer"}, {"name": f"{PREFIX}-x"}):
        with pytest.raises(emqx_client.BadRequestError) as info:
            connectors.request("POST", "/connectors", adapter=None, json=body)
        assert info.value.code == models.ErrorCode.BAD_REQUEST
