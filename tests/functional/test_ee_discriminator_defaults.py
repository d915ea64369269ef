"""Enterprise bodies without the field that selects their shape, which EMQX 5.8.9 takes
(the unions marked `x-emqx-discriminator-default`): Redis, MongoDB and InfluxDB parameters
go to the first deployment shape they fit, an IoTDB connector to the REST API driver, an
S3 action to direct uploads. Through the generated client (dict bodies) against the
enterprise stub, which fills the value in and answers it, as the broker does."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import emqx_client
import httpx
import pytest

from tests.functional.conftest import API_KEY, SECRET

PREFIX = "ee-absent"


@functools.cache
def _schemas() -> dict[str, Any]:
    text = resources.files("emqx_server_stub").joinpath("openapi.json").read_text("utf-8")
    schemas: dict[str, Any] = json.loads(text)["components"]["schemas"]
    return schemas


def _example(schema: str, **changes: Any) -> dict[str, Any]:
    body = dict(_schemas()[schema]["example"])
    body.update(changes)
    return body


def _without(schema: str, key: str) -> dict[str, Any]:
    """A branch's example without its discriminator."""
    return {k: v for k, v in _example(schema).items() if k != key}


def _raw(live: Any, path: str) -> Any:
    """An answer as the stub sends it (the client's models would fill defaults in)."""
    answer = httpx.get(f"{live.base_url}{path}", auth=(API_KEY, SECRET))
    assert answer.status_code == 200
    return answer.json()


@pytest.fixture()
def ee(ee_client: Any) -> Iterator[Any]:
    yield ee_client
    for action in ee_client.actions.list():
        if action.name.startswith(PREFIX):
            ee_client.actions.delete(id=f"{action.type}:{action.name}")
    for conn in ee_client.connectors.list():
        if conn.name.startswith(PREFIX):
            ee_client.connectors.delete(id=f"{conn.type}:{conn.name}")


# (connector type, its create schema, the parameters branch, discriminator, the value)
PARAMETERS = [
    ("redis", "ConnectorsRedisCreate", "ConnectorsRedisSingle", "redis_type", "single"),
    ("redis", "ConnectorsRedisCreate", "ConnectorsRedisSentinel", "redis_type", "sentinel"),
    ("redis", "ConnectorsRedisCreate", "ConnectorsRedisCluster", "redis_type", "cluster"),
    ("mongodb", "ConnectorsMongodbCreate", "ConnectorsMongodbSingle", "mongo_type", "single"),
    ("mongodb", "ConnectorsMongodbCreate", "ConnectorsMongodbSharded", "mongo_type", "sharded"),
    ("mongodb", "ConnectorsMongodbCreate", "ConnectorsMongodbRs", "mongo_type", "rs"),
    (
        "influxdb",
        "ConnectorsInfluxdbCreate",
        "ConnectorsInfluxdbApiVOne",
        "influxdb_type",
        "influxdb_api_v1",
    ),
    (
        "influxdb",
        "ConnectorsInfluxdbCreate",
        "ConnectorsInfluxdbApiVTwo",
        "influxdb_type",
        "influxdb_api_v2",
    ),
]


@pytest.mark.parametrize(("type_", "create", "branch", "key", "value"), PARAMETERS)
def test_parameters_without_their_type_take_the_shape_they_fit(
    ee: Any, ee_stub: Any, type_: str, create: str, branch: str, key: str, value: str
) -> None:
    name = f"{PREFIX}-{value}".replace("_", "-")
    parameters = _without(branch, key)
    body = _example(create, name=name, parameters=parameters)
    created = ee.connectors.create(body=body)
    assert type(created.parameters).__name__ == branch
    assert getattr(created.parameters, key) == value
    cid = f"{type_}:{name}"
    assert _raw(ee_stub, f"/connectors/{cid}")["parameters"][key] == value

    # an update without it is read the same way, and kept
    update = {k: v for k, v in body.items() if k not in ("type", "name")}
    update["description"] = "changed"
    changed = ee.connectors.update(id=cid, body=update)
    assert getattr(changed.parameters, key) == value
    assert changed.description == "changed"
    assert _raw(ee_stub, f"/connectors/{cid}")["parameters"][key] == value


def test_parameters_that_fit_no_shape_are_refused_by_the_client(ee: Any) -> None:
    # a cluster has no database, a sentinel needs its master's name, a single server `server`
    parameters = {"servers": "127.0.0.1:7000", "database": 1}
    body = _example("ConnectorsRedisCreate", name=f"{PREFIX}-none", parameters=parameters)
    with pytest.raises(emqx_client.RequestValidationError) as bad:
        ee.connectors.create(body=body)
    assert "parameters" in str(bad.value)


def test_an_iotdb_connector_without_driver_uses_the_rest_api(ee: Any, ee_stub: Any) -> None:
    name = f"{PREFIX}-iotdb"
    body = {
        k: v
        for k, v in _example("ConnectorsIotdbRestapiCreate", name=name).items()
        if k != "driver"
    }
    created = ee.connectors.create(body=body)
    assert type(created).__name__ == "ConnectorsIotdbRestapi"
    assert created.driver == "restapi"
    update = {k: v for k, v in body.items() if k not in ("type", "name")}
    changed = ee.connectors.update(id=f"iotdb:{name}", body=update)
    assert changed.driver == "restapi"
    assert _raw(ee_stub, f"/connectors/iotdb:{name}")["driver"] == "restapi"
    with pytest.raises(emqx_client.BadRequestError) as probe:
        ee.connectors.probe(body=body)  # checked, then it cannot reach IoTDB
    assert probe.value.code.value == "TEST_FAILED"


def test_an_s3_action_without_mode_uploads_directly(ee: Any, ee_stub: Any) -> None:
    name = f"{PREFIX}-s3"
    ee.connectors.create(body=_example("ConnectorsS3Create", name=name))
    parameters = _without("ActionsS3DirectParameters", "mode")
    body = _example("ActionsS3Create", name=name, connector=name, parameters=parameters)
    created = ee.actions.create(body=body)
    assert type(created.parameters).__name__ == "ActionsS3DirectParameters"
    assert created.parameters.mode == "direct"
    assert _raw(ee_stub, f"/actions/s3:{name}")["parameters"]["mode"] == "direct"


# Defaults the broker fills that the spec once gave only in words (now `default:`).


def test_an_aggregated_s3_upload_without_container_writes_csv(ee: Any, ee_stub: Any) -> None:
    name = f"{PREFIX}-s3-csv"
    ee.connectors.create(body=_example("ConnectorsS3Create", name=name))
    body = _example("ActionsS3Create", name=name, connector=name)
    body["parameters"] = {k: v for k, v in body["parameters"].items() if k != "container"}
    ee.actions.create(body=body)
    container = _raw(ee_stub, f"/actions/s3:{name}")["parameters"]["container"]
    assert container["type"] == "csv"


def test_a_pulsar_connector_without_authentication_uses_none(ee: Any, ee_stub: Any) -> None:
    name = f"{PREFIX}-pulsar"
    body = _example("ConnectorsPulsarCreate", name=name)
    body.pop("authentication", None)
    ee.connectors.create(body=body)
    assert _raw(ee_stub, f"/connectors/pulsar:{name}")["authentication"] == "none"


def test_a_snowflake_action_batches_100_messages_by_default(ee: Any, ee_stub: Any) -> None:
    name = f"{PREFIX}-snowflake"
    ee.connectors.create(body=_example("ConnectorsSnowflakeCreate", name=name))
    body = _example("ActionsSnowflakeCreate", name=name, connector=name)
    body.pop("resource_opts", None)
    ee.actions.create(body=body)
    opts = _raw(ee_stub, f"/actions/snowflake:{name}")["resource_opts"]
    assert (opts["batch_size"], opts["batch_time"]) == (100, "10ms")
