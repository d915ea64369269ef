"""Authenticators of the enterprise build (Kerberos, client-info, GCP device, SCRAM over
HTTP): the enterprise stub creates, reads, updates and deletes one of each, globally and
as a gateway's authenticator; the open-source stub refuses each with 400, as the
open-source broker refuses a mechanism it does not ship. The branches are read from the
spec, so a new enterprise authenticator is covered without a new test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.test_gateway_authn import GW, LISTENER, gateways_kept


def _enterprise_leaves(bundled: dict[str, Any], union: str) -> dict[str, dict[str, Any]]:
    schemas = bundled["components"]["schemas"]
    out: dict[str, dict[str, Any]] = {}

    def walk(name: str, enterprise: bool) -> None:
        schema = schemas[name]
        enterprise = enterprise or schema.get("x-emqx-edition") == "enterprise"
        for member in schema.get("oneOf", []):
            walk(member["$ref"].rsplit("/", 1)[-1], enterprise)
        if "oneOf" not in schema and enterprise:
            out[name] = schema

    walk(union, False)
    return out


def _empty_chain(client: Any) -> None:
    for authn in client.authentication.list():
        client.authentication.delete(id=authn.id)


@pytest.fixture()
def ee_chain(ee_client: Any) -> Iterator[Any]:
    _empty_chain(ee_client)
    yield ee_client
    _empty_chain(ee_client)


def _id(example: dict[str, Any]) -> str:
    return (
        f"{example['mechanism']}:{example['backend']}"
        if "backend" in example
        else example["mechanism"]
    )


def test_the_enterprise_authenticators_are_found(bundled: dict[str, Any]) -> None:
    found = _enterprise_leaves(bundled, "AuthnConfig")
    assert sorted(found) == [
        "AuthnCinfo",
        "AuthnGcpDevice",
        "AuthnGssapiKerberos",
        "AuthnScramHttpGet",
        "AuthnScramHttpPost",
    ]
    assert sorted(_enterprise_leaves(bundled, "GatewayAuthenticator")) == [
        "AuthnCinfo",
        "AuthnGcpDevice",
        "AuthnGssapiKerberos",
    ]


def test_each_is_created_read_updated_and_deleted(ee_chain: Any, bundled: dict[str, Any]) -> None:
    api = ee_chain.authentication
    for name, schema in _enterprise_leaves(bundled, "AuthnConfig").items():
        example = schema["example"]
        created = api.create(body=example)
        assert type(created).__name__ == name and created.id == _id(example)
        assert type(api.get(id=created.id)).__name__ == name
        api.update(id=created.id, body={**example, "enable": False})
        assert api.get(id=created.id).enable is False
        status = api.get_status(id=created.id)
        assert status.metrics.total == 0
        assert [type(item).__name__ for item in api.list()] == [name]
        api.delete(id=created.id)
        assert api.list() == []


def test_defaults_are_filled_in(ee_chain: Any) -> None:
    api = ee_chain.authentication
    created = api.create(
        body={"mechanism": "scram", "backend": "http", "method": "get", "url": "http://h/s"}
    )
    assert isinstance(created, models.AuthnScramHttpGet)
    assert created.algorithm == "sha256" and created.iteration_count == 4096
    assert created.pool_size == 8 and created.request_timeout == "5s"
    api.delete(id="scram:http")


def test_bad_enterprise_bodies_are_refused(ee_chain: Any) -> None:
    for body in (
        {"mechanism": "cinfo", "checks": []},
        {"mechanism": "gssapi", "backend": "kerberos", "principal": "no slash"},
        {"mechanism": "gssapi", "backend": "ldap", "principal": "mqtt/host"},
        {"mechanism": "scram", "backend": "http", "method": "put", "url": "http://h/s"},
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            ee_chain.request("POST", "/authentication", adapter=None, json=body)
        assert info.value.code == models.ErrorCode.BAD_REQUEST


def test_the_open_source_stub_refuses_each(client: Any, bundled: dict[str, Any]) -> None:
    api = client.authentication
    before = api.list()
    for schema in _enterprise_leaves(bundled, "AuthnConfig").values():
        example = schema["example"]
        with pytest.raises(emqx_client.BadRequestError) as info:
            api.create(body=example)
        assert info.value.code == models.ErrorCode.BAD_REQUEST
        assert "unsupported_mechanism" in str(info.value.message)
        assert f'"mechanism": "{example["mechanism"]}"' in str(info.value.message)
    assert api.list() == before


def test_the_open_source_stub_refuses_an_update_to_one(client: Any) -> None:
    api = client.authentication
    api.create(body={"mechanism": "scram", "backend": "built_in_database"})
    try:
        with pytest.raises(emqx_client.BadRequestError) as info:
            api.update(
                id="scram:built_in_database",
                body={"mechanism": "scram", "backend": "http", "method": "get", "url": "http://h"},
            )
        assert '"backend": "http"' in str(info.value.message)
    finally:
        api.delete(id="scram:built_in_database")


@pytest.fixture()
def ee_gateway(ee_stub: Any) -> Iterator[str]:
    with gateways_kept(ee_stub):
        ee_stub.backend.load_gateway(
            GW,
            {"enable": True, "mountpoint": ""},
            {LISTENER: {"type": "tcp", "name": "gwauthn", "bind": "61613"}},
        )
        yield GW


def test_gateway_authenticators_of_the_enterprise_build(
    ee_client: Any, ee_gateway: str, bundled: dict[str, Any]
) -> None:
    api = ee_client.gateway_authentication
    for name, schema in _enterprise_leaves(bundled, "GatewayAuthenticator").items():
        example = schema["example"]
        assert type(api.create(name=ee_gateway, body=example)).__name__ == name
        read = api.get(name=ee_gateway)
        assert type(read).__name__ == name and read.id == _id(example)
        api.update(name=ee_gateway, body={**example, "enable": False})
        assert api.get(name=ee_gateway).enable is False
        api.delete(name=ee_gateway)


def test_gateway_authenticators_refused_by_the_open_source_stub(
    client: Any, stub: Any, bundled: dict[str, Any]
) -> None:
    with gateways_kept(stub):
        stub.backend.load_gateway(GW, {"enable": True}, {})
        for schema in _enterprise_leaves(bundled, "GatewayAuthenticator").values():
            with pytest.raises(emqx_client.BadRequestError) as info:
                client.gateway_authentication.create(name=GW, body=schema["example"])
            assert "unsupported_mechanism" in str(info.value.message)
