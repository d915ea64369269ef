"""Gateway Authentication: a gateway's authenticator, its built-in database users and
user imports (of the gateway's and of a listener's authenticator)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, gateways_kept

GW = "stomp"
LISTENER = "stomp:tcp:gwauthn"
BUILT_IN = {"mechanism": "password_based", "backend": "built_in_database"}
JWT = {"mechanism": "jwt", "algorithm": "hmac-based", "secret": "gwauthn-secret"}


@pytest.fixture()
def gateway(stub: Any) -> Iterator[str]:
    with gateways_kept(stub):
        stub.backend.load_gateway(
            GW,
            {"enable": True, "mountpoint": ""},
            {LISTENER: {"type": "tcp", "name": "gwauthn", "bind": "61613"}},
        )
        yield GW


@pytest.fixture()
def unloaded(stub: Any) -> Iterator[str]:
    """A gateway that is not loaded during the test."""
    with gateways_kept(stub) as backend:
        backend.unload_gateway("lwm2m")
        yield "lwm2m"


def raw_get(stub: Any, path: str) -> httpx.Response:
    return httpx.get(f"{stub.base_url}{path}", auth=(API_KEY, SECRET))


def test_gateway_authenticator_lifecycle(client: Any, stub: Any, gateway: str) -> None:
    api = client.gateway_authentication
    assert api.get(name=gateway) is None  # 204: none yet

    created = api.create(name=gateway, body=BUILT_IN)
    assert created.mechanism == "password_based" and created.backend == "built_in_database"
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.create(name=gateway, body=JWT)
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    assert "already exist on stomp" in str(info.value.body["message"])

    got = api.get(name=gateway)
    assert got.backend == "built_in_database"
    raw = raw_get(stub, f"/gateways/{gateway}/authentication").json()
    assert raw["id"] == "password_based:built_in_database"
    assert raw["chain_name"] == "stomp:global"

    updated = api.update(name=gateway, body={**BUILT_IN, "enable": False})
    assert updated.enable is False
    assert api.get(name=gateway).enable is False
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.update(name=gateway, body=JWT)
    assert "change_of_authentication_type_is_not_allowed" in str(info.value.body["message"])

    api.delete(name=gateway)
    assert api.get(name=gateway) is None
    api.delete(name=gateway)  # idempotent
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.update(name=gateway, body=BUILT_IN)
    assert info.value.body["message"] == "The authentication not found on stomp"


def test_mqttsn_chain_name(client: Any, stub: Any) -> None:
    with gateways_kept(stub):
        stub.backend.load_gateway("mqttsn")
        client.gateway_authentication.create(name="mqttsn", body=JWT)
        raw = raw_get(stub, "/gateways/mqttsn/authentication").json()
        assert raw["id"] == "jwt" and raw["chain_name"] == "mqtt-sn:global"


def test_gateway_not_loaded_or_unknown(client: Any, unloaded: str) -> None:
    api = client.gateway_authentication
    calls = [
        lambda: api.get(name=unloaded),
        lambda: api.create(name=unloaded, body=BUILT_IN),
        lambda: api.update(name=unloaded, body=BUILT_IN),
        lambda: api.delete(name=unloaded),
    ]
    for call in calls:
        with pytest.raises(emqx_client.NotFoundError) as info:
            call()
        assert info.value.code == models.ErrorCode.RESOURCE_NOT_FOUND
        assert info.value.body["message"] == "Gateway not loaded"
    with pytest.raises(emqx_client.BadRequestError):
        api.get(name="mqtt")
    with pytest.raises(emqx_client.BadRequestError):
        api.delete(name="jt808")


def leaf_schemas(bundled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every shape of the gateway authenticator union that is not itself a union."""
    schemas = bundled["components"]["schemas"]
    out: dict[str, dict[str, Any]] = {}

    def walk(name: str) -> None:
        schema = schemas[name]
        for member in schema.get("oneOf", []):
            walk(member["$ref"].rsplit("/", 1)[-1])
        if "oneOf" not in schema:
            out[name] = schema

    walk("GatewayAuthenticator")
    return out


def test_union_branches_parse_into_their_classes(bundled: dict[str, Any]) -> None:
    from pydantic import TypeAdapter

    leaves = leaf_schemas(bundled)
    assert "AuthnScramBuiltInDatabase" not in leaves
    assert len(leaves) == 18  # 15 of both builds, 3 of the enterprise build
    adapter: TypeAdapter[Any] = TypeAdapter(models.GatewayAuthenticator)
    for name, schema in leaves.items():
        assert type(adapter.validate_python(schema["example"])).__name__ == name


def test_every_branch_through_the_stub(client: Any, gateway: str, bundled: dict[str, Any]) -> None:
    """Each branch's example is stored as sent and read back into its own class."""
    api = client.gateway_authentication
    for name, schema in leaf_schemas(bundled).items():
        if schema.get("x-emqx-edition") == "enterprise":
            continue  # the open-source stub refuses them (tests/functional/test_ee_auth.py)
        created = api.create(name=gateway, body=schema["example"])
        assert type(created).__name__ == name
        assert created.id is None  # the creation answer is the stored body, without `id`
        read = api.get(name=gateway)
        assert type(read).__name__ == name
        example = schema["example"]
        mechanism = example["mechanism"]
        assert read.id == (
            f"{mechanism}:{example['backend']}" if "backend" in example else mechanism
        )
        api.delete(name=gateway)


def test_body_fitting_no_branch(client: Any, gateway: str) -> None:
    """Sent past the client's own checks: the stub answers 400 as EMQX's schema check does."""
    for body in (
        {"mechanism": "scram", "backend": "built_in_database"},
        {"mechanism": "password_based", "backend": "kerberos"},
        {"backend": "built_in_database"},
        {"mechanism": "jwt"},
    ):
        for method in ("POST", "PUT"):
            with pytest.raises(emqx_client.BadRequestError) as info:
                client.request(
                    method, f"/gateways/{gateway}/authentication", adapter=None, json=body
                )
            assert info.value.code == models.ErrorCode.BAD_REQUEST
    assert client.gateway_authentication.get(name=gateway) is None


def test_gateway_users(client: Any, gateway: str) -> None:
    api = client.gateway_authentication
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.users.list(name=gateway)
    assert info.value.code == models.ErrorCode.RESOURCE_NOT_FOUND
    assert info.value.body["message"] == "Resource not found. path: gateway.stomp.authentication"
    api.create(name=gateway, body=BUILT_IN)

    made = api.users.create(
        name=gateway, body={"user_id": "gwa-alice", "password": "pw1", "is_superuser": True}
    )
    assert made.user_id == "gwa-alice" and made.is_superuser is True
    api.users.create(name=gateway, body={"user_id": "gwa-bob", "password": "pw2"})
    api.users.create(name=gateway, body={"user_id": "other", "password": "pw3"})
    with pytest.raises(emqx_client.ConflictError) as conflict:
        api.users.create(name=gateway, body={"user_id": "gwa-bob", "password": "x"})
    assert conflict.value.code == models.ErrorCode.ALREADY_EXISTS
    with pytest.raises(emqx_client.BadRequestError):
        api.users.create(name=gateway, body={"user_id": "", "password": "x"})

    page = api.users.list(name=gateway, limit=2)
    assert [u.user_id for u in page.items] == ["gwa-alice", "gwa-bob"]
    assert page.meta.count == 3 and page.meta.hasnext is True
    assert [u.user_id for u in page] == ["gwa-alice", "gwa-bob", "other"]
    liked = api.users.list(name=gateway, like_user_id="gwa-")
    assert [u.user_id for u in liked.items] == ["gwa-alice", "gwa-bob"]
    supers = api.users.list(name=gateway, is_superuser=True)
    assert [u.user_id for u in supers.items] == ["gwa-alice"]
    with pytest.raises(emqx_client.BadRequestError):
        api.users.list(name=gateway, limit=0)

    assert api.users.get(name=gateway, uid="gwa-bob").is_superuser is False
    with pytest.raises(emqx_client.NotFoundError) as missing:
        api.users.get(name=gateway, uid="nobody")
    assert missing.value.code == models.ErrorCode.NOT_FOUND
    changed = api.users.update(
        name=gateway, uid="gwa-bob", body={"password": "new", "is_superuser": True}
    )
    assert changed.is_superuser is True
    # a flag left out stays as it was
    kept = api.users.update(name=gateway, uid="gwa-bob", body={"password": "newer"})
    assert kept.is_superuser is True
    assert api.users.get(name=gateway, uid="gwa-bob").is_superuser is True
    with pytest.raises(emqx_client.NotFoundError):
        api.users.update(name=gateway, uid="nobody", body={"password": "x"})

    api.users.delete(name=gateway, uid="other")
    with pytest.raises(emqx_client.NotFoundError):
        api.users.delete(name=gateway, uid="other")
    assert [u.user_id for u in api.users.list(name=gateway)] == [
        "gwa-alice",
        "gwa-bob",
    ]
    # the users go with their authenticator
    api.delete(name=gateway)
    api.create(name=gateway, body=BUILT_IN)
    assert list(api.users.list(name=gateway)) == []


def test_users_of_an_authenticator_without_users(client: Any, gateway: str) -> None:
    api = client.gateway_authentication
    api.create(name=gateway, body=JWT)
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.users.create(name=gateway, body={"user_id": "u", "password": "p"})
    assert info.value.body["message"] == "User error: unsupported_operation"
    with pytest.raises(emqx_client.BadRequestError):
        api.users.bulk_import(name=gateway, filename=("u.csv", b"user_id,password_hash\n"))


def test_import_users(client: Any, gateway: str) -> None:
    api = client.gateway_authentication
    csv = b"user_id,password_hash,salt,is_superuser\nimp-1,aa11,s1,true\nimp-2,bb22,s2,false\n"
    with pytest.raises(emqx_client.NotFoundError):
        api.users.bulk_import(name=gateway, filename=("users.csv", csv))
    api.create(name=gateway, body=BUILT_IN)

    result = api.users.bulk_import(name=gateway, filename=("users.csv", csv))
    assert (result.total, result.success, result.override, result.skipped) == (2, 2, 0, 0)
    assert api.users.get(name=gateway, uid="imp-1").is_superuser is True
    entries = [
        {"user_id": "imp-1", "password_hash": "aa11", "salt": "s1", "is_superuser": True},
        {"user_id": "imp-2", "password_hash": "cc33", "salt": "s2"},
        {"user_id": "imp-3", "password_hash": "dd44"},
    ]
    again = api.users.bulk_import(
        name=gateway, filename=("users.json", json.dumps(entries).encode())
    )
    assert (again.total, again.success, again.override, again.skipped) == (3, 1, 1, 1)

    bad_files = [
        ("users.txt", csv, "unsupported_file_format"),
        ("users", csv, "unknown_file_format"),
        ("users.csv", b"user_id,password_hash\n", "empty_users"),
        ("users.json", b'[{"user_id": "x", "password": "plain"}]', "password_hash"),
        ("users.json", b'{"user_id": "x"}', "unknown_file_format"),
    ]
    for filename, content, message in bad_files:
        with pytest.raises(emqx_client.BadRequestError) as info:
            api.users.bulk_import(name=gateway, filename=(filename, content))
        assert message in str(info.value.body["message"])
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.users.bulk_import(name=gateway)
    assert info.value.body["message"] == "Missing required parameter: filename"
    assert api.users.list(name=gateway).meta.count == 3


def test_import_listener_users(client: Any, gateway: str) -> None:
    api = client.gateway_authentication
    csv = b"user_id,password_hash\nlis-1,ab12\n"
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.bulk_import_listener_users(name=gateway, id=LISTENER, filename=("u.csv", csv))
    assert "listeners.tcp.gwauthn.authentication" in info.value.body["message"]
    client.gateway_listeners.authenticator.create(name=gateway, id=LISTENER, body=BUILT_IN)
    result = api.bulk_import_listener_users(name=gateway, id=LISTENER, filename=("u.csv", csv))
    assert result.total == 1 and result.success == 1
    users = client.gateway_listeners.authn_users.list(name=gateway, id=LISTENER)
    assert [u.user_id for u in users] == ["lis-1"]
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.bulk_import_listener_users(name=gateway, id="not-an-id", filename=("u.csv", csv))
    assert info.value.body["message"] == "Listener not found: not-an-id"
