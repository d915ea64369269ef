"""Schema Registry (enterprise) through the generated client against the enterprise stub:
schemas of the three types and external registries, with the broker's error answers."""

from __future__ import annotations

from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub

AVRO = '{"type":"record","name":"t","fields":[{"type":"int","name":"i"}]}'
PROTO = 'syntax = "proto3"; message Person { string name = 1; }'


def error(exc: pytest.ExceptionInfo[emqx_client.APIStatusError]) -> tuple[int, str]:
    return exc.value.status_code, str(exc.value.code)


def names(ee_client: Any) -> list[str]:
    return [s.name for s in ee_client.schema_registry.schemas.list() if s.name.startswith("ft")]


def test_schemas_are_created_read_replaced_and_removed(ee_client: Any) -> None:
    created = ee_client.schema_registry.schemas.create(
        body={"name": "ft-avro", "type": "avro", "source": AVRO}
    )
    assert isinstance(created, models.RegisteredSchemaAvro)
    assert (created.name, created.source, created.description) == ("ft-avro", AVRO, "")
    ee_client.schema_registry.schemas.create(
        body={"name": "ft-a-proto", "type": "protobuf", "source": PROTO, "description": "p"}
    )
    assert names(ee_client) == ["ft-a-proto", "ft-avro"]  # sorted by name

    with pytest.raises(emqx_client.APIStatusError) as taken:
        ee_client.schema_registry.schemas.create(
            body={"name": "ft-avro", "type": "json", "source": "{}"}
        )
    assert error(taken) == (400, "ALREADY_EXISTS")
    assert taken.value.message == "Schema already exists"

    got = ee_client.schema_registry.schemas.get(name="ft-a-proto")
    assert isinstance(got, models.RegisteredSchemaProtobuf)
    assert got.description == "p"

    changed = ee_client.schema_registry.schemas.update(
        name="ft-avro", body={"type": "json", "source": '{"type":"object"}', "description": "j"}
    )
    assert isinstance(changed, models.RegisteredSchemaJson)
    assert (changed.name, changed.description) == ("ft-avro", "j")
    assert isinstance(
        ee_client.schema_registry.schemas.get(name="ft-avro"), models.RegisteredSchemaJson
    )

    with pytest.raises(emqx_client.APIStatusError) as bad_source:
        ee_client.schema_registry.schemas.update(
            name="ft-avro", body={"type": "avro", "source": "{"}
        )
    assert error(bad_source) == (400, "BAD_REQUEST")

    for name in ("ft-avro", "ft-a-proto"):
        ee_client.schema_registry.schemas.delete(name=name)
    assert names(ee_client) == []
    with pytest.raises(emqx_client.APIStatusError) as gone:
        ee_client.schema_registry.schemas.get(name="ft-avro")
    assert error(gone) == (404, "NOT_FOUND")
    assert gone.value.message == "Schema not found"
    with pytest.raises(emqx_client.APIStatusError) as gone_put:
        ee_client.schema_registry.schemas.update(
            name="ft-avro", body={"type": "json", "source": "{}"}
        )
    assert error(gone_put) == (404, "NOT_FOUND")
    with pytest.raises(emqx_client.APIStatusError) as gone_delete:
        ee_client.schema_registry.schemas.delete(name="ft-avro")
    assert error(gone_delete) == (404, "NOT_FOUND")


def test_a_source_that_does_not_build_is_refused(ee_client: Any) -> None:
    for kind, source in (("avro", "not json"), ("json", "[1]"), ("protobuf", "syntax = 1;")):
        with pytest.raises(emqx_client.APIStatusError) as bad:
            ee_client.schema_registry.schemas.create(
                body={"name": "ft-bad", "type": kind, "source": source}
            )
        assert error(bad) == (400, "BAD_REQUEST")
    assert names(ee_client) == []


def test_a_name_breaking_the_rule_is_refused(ee_stub: LiveStub) -> None:
    answer = httpx.post(
        f"{ee_stub.base_url}/schema_registry",
        json={"name": "-x", "type": "json", "source": "{}"},
        auth=(API_KEY, SECRET),
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"


def test_external_registries(ee_client: Any, ee_stub: LiveStub) -> None:
    api = ee_client.schema_registry
    created = api.external_registries.create(
        body={
            "name": "ft-reg",
            "type": "confluent",
            "url": "http://registry:8081",
            "auth": {"mechanism": "basic", "username": "u", "password": "secret"},
        }
    )
    assert created.url == "http://registry:8081"
    assert created.auth.password == "******"
    with pytest.raises(emqx_client.APIStatusError) as taken:
        api.external_registries.create(
            body={"name": "ft-reg", "type": "confluent", "url": "http://other:8081"}
        )
    assert error(taken) == (400, "BAD_REQUEST")
    assert taken.value.message == "External registry already exists"

    listed = api.external_registries.list()
    assert listed["ft-reg"].auth.username == "u"
    assert listed["ft-reg"].auth.password == "******"

    # the masked password sent back keeps the stored one
    api.external_registries.update(
        name="ft-reg",
        body={
            "type": "confluent",
            "url": "http://registry:9091",
            "auth": {"mechanism": "basic", "username": "u2", "password": "******"},
        },
    )
    stored = ee_stub.backend._state.schema_registry.external["ft-reg"]  # secrets in clear
    assert stored["auth"]["password"] == "secret"
    got = api.external_registries.get(name="ft-reg")
    assert (got.url, got.auth.username) == ("http://registry:9091", "u2")

    changed = api.external_registries.update(
        name="ft-reg", body={"type": "confluent", "url": "http://r:1", "auth": "none"}
    )
    assert changed.auth == models.ExternalRegistryAuthNone.NONE

    api.external_registries.delete(name="ft-reg")
    assert "ft-reg" not in api.external_registries.list()
    api.external_registries.delete(name="ft-reg")  # unknown: still 204
    with pytest.raises(emqx_client.APIStatusError) as gone:
        api.external_registries.get(name="ft-reg")
    assert error(gone) == (404, "NOT_FOUND")
    assert gone.value.message == "External registry not found"
    with pytest.raises(emqx_client.APIStatusError) as gone_put:
        api.external_registries.update(
            name="ft-reg", body={"type": "confluent", "url": "http://r:1"}
        )
    assert error(gone_put) == (404, "NOT_FOUND")
