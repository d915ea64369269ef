"""Message Transformation (enterprise) through the generated client against the
enterprise stub: append, read, replace, reorder, enable, counters, removal and the dry
run, with the broker's error answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub

TOPIC_OP = {"key": "topic", "value": "concat([topic, '/', payload.t])"}


def error(exc: pytest.ExceptionInfo[emqx_client.APIStatusError]) -> tuple[int, str]:
    return exc.value.status_code, str(exc.value.code)


def transformation(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "topics": ["t/#"],
        "failure_action": "drop",
        "payload_decoder": {"type": "json"},
        "payload_encoder": {"type": "json"},
        "operations": [TOPIC_OP],
        **fields,
    }


def names(ee_client: Any) -> list[str]:
    return [t.name for t in ee_client.message_transformation.list()]


@pytest.fixture()
def api(ee_client: Any) -> Iterator[Any]:
    yield ee_client.message_transformation
    for name in names(ee_client):
        ee_client.message_transformation.delete(name=name)


def test_append_read_replace_and_remove(api: Any) -> None:
    created = api.create(body={"name": "ft-t1", "topics": "a/b", "failure_action": "ignore"})
    assert created.topics == ["a/b"]
    assert isinstance(created.payload_decoder, models.PayloadSerdeNone)
    assert (created.operations, created.enable, created.log_failure.level) == ([], True, "info")
    with pytest.raises(emqx_client.APIStatusError) as taken:
        api.create(body=transformation("ft-t1"))
    assert error(taken) == (400, "ALREADY_EXISTS")
    assert taken.value.message == "Transformation already exists"

    changed = api.update(body=transformation("ft-t1"))
    assert isinstance(changed.payload_encoder, models.PayloadSerdeJson)
    assert [(o.key, o.value) for o in changed.operations] == [(TOPIC_OP["key"], TOPIC_OP["value"])]
    assert api.get(name="ft-t1").topics == ["t/#"]
    with pytest.raises(emqx_client.APIStatusError) as unknown:
        api.update(body=transformation("ft-none"))
    assert error(unknown) == (404, "NOT_FOUND")

    api.delete(name="ft-t1")
    with pytest.raises(emqx_client.APIStatusError) as gone:
        api.get(name="ft-t1")
    assert error(gone) == (404, "NOT_FOUND")
    assert gone.value.message == "Transformation not found"
    with pytest.raises(emqx_client.APIStatusError) as gone_delete:
        api.delete(name="ft-t1")
    assert error(gone_delete) == (404, "NOT_FOUND")


def test_operations_the_broker_refuses(api: Any, ee_client: Any) -> None:
    for operation in (
        {"key": "clientid", "value": "'x'"},
        {"key": "user_property", "value": "'x'"},
        {"key": "payload..a", "value": "'x'"},
        {"key": "topic", "value": "concat([topic,"},
    ):
        with pytest.raises(emqx_client.APIStatusError) as bad:
            api.create(body=transformation("ft-b", operations=[operation]))
        assert error(bad) == (400, "BAD_REQUEST")
    assert names(ee_client) == []


def test_enable_reorder_and_counters(api: Any, ee_client: Any, ee_stub: LiveStub) -> None:
    for name in ("ft-r1", "ft-r2"):
        api.create(body=transformation(name))
    api.enable(name="ft-r1", enable=False)
    assert api.get(name="ft-r1").enable is False
    with pytest.raises(emqx_client.APIStatusError) as missing:
        api.enable(name="ft-none", enable=True)
    assert error(missing) == (404, "NOT_FOUND")

    api.reorder(body={"order": ["ft-r2", "ft-r1"]})
    assert names(ee_client) == ["ft-r2", "ft-r1"]
    with pytest.raises(emqx_client.APIStatusError) as bad:
        api.reorder(body={"order": ["ft-r2"]})
    assert error(bad) == (400, "BAD_REQUEST")
    assert bad.value.body["not_reordered"] == ["ft-r1"]

    counters = ee_stub.backend._state.message_transformation.transformations[0].counters
    counters.matched, counters.failed = 4, 1
    got = api.get_metrics(name="ft-r2")
    assert (got.metrics.matched, got.metrics.failed, got.node_metrics[0].metrics.matched) == (
        4,
        1,
        4,
    )
    text = ee_client.monitor.get_prometheus_message_transformation_metrics()
    assert 'emqx_message_transformation_enable{validation_name="ft-r1"} 0' in text
    api.reset_metrics(name="ft-r2")
    assert api.get_metrics(name="ft-r2").metrics.matched == 0
    with pytest.raises(emqx_client.APIStatusError) as no_metrics:
        api.get_metrics(name="ft-none")
    assert error(no_metrics) == (404, "NOT_FOUND")
    with pytest.raises(emqx_client.APIStatusError) as no_reset:
        api.reset_metrics(name="ft-none")
    assert error(no_reset) == (404, "NOT_FOUND")


def test_dryrun_rewrites_the_message(api: Any) -> None:
    operations = [
        TOPIC_OP,
        {"key": "payload.n", "value": "payload.t"},
        {"key": "qos", "value": "'1'"},
        {"key": "user_property.from", "value": "upper(clientid)"},
    ]
    out = api.dryrun(
        body={
            "transformation": transformation("ft-d", operations=operations),
            "message": {"payload": '{"t": "x"}', "topic": "t/u", "qos": 2, "clientid": "c1"},
        }
    )
    assert out.topic == "t/u/x"
    assert json.loads(out.payload) == {"t": "x", "n": "x"}
    assert (out.qos, out.retain, out.user_property) == (1, False, {"from": "C1"})


def test_dryrun_failures_carry_their_context(api: Any) -> None:
    with pytest.raises(emqx_client.APIStatusError) as not_json:
        api.dryrun(
            body={
                "transformation": transformation("ft-d"),
                "message": {"payload": "{", "topic": "t"},
            }
        )
    assert not_json.value.status_code == 400
    assert not_json.value.body["msg"] == "payload_decode_failed"
    assert not_json.value.body["decoder"] == "json"

    with pytest.raises(emqx_client.APIStatusError) as unbound:
        api.dryrun(
            body={
                "transformation": transformation("ft-d"),
                "message": {"payload": "{}", "topic": "t"},
            }
        )
    assert unbound.value.body == {
        "msg": "transformation_eval_operation_failure",
        "reason": {"reason": "var_unbound", "var_name": "payload.t"},
    }

    avro = {"type": "avro", "schema": "ft-nope"}
    with pytest.raises(emqx_client.APIStatusError) as no_schema:
        api.dryrun(
            body={
                "transformation": transformation("ft-d", payload_decoder=avro),
                "message": {"payload": "x", "topic": "t"},
            }
        )
    assert no_schema.value.body["msg"] == "payload_decode_schema_not_found"
    assert no_schema.value.body["schema_name"] == "ft-nope"

    bad_qos = [{"key": "qos", "value": "'7'"}]
    with pytest.raises(emqx_client.APIStatusError) as qos:
        api.dryrun(
            body={
                "transformation": transformation("ft-d", operations=bad_qos),
                "message": {"payload": "{}", "topic": "t"},
            }
        )
    assert qos.value.body["reason"] == {"reason": "bad_qos_value", "input": "7"}
