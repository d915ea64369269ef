"""Schema Validation (enterprise) through the generated client against the enterprise stub:
append, read, replace, reorder, enable, counters and removal, with the broker's errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub

SQL = {"type": "sql", "sql": "select payload.temp as t where t > 10"}


def error(exc: pytest.ExceptionInfo[emqx_client.APIStatusError]) -> tuple[int, str]:
    return exc.value.status_code, str(exc.value.code)


def validation(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "topics": "t/+",
        "strategy": "all_pass",
        "failure_action": "drop",
        "checks": [SQL],
        **fields,
    }


def names(ee_client: Any) -> list[str]:
    return [v.name for v in ee_client.schema_validation.list()]


@pytest.fixture()
def api(ee_client: Any) -> Iterator[Any]:
    yield ee_client.schema_validation
    for name in names(ee_client):
        ee_client.schema_validation.delete(name=name)


def test_append_read_replace_and_remove(api: Any) -> None:
    created = api.create(body=validation("ft-v1"))
    assert created.topics == ["t/+"]  # one filter is stored as a list
    assert (created.enable, created.description, created.log_failure.level) == (True, "", "info")
    assert isinstance(created.checks[0], models.ValidationCheckSql)
    with pytest.raises(emqx_client.APIStatusError) as taken:
        api.create(body=validation("ft-v1"))
    assert error(taken) == (400, "ALREADY_EXISTS")
    assert taken.value.message == "Validation already exists"

    changed = api.update(
        body=validation("ft-v1", topics=["a/#", "b/#"], failure_action="ignore", enable=False)
    )
    assert (changed.topics, changed.failure_action, changed.enable) == (
        ["a/#", "b/#"],
        models.ProcessingFailureAction.IGNORE,
        False,
    )
    assert api.get(name="ft-v1").topics == ["a/#", "b/#"]
    with pytest.raises(emqx_client.APIStatusError) as unknown:
        api.update(body=validation("ft-none"))
    assert error(unknown) == (404, "NOT_FOUND")

    api.delete(name="ft-v1")
    with pytest.raises(emqx_client.APIStatusError) as gone:
        api.get(name="ft-v1")
    assert error(gone) == (404, "NOT_FOUND")
    assert gone.value.message == "Validation not found"
    with pytest.raises(emqx_client.APIStatusError) as gone_delete:
        api.delete(name="ft-v1")
    assert error(gone_delete) == (404, "NOT_FOUND")


def test_what_the_broker_refuses(api: Any, ee_client: Any) -> None:
    refused = [
        validation("ft-b", topics=["t/1", "t/1"]),
        validation("ft-b", checks=[{"type": "sql", "sql": "select * from t"}]),
        validation("ft-b", checks=[{"type": "sql", "sql": "foreach payload.x"}]),
        validation("ft-b", checks=[{"type": "avro", "schema": "ft-nope"}]),
    ]
    for body in refused:
        with pytest.raises(emqx_client.APIStatusError) as bad:
            api.create(body=body)
        assert error(bad) == (400, "BAD_REQUEST")
    assert names(ee_client) == []


def test_schema_checks_need_registered_schemas(api: Any, ee_client: Any) -> None:
    ee_client.schema_registry.schemas.create(
        body={"name": "ft-pb", "type": "protobuf", "source": "message Person { string n = 1; }"}
    )
    try:
        check = {"type": "protobuf", "schema": "ft-pb", "message_type": "Person"}
        created = api.create(body=validation("ft-s", checks=[check]))
        assert isinstance(created.checks[0], models.ValidationCheckProtobuf)
        with pytest.raises(emqx_client.APIStatusError) as other_type:
            api.create(body=validation("ft-s2", checks=[{**check, "message_type": "Nope"}]))
        assert error(other_type) == (400, "BAD_REQUEST")
        assert "missing_schemas" in str(other_type.value.message)
        with pytest.raises(emqx_client.APIStatusError) as twice:
            api.create(body=validation("ft-s3", checks=[check, check]))
        assert error(twice) == (400, "BAD_REQUEST")
        assert twice.value.message == "duplicated schema checks: protobuf:ft-pb"
    finally:
        ee_client.schema_registry.schemas.delete(name="ft-pb")
    # enabling stores the validation again: its schema is gone now
    with pytest.raises(emqx_client.APIStatusError) as gone_schema:
        api.enable(name="ft-s", enable=False)
    assert error(gone_schema) == (400, "BAD_REQUEST")


def test_enable_and_disable(api: Any) -> None:
    api.create(body=validation("ft-e"))
    api.enable(name="ft-e", enable=False)
    assert api.get(name="ft-e").enable is False
    api.enable(name="ft-e", enable=True)
    assert api.get(name="ft-e").enable is True
    with pytest.raises(emqx_client.APIStatusError) as missing:
        api.enable(name="ft-none", enable=True)
    assert error(missing) == (404, "NOT_FOUND")


def test_reorder(api: Any, ee_client: Any) -> None:
    for name in ("ft-r1", "ft-r2", "ft-r3"):
        api.create(body=validation(name))
    api.reorder(body={"order": ["ft-r3", "ft-r1", "ft-r2"]})
    assert names(ee_client) == ["ft-r3", "ft-r1", "ft-r2"]
    with pytest.raises(emqx_client.APIStatusError) as bad:
        api.reorder(body={"order": ["ft-r1", "ft-r1", "ft-x"]})
    assert error(bad) == (400, "BAD_REQUEST")
    body = bad.value.body
    assert body["not_found"] == ["ft-x"]
    assert body["duplicated"] == ["ft-r1"]
    assert body["not_reordered"] == ["ft-r3", "ft-r2"]
    assert names(ee_client) == ["ft-r3", "ft-r1", "ft-r2"]  # unchanged
    api.delete(name="ft-r1")
    assert names(ee_client) == ["ft-r3", "ft-r2"]


def test_metrics_and_reset(api: Any, ee_client: Any, ee_stub: LiveStub) -> None:
    api.create(body=validation("ft-m"))
    counters = ee_stub.backend._state.schema_validation.validations[0].counters
    counters.matched, counters.succeeded, counters.failed = 5, 3, 2
    got = api.get_metrics(name="ft-m")
    assert (got.metrics.matched, got.metrics.succeeded, got.metrics.failed) == (5, 3, 2)
    assert [n.node for n in got.node_metrics] == [ee_stub.backend._state.node]
    text = ee_client.monitor.get_prometheus_schema_validation_metrics()
    assert 'emqx_schema_validation_matched{validation_name="ft-m"' in text
    assert 'emqx_schema_validation_failed{validation_name="ft-m"' in text
    api.reset_metrics(name="ft-m")
    assert api.get_metrics(name="ft-m").metrics.matched == 0
    with pytest.raises(emqx_client.APIStatusError) as missing:
        api.get_metrics(name="ft-none")
    assert error(missing) == (404, "NOT_FOUND")
    with pytest.raises(emqx_client.APIStatusError) as missing_reset:
        api.reset_metrics(name="ft-none")
    assert error(missing_reset) == (404, "NOT_FOUND")
