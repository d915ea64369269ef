"""Actions: types, create/read/change/delete, counters, enable, start, probe, summary,
the rules that use an action, and the `type` union's branches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models
from pydantic import TypeAdapter

PREFIX = "actions-area"


CONNECTOR_BODIES: dict[str, dict[str, Any]] = {
    "http": {"url": "http://127.0.0.1:8080/hook"},
    "mqtt": {"server": "broker.example.com:1883"},
}


def make_connector(client: Any, type_: str, name: str) -> None:
    """A connector for the actions and sources to use, made through the API."""
    client.connectors.create(body={"type": type_, "name": name, **CONNECTOR_BODIES[type_]})


def drop_connector(client: Any, type_: str, name: str) -> None:
    client.connectors.delete(id=f"{type_}:{name}")


@pytest.fixture()
def connectors(client: Any) -> Iterator[str]:
    name = f"{PREFIX}-conn"
    make_connector(client, "http", name)
    make_connector(client, "mqtt", name)
    yield name
    drop_connector(client, "http", name)
    drop_connector(client, "mqtt", name)


def http_body(name: str, connector: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "http",
        "name": name,
        "connector": connector,
        "parameters": {"path": "/hook/${clientid}", "body": "${payload}"},
        **extra,
    }


def mqtt_body(name: str, connector: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "mqtt",
        "name": name,
        "connector": connector,
        "parameters": {"topic": "remote/${topic}", "qos": 2},
        **extra,
    }


def post_raw(client: Any, path: str, body: dict[str, Any]) -> Any:
    """POST a body the client's models would refuse (it fits no `type` branch)."""
    return client.actions._client.request("POST", path, adapter=None, json=body)


def test_action_types(client: Any) -> None:
    assert [str(t.value) for t in client.actions.list_types()] == ["http", "mqtt"]


def test_http_action_lifecycle(client: Any, connectors: str) -> None:
    name = f"{PREFIX}-http"
    aid = f"http:{name}"
    created = client.actions.create(body=http_body(name, connectors, description="d1"))
    used = client.connectors.get(id=f"http:{connectors}")
    assert used.actions == [name]
    assert isinstance(created, models.ActionsHttp)
    assert created.name == name and created.connector == connectors and created.enable is True
    assert created.status == models.ActionsStatus.CONNECTED and created.rules == []
    assert created.parameters.method == models.ActionsHttpParametersMethod.POST
    assert created.parameters.headers["content-type"] == "application/json"
    assert created.parameters.max_retries == 2 and created.parameters.path == "/hook/${clientid}"
    assert created.resource_opts.worker_pool_size == 16
    assert created.resource_opts.query_mode == models.ActionsResourceOptsQueryMode.ASYNC
    assert created.node_status[0].status == models.ActionsStatus.CONNECTED
    try:
        with pytest.raises(emqx_client.BadRequestError) as taken:
            client.actions.create(body=http_body(name, connectors))
        assert taken.value.code == models.ErrorCode.ALREADY_EXISTS

        got = client.actions.get(id=aid)
        assert isinstance(got, models.ActionsHttp) and got.description == "d1"
        assert got.created_at == created.created_at
        assert aid in [f"{a.type}:{a.name}" for a in client.actions.list()]
        summary = next(s for s in client.actions.list_summary() if s.name == name)
        assert summary.type == "http" and summary.status == models.ActionsStatus.CONNECTED
        assert summary.description == "d1" and summary.enable is True

        changed = client.actions.update(
            id=aid,
            body={
                "connector": connectors,
                "description": "d2",
                "parameters": {"method": "put", "headers": {}},
                "resource_opts": {"worker_pool_size": 4},
            },
        )
        assert isinstance(changed, models.ActionsHttp)
        assert changed.description == "d2" and changed.parameters.method.value == "put"
        assert changed.parameters.headers == {} and changed.parameters.path is None
        assert changed.resource_opts.worker_pool_size == 4
        assert changed.created_at == created.created_at

        with pytest.raises(emqx_client.BadRequestError):  # an MQTT shape on an HTTP action
            client.actions.update(
                id=aid, body={"connector": connectors, "parameters": {"topic": "t/1"}}
            )
        with pytest.raises(emqx_client.BadRequestError) as missing:
            client.actions.update(id=aid, body={"connector": f"{PREFIX}-nope", "parameters": {}})
        assert "connector_not_found_or_wrong_type" in missing.value.message
        with pytest.raises(emqx_client.NotFoundError):
            client.actions.update(
                id=f"http:{PREFIX}-ghost", body={"connector": connectors, "parameters": {}}
            )
    finally:
        client.actions.delete(id=aid)
    with pytest.raises(emqx_client.NotFoundError) as gone:
        client.actions.get(id=aid)
    assert gone.value.code == models.ErrorCode.NOT_FOUND
    with pytest.raises(emqx_client.NotFoundError):
        client.actions.delete(id=aid)


def test_malformed_ids_are_not_found(client: Any) -> None:
    for bad in ("no-colon", "http:a:b", "http:-starts-with-dash"):
        with pytest.raises(emqx_client.NotFoundError) as info:
            client.actions.get(id=bad)
        assert info.value.code == models.ErrorCode.NOT_FOUND
        assert "Invalid bridge ID" in info.value.message


def test_escaped_colon_in_the_id(client: Any, stub: Any, connectors: str) -> None:
    name = f"{PREFIX}-escaped"
    client.actions.create(body=mqtt_body(name, connectors))
    try:
        answer = httpx.get(
            f"{stub.base_url}/actions/mqtt%3A{name}",
            auth=("functional-key", "functional-secret-do-not-leak"),
        )
        assert answer.status_code == 200 and answer.json()["name"] == name
    finally:
        client.actions.delete(id=f"mqtt:{name}")


def test_create_errors(client: Any, connectors: str) -> None:
    with pytest.raises(emqx_client.BadRequestError) as no_conn:
        client.actions.create(body=http_body(f"{PREFIX}-x", f"{PREFIX}-missing"))
    assert no_conn.value.code == models.ErrorCode.BAD_REQUEST
    assert "connector_not_found_or_wrong_type" in no_conn.value.message
    with pytest.raises(emqx_client.BadRequestError) as no_branch:  # fits no `type`
        post_raw(
            client,
            "/actions",
            {"type": "kafka", "name": f"{PREFIX}-k", "connector": connectors, "parameters": {}},
        )
    assert no_branch.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):  # an MQTT action needs a topic
        post_raw(
            client,
            "/actions",
            {"type": "mqtt", "name": f"{PREFIX}-m", "connector": connectors, "parameters": {}},
        )
    with pytest.raises(emqx_client.BadRequestError):
        post_raw(client, "/actions", http_body("_bad name", connectors))
    names = [a.name for a in client.actions.list()]
    assert not any(n.startswith(f"{PREFIX}-") for n in names)


def test_union_branches_parse_into_their_classes(client: Any, connectors: str) -> None:
    creates = TypeAdapter(models.ActionsActionCreate)
    assert isinstance(creates.validate_python(http_body("a", "c")), models.ActionsHttpCreate)
    assert isinstance(creates.validate_python(mqtt_body("a", "c")), models.ActionsMqttCreate)
    name = f"{PREFIX}-branch"
    made = client.actions.create(body=mqtt_body(name, connectors, local_topic="l/#"))
    try:
        assert isinstance(made, models.ActionsMqtt)
        assert made.parameters.topic == "remote/${topic}" and made.parameters.retain is False
        assert made.local_topic == "l/#"
        assert made.resource_opts.inflight_window == 100
        listed = [a for a in client.actions.list() if a.name == name]
        assert len(listed) == 1 and isinstance(listed[0], models.ActionsMqtt)
        updated = client.actions.update(
            id=f"mqtt:{name}",
            body={"connector": connectors, "parameters": {"topic": "other", "retain": "${retain}"}},
        )
        assert isinstance(updated, models.ActionsMqtt) and updated.parameters.retain == "${retain}"
        assert updated.parameters.qos == 1 and updated.local_topic is None
    finally:
        client.actions.delete(id=f"mqtt:{name}")


def test_enable_and_start(client: Any, stub: Any, connectors: str) -> None:
    name = f"{PREFIX}-start"
    aid = f"http:{name}"
    client.actions.create(body=http_body(name, connectors))
    try:
        client.actions.start(id=aid, operation="start")
        client.actions.start_on_node(id=aid, node=stub.backend.node, operation="start")
        client.actions.set_enabled(id=aid, enable=False)
        off = client.actions.get(id=aid)
        assert off.enable is False and off.status == models.ActionsStatus.DISCONNECTED
        assert off.status_reason == "Not installed"
        with pytest.raises(emqx_client.BadRequestError) as disabled:
            client.actions.start(id=aid, operation="start")
        assert disabled.value.message == "Forbidden operation, bridge not enabled"
        with pytest.raises(emqx_client.BadRequestError):
            client.actions.start_on_node(id=aid, node=stub.backend.node, operation="start")
        client.actions.set_enabled(id=aid, enable=True)
        assert client.actions.get(id=aid).status == models.ActionsStatus.CONNECTED
        client.connectors.set_enabled(id=f"http:{connectors}", enable=False)
        assert client.actions.get(id=aid).status == models.ActionsStatus.DISCONNECTED
        with pytest.raises(emqx_client.BadRequestError):  # its connector is disabled
            client.actions.start(id=aid, operation="start")
        client.connectors.set_enabled(id=f"http:{connectors}", enable=True)
        with pytest.raises(emqx_client.NotFoundError) as other:
            client.actions.start_on_node(id=aid, node="emqx@elsewhere", operation="start")
        assert "emqx@elsewhere" in other.value.message
        with pytest.raises(emqx_client.BadRequestError):
            client.actions.start(id=aid, operation="stop")
        with pytest.raises(emqx_client.NotFoundError):
            client.actions.start(id=f"http:{PREFIX}-ghost", operation="start")
        with pytest.raises(emqx_client.NotFoundError):
            client.actions.set_enabled(id=f"http:{PREFIX}-ghost", enable=True)
    finally:
        client.actions.delete(id=aid)


def test_metrics(client: Any, connectors: str) -> None:
    name = f"{PREFIX}-metrics"
    aid = f"http:{name}"
    client.actions.create(body=http_body(name, connectors))
    try:
        got = client.actions.get_metrics(id=aid)
        assert got.metrics.matched == 0 and got.metrics.rate == 0.0
        assert got.model_dump(by_alias=True)["metrics"]["dropped.queue_full"] == 0
        assert len(got.node_metrics) == 1
        ghost = client.actions.get_metrics(id=f"http:{PREFIX}-ghost")
        assert ghost.metrics.success == 0
        with pytest.raises(emqx_client.NotFoundError):
            client.actions.get_metrics(id="not-an-id")
        client.actions.reset_metrics(id=aid)
        with pytest.raises(emqx_client.InternalServerError) as crash:
            client.actions.reset_metrics(id=f"http:{PREFIX}-ghost")
        assert crash.value.code == models.ErrorCode.INTERNAL_ERROR
        with pytest.raises(emqx_client.NotFoundError):
            client.actions.reset_metrics(id="not-an-id")
    finally:
        client.actions.delete(id=aid)


def test_delete_refused_while_rules_use_it(client: Any, connectors: str) -> None:
    name = f"{PREFIX}-used"
    aid = f"http:{name}"
    rid = f"{PREFIX}-rule"
    client.actions.create(body=http_body(name, connectors))
    client.rules.create(
        body={"id": rid, "sql": 'SELECT * FROM "t/#"', "actions": [aid, {"function": "console"}]}
    )
    try:
        assert client.actions.get(id=aid).rules == [rid]
        summary = next(s for s in client.actions.list_summary() if s.name == name)
        assert summary.rules == [rid]
        with pytest.raises(emqx_client.BadRequestError) as refused:
            client.actions.delete(id=aid)
        assert refused.value.code == models.ErrorCode.BAD_REQUEST
        assert refused.value.body["rules"] == [rid]
        client.actions.delete(id=aid, also_delete_dep_actions=True)
        rule = client.rules.get(id=rid)
        assert aid not in rule.actions and len(rule.actions) == 1
    finally:
        client.rules.delete(id=rid)
    with pytest.raises(emqx_client.NotFoundError):
        client.actions.get(id=aid)


def test_probe(client: Any, connectors: str) -> None:
    assert client.actions.probe(body=http_body(f"{PREFIX}-probe", connectors)) is None
    assert client.actions.probe(body=mqtt_body(f"{PREFIX}-probe", connectors)) is None
    with pytest.raises(emqx_client.BadRequestError) as failed:
        client.actions.probe(body=http_body(f"{PREFIX}-probe", f"{PREFIX}-missing"))
    assert failed.value.code == models.ErrorCode.TEST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as bad:
        post_raw(
            client,
            "/actions_probe",
            {"type": "nope", "name": "p", "connector": connectors, "parameters": {}},
        )
    assert bad.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.NotFoundError):
        client.actions.get(id=f"http:{PREFIX}-probe")


@pytest.mark.parametrize(
    "union",
    [
        "ActionsAction",
        "ActionsActionCreate",
        "ActionsActionUpdate",
        "SourcesSource",
        "SourcesSourceCreate",
        "SourcesSourceUpdate",
    ],
)
def test_every_branch_example_lands_in_its_class(bundled: dict[str, Any], union: str) -> None:
    schemas = bundled["components"]["schemas"]
    branches = schemas[union].get("oneOf") or schemas[union]["anyOf"]
    adapter = TypeAdapter(getattr(models, union))
    names = [branch["$ref"].rsplit("/", 1)[-1] for branch in branches]
    for position, name in enumerate(names):
        parsed = adapter.validate_python(schemas[name]["example"])
        landed = type(parsed).__name__
        if landed != name and "discriminator" not in schemas[union]:
            # without a discriminator, a PUT body that fits two types (influxdb, greptimedb
            # and datalayers share a shape; a couchbase body is also a SQL statement one)
            # lands in the first of them, and the path's type decides on the broker; the
            # body must come through whole, with no field left over
            assert landed in names[:position], (name, landed)
            sent = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
            assert sent == schemas[name]["example"], (name, landed)
            assert not parsed.model_extra, (name, landed)
            continue
        assert landed == name


_WORDING = {"description", "example", "x-emqx-edition"}


def _shape(schema: Any) -> Any:
    """A schema without its wording, examples and edition mark: what a body is checked against."""
    if isinstance(schema, dict):
        return {k: _shape(v) for k, v in schema.items() if k not in _WORDING}
    if isinstance(schema, list):
        return [_shape(v) for v in schema]
    return schema
