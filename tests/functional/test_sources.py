"""Sources: types, create/read/change/delete, counters, enable, start, probe, summary,
the rules that read from a source, and the `type` union's branch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

from tests.functional.test_actions import drop_connector, make_connector, post_raw

PREFIX = "sources-area"


@pytest.fixture()
def connector(client: Any) -> Iterator[str]:
    name = f"{PREFIX}-conn"
    make_connector(client, "mqtt", name)
    yield name
    drop_connector(client, "mqtt", name)


def body(name: str, connector: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "mqtt",
        "name": name,
        "connector": connector,
        "parameters": {"topic": "remote/#", "qos": 1},
        **extra,
    }


def test_source_types(client: Any) -> None:
    assert [str(t.value) for t in client.sources.list_types()] == ["mqtt"]


def test_source_lifecycle(client: Any, connector: str) -> None:
    name = f"{PREFIX}-one"
    sid = f"mqtt:{name}"
    created = client.sources.create(body=body(name, connector, description="in"))
    assert isinstance(created, models.SourcesMqtt)
    assert created.parameters.topic == "remote/#" and created.parameters.no_local is False
    assert created.parameters.local.qos == "${qos}"
    assert created.resource_opts.health_check_interval == "15s"
    assert created.status == models.ActionsStatus.CONNECTED
    try:
        with pytest.raises(emqx_client.BadRequestError) as taken:
            client.sources.create(body=body(name, connector))
        assert taken.value.code == models.ErrorCode.ALREADY_EXISTS
        assert client.sources.get(id=sid).description == "in"
        assert name in [s.name for s in client.sources.list()]
        summary = next(s for s in client.sources.list_summary() if s.name == name)
        assert summary.type == "mqtt" and summary.enable is True
        changed = client.sources.update(
            id=sid,
            body={"connector": connector, "parameters": {"topic": "other/+", "qos": 0}},
        )
        assert changed.parameters.topic == "other/+" and changed.parameters.qos == 0
        assert changed.description == ""
        with pytest.raises(emqx_client.BadRequestError):  # an HTTP shape on an MQTT source
            client.sources._client.request(
                "PUT",
                f"/sources/{sid}",
                adapter=None,
                json={"connector": connector, "parameters": {"method": "post"}},
            )
        with pytest.raises(emqx_client.NotFoundError):
            client.sources.update(
                id=f"mqtt:{PREFIX}-ghost",
                body={"connector": connector, "parameters": {"topic": "t"}},
            )
        with pytest.raises(emqx_client.NotFoundError):
            client.sources.get(id="broken")
    finally:
        client.sources.delete(id=sid)
    with pytest.raises(emqx_client.NotFoundError):
        client.sources.delete(id=sid)


def test_create_errors(client: Any, connector: str) -> None:
    with pytest.raises(emqx_client.BadRequestError) as no_conn:
        client.sources.create(body=body(f"{PREFIX}-x", f"{PREFIX}-missing"))
    assert "connector_not_found_or_wrong_type" in no_conn.value.message
    with pytest.raises(emqx_client.BadRequestError) as no_branch:
        post_raw(
            client,
            "/sources",
            {"type": "http", "name": f"{PREFIX}-h", "connector": connector, "parameters": {}},
        )
    assert no_branch.value.code == models.ErrorCode.BAD_REQUEST


def test_union_branch(client: Any) -> None:
    adapter = TypeAdapter(models.SourcesSourceCreate)
    assert isinstance(adapter.validate_python(body("a", "c")), models.SourcesMqttCreate)


def test_enable_start_and_metrics(client: Any, stub: Any, connector: str) -> None:
    name = f"{PREFIX}-ops"
    sid = f"mqtt:{name}"
    client.sources.create(body=body(name, connector))
    try:
        client.sources.start(id=sid, operation="start")
        client.sources.start_on_node(id=sid, node=stub.backend.node, operation="start")
        client.sources.set_enabled(id=sid, enable=False)
        assert client.sources.get(id=sid).status == models.ActionsStatus.DISCONNECTED
        with pytest.raises(emqx_client.BadRequestError):
            client.sources.start(id=sid, operation="start")
        with pytest.raises(emqx_client.NotFoundError):
            client.sources.start_on_node(id=sid, node="emqx@nowhere", operation="start")
        with pytest.raises(emqx_client.NotFoundError):
            client.sources.set_enabled(id=f"mqtt:{PREFIX}-ghost", enable=True)
        client.sources.set_enabled(id=sid, enable=True)
        got = client.sources.get_metrics(id=sid)
        assert got.metrics.received == 0 and got.node_metrics[0].node == stub.backend.node
        with pytest.raises(emqx_client.NotFoundError):
            client.sources.get_metrics(id="broken")
        client.sources.reset_metrics(id=sid)
        with pytest.raises(emqx_client.InternalServerError):
            client.sources.reset_metrics(id=f"mqtt:{PREFIX}-ghost")
    finally:
        client.sources.delete(id=sid)


def test_delete_refused_while_rules_read_it(client: Any, connector: str) -> None:
    name = f"{PREFIX}-used"
    sid = f"mqtt:{name}"
    rid = f"{PREFIX}-rule"
    client.sources.create(body=body(name, connector))
    client.rules.create(body={"id": rid, "sql": f'SELECT * FROM "$bridges/{sid}"', "actions": []})
    try:
        assert client.sources.get(id=sid).rules == [rid]
        with pytest.raises(emqx_client.BadRequestError) as refused:
            client.sources.delete(id=sid)
        assert refused.value.body["rules"] == [rid]
        client.sources.delete(id=sid, also_delete_dep_actions=True)
    finally:
        client.rules.delete(id=rid)
    with pytest.raises(emqx_client.NotFoundError):
        client.sources.get(id=sid)


def test_probe(client: Any, connector: str) -> None:
    assert client.sources.probe(body=body(f"{PREFIX}-p", connector)) is None
    with pytest.raises(emqx_client.BadRequestError) as failed:
        client.sources.probe(body=body(f"{PREFIX}-p", f"{PREFIX}-missing"))
    assert failed.value.code == models.ErrorCode.TEST_FAILED
