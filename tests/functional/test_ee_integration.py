"""Every enterprise branch of the connector, action and source unions, found in the spec
(so a branch added later is covered without touching this file), through the generated
client: as "ee" each is created from its example, read, listed, updated, probed, enabled
and disabled, started and deleted, answering as EMQX does for a target it cannot reach;
as "ce" each is refused as the open-source build refuses a type it does not know."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

PREFIX = "ee-integ"
UNIONS = {
    "connector": ("ConnectorsConnector", "ConnectorsConnectorCreate", "ConnectorsConnectorUpdate"),
    "action": ("ActionsAction", "ActionsActionCreate", "ActionsActionUpdate"),
    "source": ("SourcesSource", "SourcesSourceCreate", "SourcesSourceUpdate"),
}
PATHS = {"connector": "/connectors", "action": "/actions", "source": "/sources"}
UNKNOWN = {
    "connector": "unknown connector type",
    "action": "unknown bridge type",
    "source": "unknown bridge type",
}


@functools.cache
def _schemas() -> dict[str, Any]:
    """The bundled spec's schemas, as the stub serves them."""
    text = resources.files("emqx_server_stub").joinpath("openapi.json").read_text("utf-8")
    schemas: dict[str, Any] = json.loads(text)["components"]["schemas"]
    return schemas


def _branches(kind: str) -> list[tuple[str, str]]:
    """(type, create schema name) of every enterprise branch of a kind's create union."""
    schemas = _schemas()
    _, create, _ = UNIONS[kind]
    mapping = schemas[create]["discriminator"]["mapping"]
    found = []
    for type_, ref in mapping.items():
        name = ref.rsplit("/", 1)[-1]
        if schemas[name].get("x-emqx-edition") == "enterprise":
            found.append((type_, name))
    return found


def _example_of(schema_name: str) -> dict[str, Any]:
    """A schema's example; for a type that is itself a union (IoTDB's drivers), the example
    of its first variant."""
    schema = _schemas()[schema_name]
    if "example" not in schema:
        first = (schema.get("oneOf") or schema["anyOf"])[0]["$ref"].rsplit("/", 1)[-1]
        return _example_of(first)
    return dict(schema["example"])


def _classes(schema_name: str) -> set[str]:
    """The class names a value of this schema reads into: itself, or for a type that is
    itself a union (IoTDB's drivers) each of its variants."""
    schema = _schemas()[schema_name]
    variants = schema.get("oneOf") or schema.get("anyOf") or []
    return {schema_name} | {v["$ref"].rsplit("/", 1)[-1] for v in variants}


def _example(schema_name: str, name: str, **extra: Any) -> dict[str, Any]:
    body = _example_of(schema_name)
    body.update(name=name, **extra)
    return body


def _connector_type(kind: str, type_: str) -> str:
    schema = _schemas()[dict(_branches(kind))[type_]]
    return str(schema.get("x-emqx-connector-type") or type_)


def _connector_body(type_: str, name: str) -> dict[str, Any]:
    create = dict(_branches("connector"))[type_]
    return _example(create, name)


def _ids(kind: str) -> list[str]:
    return [t for t, _ in _branches(kind)]


@pytest.fixture()
def ee(ee_client: Any) -> Iterator[Any]:
    """The enterprise client, with every resource this module made deleted afterwards."""
    yield ee_client
    for action in ee_client.actions.list():
        if action.name.startswith(PREFIX):
            ee_client.actions.delete(id=f"{action.type}:{action.name}")
    for source in ee_client.sources.list():
        if source.name.startswith(PREFIX):
            ee_client.sources.delete(id=f"{source.type}:{source.name}")
    for conn in ee_client.connectors.list():
        if conn.name.startswith(PREFIX):
            ee_client.connectors.delete(id=f"{conn.type}:{conn.name}")


def test_every_kind_has_enterprise_branches() -> None:
    for kind in UNIONS:
        assert _branches(kind), kind


@pytest.mark.parametrize("type_", _ids("connector"))
def test_enterprise_connector_lifecycle(ee: Any, stub: Any, type_: str) -> None:
    schemas = _schemas()
    name = f"{PREFIX}-c-{type_}".replace("_", "-")
    cid = f"{type_}:{name}"
    body = _connector_body(type_, name)
    created = ee.connectors.create(body=body)
    answer_name = schemas["ConnectorsConnector"]["discriminator"]["mapping"][type_].rsplit("/")[-1]
    assert type(created).__name__ in _classes(answer_name)
    assert created.type == type_ and created.name == name
    # the stub reaches no external system: disconnected, with a reason, on every node
    assert created.status.value == "disconnected"
    assert created.status_reason
    assert all(n.status.value == "disconnected" for n in created.node_status)

    got = ee.connectors.get(id=cid)
    assert got.model_dump() == created.model_dump()
    assert [c.name for c in ee.connectors.list() if c.type == type_] == [name]

    update = {k: v for k, v in body.items() if k not in ("type", "name")}
    update["description"] = "changed"
    changed = ee.connectors.update(id=cid, body=update)
    assert changed.description == "changed"
    assert ee.connectors.get(id=cid).description == "changed"

    with pytest.raises(emqx_client.BadRequestError) as probe:
        ee.connectors.probe(body=body)
    assert probe.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as start:
        ee.connectors.operate(id=cid, operation="start")
    assert start.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        ee.connectors.operate_on_node(id=cid, node=stub.backend.node, operation="start")

    ee.connectors.set_enabled(id=cid, enable=False)
    off = ee.connectors.get(id=cid)
    assert off.enable is False and off.status.value == "disconnected"
    with pytest.raises(emqx_client.BadRequestError) as disabled:
        ee.connectors.operate(id=cid, operation="start")
    assert disabled.value.message == "Forbidden operation, connector not enabled"
    ee.connectors.set_enabled(id=cid, enable=True)

    ee.connectors.delete(id=cid)
    with pytest.raises(emqx_client.NotFoundError):
        ee.connectors.get(id=cid)


def _kind_api(client: Any, kind: str) -> Any:
    return client.actions if kind == "action" else client.sources


def _call(client: Any, kind: str, verb: str, **kwargs: Any) -> Any:
    api = _kind_api(client, kind)
    return getattr(api, verb)(**kwargs)


BRIDGE_CASES = [("action", t) for t in _ids("action")] + [("source", t) for t in _ids("source")]


@pytest.mark.parametrize(("kind", "type_"), BRIDGE_CASES)
def test_enterprise_action_and_source_lifecycle(ee: Any, kind: str, type_: str) -> None:
    schemas = _schemas()
    name = f"{PREFIX}-{kind[0]}-{type_}".replace("_", "-")
    bid = f"{type_}:{name}"
    conn_type = _connector_type(kind, type_)
    ee.connectors.create(body=_connector_body(conn_type, name))
    body = _example(dict(_branches(kind))[type_], name, connector=name)

    created = _call(ee, kind, "create", body=body)
    answer_name = schemas[UNIONS[kind][0]]["discriminator"]["mapping"][type_].rsplit("/")[-1]
    assert type(created).__name__ in _classes(answer_name)
    assert created.connector == name and created.enable is True
    # its connector cannot reach the target, so the channel is not installed
    assert created.status.value == "disconnected"
    assert _call(ee, kind, "get", id=bid).model_dump() == created.model_dump()
    listed = _call(ee, kind, "list")
    assert [x.name for x in listed if x.type == type_] == [name]
    assert name in ee.connectors.get(id=f"{conn_type}:{name}").model_dump()[f"{kind}s"]

    update = {k: v for k, v in body.items() if k not in ("type", "name")}
    update["description"] = "changed"
    assert _call(ee, kind, "update", id=bid, body=update).description == "changed"

    with pytest.raises(emqx_client.BadRequestError) as probe:
        _call(ee, kind, "probe", body=body)
    assert probe.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError):
        _call(ee, kind, "start", id=bid, operation="start")

    metrics = _call(ee, kind, "get_metrics", id=bid)
    assert all(v == 0 for v in metrics.metrics.model_dump().values() if isinstance(v, int | float))

    _call(ee, kind, "set_enabled", id=bid, enable=False)
    assert _call(ee, kind, "get", id=bid).enable is False
    _call(ee, kind, "set_enabled", id=bid, enable=True)

    # the connector is in use: it cannot go first
    with pytest.raises(emqx_client.BadRequestError):
        ee.connectors.delete(id=f"{conn_type}:{name}")
    _call(ee, kind, "delete", id=bid)
    with pytest.raises(emqx_client.NotFoundError):
        _call(ee, kind, "get", id=bid)
    ee.connectors.delete(id=f"{conn_type}:{name}")


@pytest.mark.parametrize(("kind", "type_"), BRIDGE_CASES)
def test_connector_of_another_type_is_refused(ee: Any, kind: str, type_: str) -> None:
    """An action or source naming a connector that exists only under another type: EMQX's
    `connector_not_found_or_wrong_type`."""
    name = f"{PREFIX}-w-{type_}".replace("_", "-")
    ee.connectors.create(body={"type": "http", "name": name, "url": "http://h:80/"})
    body = _example(dict(_branches(kind))[type_], name, connector=name)
    with pytest.raises(emqx_client.BadRequestError) as wrong:
        _call(ee, kind, "create", body=body)
    assert "connector_not_found_or_wrong_type" in str(wrong.value.message)
    ee.connectors.delete(id=f"http:{name}")


@pytest.mark.parametrize(("kind", "type_"), [(k, t) for k in UNIONS for t in _ids(k)])
def test_open_source_build_refuses_enterprise_types(client: Any, kind: str, type_: str) -> None:
    create = dict(_branches(kind))[type_]
    body = _example(create, f"{PREFIX}-ce", **({"connector": "c"} if kind != "connector" else {}))
    for path in (PATHS[kind], f"{PATHS[kind]}_probe"):
        with pytest.raises(emqx_client.BadRequestError) as refused:
            client.request("POST", path, adapter=None, json=body)
        assert refused.value.code == models.ErrorCode.BAD_REQUEST
        assert json.loads(str(refused.value.message)) == {
            "field_name": "type",
            "value": type_,
            "reason": UNKNOWN[kind],
        }
    with pytest.raises(emqx_client.NotFoundError):
        client.request("GET", f"{PATHS[kind]}/{type_}:{PREFIX}-ce", adapter=None)
    listed = client.actions.list_types() if kind == "action" else None
    if listed is not None:
        assert type_ not in [t.value for t in listed]


def test_enterprise_types_are_listed_only_by_the_enterprise_build(
    client: Any, ee_client: Any
) -> None:
    ee_actions = [t.value for t in ee_client.actions.list_types()]
    ce_actions = [t.value for t in client.actions.list_types()]
    assert set(_ids("action")) <= set(ee_actions)
    assert not set(_ids("action")) & set(ce_actions)
    ee_sources = [t.value for t in ee_client.sources.list_types()]
    assert set(_ids("source")) <= set(ee_sources)
    assert "mqtt" in [t.value for t in client.sources.list_types()]


@pytest.mark.parametrize(("kind", "type_"), [(k, t) for k in UNIONS for t in _ids(k)])
def test_examples_parse_into_their_branches(kind: str, type_: str) -> None:
    schemas = _schemas()
    answer, create, _ = UNIONS[kind]
    for union in (answer, create):
        branch = schemas[union]["discriminator"]["mapping"][type_].rsplit("/")[-1]
        parsed = TypeAdapter(getattr(models, union)).validate_python(_example_of(branch))
        assert type(parsed).__name__ in _classes(branch)
