"""Every enterprise branch of the version 1 bridge unions, found in the spec (a branch added
later is covered without touching this file), through the generated client: as "ee" each
is created from its example, read, listed, updated, probed, enabled and disabled, started
and deleted, stored as the connector and action (or source) its type converts to and
answering as EMQX does for a target it cannot reach; as "ce" each is refused as the
open-source build refuses a bridge type it does not know."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import emqx_client
import pytest
from emqx_client import models

PREFIX = "ee-v1"


@functools.cache
def _schemas() -> dict[str, Any]:
    """The bundled spec's schemas, as the stub serves them."""
    text = resources.files("emqx_server_stub").joinpath("openapi.json").read_text("utf-8")
    schemas: dict[str, Any] = json.loads(text)["components"]["schemas"]
    return schemas


def _branches() -> list[tuple[str, str]]:
    """(v1 type, create schema name) of every enterprise branch of the create union."""
    mapping = _schemas()["BridgesBridgeCreate"]["discriminator"]["mapping"]
    found = []
    for type_, ref in mapping.items():
        name = ref.rsplit("/", 1)[-1]
        if _schemas()[name].get("x-emqx-edition") == "enterprise":
            found.append((type_, name))
    return found


def _stored_as(create: str, type_: str) -> str:
    """The action or source type a v1 type is stored as (the spec's mark)."""
    return str(_schemas()[create].get("x-emqx-action-type") or type_)


def _answer(type_: str) -> str:
    ref = _schemas()["BridgesBridge"]["discriminator"]["mapping"][type_]
    return str(ref).rsplit("/", 1)[-1]


def _body(create: str, name: str) -> dict[str, Any]:
    body = dict(_schemas()[create]["example"])
    body["name"] = name
    return body


def _required(schema_name: str) -> list[str]:
    """The required fields of a schema and of the schemas its allOf composes."""
    schema = _schemas()[schema_name]
    found = list(schema.get("required", []))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            found += _required(part["$ref"].rsplit("/", 1)[-1])
    return found


CASES = _branches()
IDS = [t for t, _ in CASES]


@pytest.fixture()
def ee(ee_client: Any) -> Iterator[Any]:
    """The enterprise client, with every resource this module made deleted afterwards."""
    yield ee_client
    for bridge in ee_client.bridges.list():
        if bridge.name.startswith(PREFIX):
            ee_client.bridges.delete(id=f"{bridge.type}:{bridge.name}")
    for kind in (ee_client.actions, ee_client.sources):
        for item in kind.list():
            if item.name.startswith(PREFIX):
                kind.delete(id=f"{item.type}:{item.name}")
    for conn in ee_client.connectors.list():
        if conn.name.startswith(PREFIX):
            ee_client.connectors.delete(id=f"{conn.type}:{conn.name}")


def test_the_enterprise_v1_types_are_branches() -> None:
    # the 30 v1 types of emqx_bridge_enterprise.erl's api_schemas/1 whose action_info
    # names them (all but iotdb, see ee_bridges_v1.yaml)
    assert len(CASES) == 30
    assert {"kafka", "redis_cluster", "mongodb_rs", "influxdb_api_v2", "pgsql"} <= set(IDS)
    assert _stored_as(dict(CASES)["kafka"], "kafka") == "kafka_producer"


@pytest.mark.parametrize(("type_", "create"), CASES, ids=IDS)
def test_enterprise_bridge_lifecycle(ee: Any, stub: Any, type_: str, create: str) -> None:
    name = f"{PREFIX}-{type_}".replace("_", "-")
    bid = f"{type_}:{name}"
    stored = _stored_as(create, type_)
    body = _body(create, name)

    created = ee.bridges.create(body=body)
    assert type(created).__name__ == _answer(type_)
    assert created.type == type_ and created.name == name
    # the stub reaches no external system: disconnected, with the reason, on every node
    assert created.status.value == "disconnected"
    assert created.status_reason == "econnrefused"
    assert all(n.status.value == "disconnected" for n in created.node_status)
    dumped = created.model_dump(mode="json", by_alias=True)
    for key, value in body.items():
        if key in ("type", "name") or isinstance(value, dict | list):
            continue
        # secrets are answered hidden, everything else as sent
        answered = dumped.get(key)
        assert answered == value or set(str(answered)) == {"*"}, key

    assert ee.bridges.get(id=bid).model_dump() == created.model_dump()
    assert [b.name for b in ee.bridges.list() if b.type == type_] == [name]

    # stored as a connector and an action (or source) of the bridge's name
    kind = ee.actions if stored in [t.value for t in ee.actions.list_types()] else ee.sources
    channel = kind.get(id=f"{stored}:{name}")
    assert channel.connector == name
    conns = [c for c in ee.connectors.list() if c.name == name]
    assert len(conns) == 1
    users = conns[0].model_dump()
    assert name in (users.get("actions") or []) + (users.get("sources") or [])

    update = {k: v for k, v in body.items() if k not in ("type", "name")}
    update["enable"] = False
    changed = ee.bridges.update(id=bid, body=update)
    assert type(changed).__name__ == _answer(type_)
    assert changed.enable is False and changed.status.value == "disconnected"
    assert kind.get(id=f"{stored}:{name}").enable is False
    update["enable"] = True
    assert ee.bridges.update(id=bid, body=update).enable is True

    with pytest.raises(emqx_client.BadRequestError) as probe:
        ee.bridges.probe(body=body)
    assert probe.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as start:
        ee.bridges.operate(id=bid, operation="restart")
    assert start.value.message == "econnrefused"
    with pytest.raises(emqx_client.BadRequestError):
        ee.bridges.operate_on_node(id=bid, node=stub.backend.node, operation="start")
    ee.bridges.operate(id=bid, operation="stop")

    metrics = ee.bridges.get_metrics(id=bid)
    assert metrics.metrics.success == 0 and metrics.metrics.matched == 0

    ee.bridges.set_enabled(id=bid, enable=False)
    assert ee.bridges.get(id=bid).enable is False
    assert ee.connectors.get(id=f"{conns[0].type}:{name}").enable is False
    with pytest.raises(emqx_client.BadRequestError) as disabled:
        ee.bridges.operate(id=bid, operation="start")
    assert disabled.value.message == "Forbidden operation, bridge not enabled"
    ee.bridges.set_enabled(id=bid, enable=True)

    ee.bridges.delete(id=bid)
    with pytest.raises(emqx_client.NotFoundError):
        ee.bridges.get(id=bid)
    with pytest.raises(emqx_client.NotFoundError):
        kind.get(id=f"{stored}:{name}")
    assert not [c for c in ee.connectors.list() if c.name == name]


@pytest.mark.parametrize(("type_", "create"), CASES, ids=IDS)
def test_a_body_that_does_not_fit_is_refused(ee: Any, type_: str, create: str) -> None:
    name = f"{PREFIX}-bad-{type_}".replace("_", "-")
    body = _body(create, name)
    required = [k for k in _required(create) if k not in ("type", "name") and k in body]
    assert required, create
    del body[required[0]]
    with pytest.raises(emqx_client.BadRequestError) as refused:
        ee.request("POST", "/bridges", adapter=None, json=body)
    assert refused.value.code == models.ErrorCode.BAD_REQUEST
    assert not [b for b in ee.bridges.list() if b.name == name]


@pytest.mark.parametrize(("type_", "create"), CASES, ids=IDS)
def test_open_source_build_refuses_enterprise_bridges(client: Any, type_: str, create: str) -> None:
    body = _body(create, f"{PREFIX}-ce")
    for path in ("/bridges", "/bridges_probe"):
        with pytest.raises(emqx_client.BadRequestError) as refused:
            client.request("POST", path, adapter=None, json=body)
        assert refused.value.code == models.ErrorCode.BAD_REQUEST
        assert json.loads(str(refused.value.message)) == {
            "field_name": "type",
            "value": type_,
            "reason": "unknown bridge type",
        }
    with pytest.raises(emqx_client.NotFoundError):
        client.request("GET", f"/bridges/{type_}:{PREFIX}-ce", adapter=None)


def test_an_action_shared_by_two_is_not_a_v1_bridge(ee: Any) -> None:
    """A v1 bridge is an action whose connector serves it alone (as EMQX lists them)."""
    create = dict(CASES)["mysql"]
    name = f"{PREFIX}-shared"
    ee.bridges.create(body=_body(create, name))
    got = ee.actions.get(id=f"mysql:{name}")
    action = got.model_dump(mode="json", by_alias=True, exclude_none=True)
    keep = ("connector", "parameters", "enable", "local_topic", "resource_opts")
    second = {k: v for k, v in action.items() if k in keep}
    ee.actions.create(body={**second, "type": "mysql", "name": f"{name}-2"})
    assert name not in [b.name for b in ee.bridges.list()]
    with pytest.raises(emqx_client.NotFoundError):
        ee.bridges.get(id=f"mysql:{name}")
    ee.actions.delete(id=f"mysql:{name}-2")
    assert ee.bridges.get(id=f"mysql:{name}").name == name
