"""Authentication: the global chain of authenticators, their status and order, and the
users of the built-in database ones. The chain is global to the stub, so every test starts
from and leaves an empty chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models
from pydantic import TypeAdapter

from tests.functional.conftest import API_KEY, SECRET

BUILT_IN = "password_based:built_in_database"
BUILT_IN_BODY = {"mechanism": "password_based", "backend": "built_in_database"}
JWT_BODY = {"mechanism": "jwt", "algorithm": "hmac-based", "secret": "s3cret", "use_jwks": False}
MYSQL_BODY = {
    "mechanism": "password_based",
    "backend": "mysql",
    "server": "127.0.0.1:3306",
    "database": "mqtt",
    "username": "root",
    "password": "dbpass",
    "query": "SELECT password_hash FROM mqtt_user WHERE username = ${username}",
}


def _empty_chain(client: Any) -> None:
    for authn in client.authentication.list():
        client.authentication.delete(id=authn.id)


def _raw(client: Any, method: str, path: str, body: Any) -> Any:
    """A body sent as is, past the client's own model checks."""
    return client.request(method, path, adapter=None, json=body)


@pytest.fixture()
def chain(client: Any) -> Iterator[Any]:
    _empty_chain(client)
    yield client
    _empty_chain(client)


def _leaf_schemas(bundled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every authenticator shape that is not itself a union, by component name."""
    schemas = bundled["components"]["schemas"]
    out: dict[str, dict[str, Any]] = {}

    def walk(name: str) -> None:
        schema = schemas[name]
        if "oneOf" in schema:
            for member in schema["oneOf"]:
                walk(member["$ref"].rsplit("/", 1)[-1])
        else:
            out[name] = schema

    walk("AuthnConfig")
    return out


def test_every_branch_parses_into_its_own_class(bundled: dict[str, Any]) -> None:
    leaves = _leaf_schemas(bundled)
    assert len(leaves) == 21  # 16 of both builds, 5 of the enterprise build
    adapter: TypeAdapter[Any] = TypeAdapter(models.AuthnConfig)
    for name, schema in leaves.items():
        assert type(adapter.validate_python(schema["example"])).__name__ == name
    hashes: TypeAdapter[Any] = TypeAdapter(models.AuthnPasswordHashRw)
    assert isinstance(hashes.validate_python({"name": "bcrypt"}), models.AuthnHashBcryptRw)
    assert isinstance(hashes.validate_python({"name": "md5"}), models.AuthnHashSimple)
    pbkdf2 = {"name": "pbkdf2", "mac_fun": "sha256", "iterations": 10}
    assert isinstance(hashes.validate_python(pbkdf2), models.AuthnHashPbkdf2)
    methods: TypeAdapter[Any] = TypeAdapter(models.AuthnLdapMethod)
    assert isinstance(methods.validate_python({"type": "hash"}), models.AuthnLdapHashMethod)


def test_every_branch_can_be_created_and_read(chain: Any, bundled: dict[str, Any]) -> None:
    for name, schema in _leaf_schemas(bundled).items():
        if schema.get("x-emqx-edition") == "enterprise":
            continue  # the open-source stub refuses them (tests/functional/test_ee_auth.py)
        created = chain.authentication.create(body=schema["example"])
        assert type(created).__name__ == name
        assert chain.authentication.get(id=created.id).id == created.id
        chain.authentication.delete(id=created.id)


def test_authenticator_lifecycle(chain: Any) -> None:
    api = chain.authentication
    created = api.create(body=MYSQL_BODY)
    assert isinstance(created, models.AuthnPasswordBasedMysql)
    assert created.id == "password_based:mysql" and created.password == "dbpass"
    assert created.query_timeout == "5s" and created.pool_size == 8 and created.enable is True
    assert created.password_hash_algorithm.name == "sha256"
    with pytest.raises(emqx_client.ConflictError) as dup:
        api.create(body=MYSQL_BODY)
    assert dup.value.code == models.ErrorCode.ALREADY_EXISTS
    # read answers mask secrets; a masked secret sent back keeps the stored one
    read = api.get(id="password_based:mysql")
    assert isinstance(read, models.AuthnPasswordBasedMysql) and read.password == "******"
    api.update(id="password_based:mysql", body={**MYSQL_BODY, "password": "******", "pool_size": 4})
    assert api.get(id="password_based:mysql").pool_size == 4
    with pytest.raises(emqx_client.BadRequestError) as changed:
        api.update(id="password_based:mysql", body=BUILT_IN_BODY)
    assert "not allowed" in str(changed.value.message)
    with pytest.raises(emqx_client.NotFoundError) as missing:
        api.get(id="password_based:redis")
    assert missing.value.code == models.ErrorCode.NOT_FOUND
    with pytest.raises(emqx_client.NotFoundError):
        api.update(id="password_based:redis", body=MYSQL_BODY)
    api.create(body=JWT_BODY)
    api.delete(id="password_based:mysql")
    api.delete(id="password_based:mysql")  # idempotent while the chain exists
    api.delete(id="jwt")
    assert api.list() == []
    # an empty chain is no chain: EMQX answers 404 for it
    with pytest.raises(emqx_client.NotFoundError) as no_chain:
        api.delete(id="jwt")
    assert no_chain.value.message == "Authenticator not found in the 'global' scope"


def test_bodies_that_fit_no_branch_are_refused(chain: Any) -> None:
    api = chain.authentication
    for body in (
        {"mechanism": "password_based", "backend": "oracle"},
        {"mechanism": "kerberos"},
        {"backend": "built_in_database"},
        {"mechanism": "password_based", "backend": "mongodb", "mongo_type": "cluster"},
        {**MYSQL_BODY, "query": 42},
        {"mechanism": "jwt", "use_jwks": True},
    ):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            _raw(chain, "POST", "/authentication", body)
        assert bad.value.code == models.ErrorCode.BAD_REQUEST
    get_with_type = {
        "mechanism": "password_based",
        "backend": "http",
        "method": "get",
        "url": "http://127.0.0.1/auth",
        "headers": {"content-type": "application/json"},
    }
    with pytest.raises(emqx_client.BadRequestError):
        api.create(body=get_with_type)
    with pytest.raises(emqx_client.BadRequestError):
        api.create(body={**JWT_BODY, "verify_claims": {"exp": "1"}})
    with pytest.raises(emqx_client.UnsupportedMediaTypeError):
        chain.request(
            "POST", "/authentication", adapter=None, content="x", content_type="text/plain"
        )
    assert api.list() == []


def test_status(chain: Any) -> None:
    api = chain.authentication
    api.create(body=BUILT_IN_BODY)
    api.create(body=MYSQL_BODY)
    built_in = api.get_status(id=BUILT_IN)
    assert built_in.status == "connected" and built_in.metrics.total == 0
    assert built_in.resource_metrics.model_dump(exclude_unset=True) == {}
    assert [n.status for n in built_in.node_status] == ["connected"] and built_in.node_error == []
    mysql = api.get_status(id="password_based:mysql")
    assert mysql.resource_metrics.matched == 0
    with pytest.raises(emqx_client.NotFoundError):
        api.get_status(id="jwt")


def test_order_and_position(chain: Any) -> None:
    api = chain.authentication
    for body in (BUILT_IN_BODY, JWT_BODY, MYSQL_BODY):
        api.create(body=body)

    def ids() -> list[str]:
        return [a.id for a in api.list()]

    assert ids() == [BUILT_IN, "jwt", "password_based:mysql"]
    api.move(id="password_based:mysql", position="front")
    assert ids() == ["password_based:mysql", BUILT_IN, "jwt"]
    api.move(id="password_based:mysql", position="rear")
    assert ids() == [BUILT_IN, "jwt", "password_based:mysql"]
    api.move(id=BUILT_IN, position="after:jwt")
    assert ids() == ["jwt", BUILT_IN, "password_based:mysql"]
    api.move(id="password_based:mysql", position=f"before:{BUILT_IN}")
    assert ids() == ["jwt", "password_based:mysql", BUILT_IN]
    with pytest.raises(emqx_client.BadRequestError) as bad:
        api.move(id="jwt", position="middle")
    assert bad.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        api.move(id="jwt", position="before:")
    with pytest.raises(emqx_client.NotFoundError):
        api.move(id="scram:built_in_database", position="front")
    with pytest.raises(emqx_client.NotFoundError):
        api.move(id="jwt", position="after:password_based:redis")

    api.reorder(body=[{"id": BUILT_IN}, {"id": "password_based:mysql"}, {"id": "jwt"}])
    assert ids() == [BUILT_IN, "password_based:mysql", "jwt"]
    with pytest.raises(emqx_client.BadRequestError) as partial:
        api.reorder(body=[{"id": BUILT_IN}, {"id": "nope"}])
    message = str(partial.value.message)
    assert "nope are not found" in message and "password_based:mysql, jwt" in message
    assert ids() == [BUILT_IN, "password_based:mysql", "jwt"]


def test_users(chain: Any) -> None:
    api = chain.authentication
    for call in (
        lambda: api.users.list(id=BUILT_IN),
        lambda: api.users.create(id=BUILT_IN, body={"user_id": "u", "password": "p"}),
        lambda: api.users.update(id=BUILT_IN, user_id="u", body={"password": "p"}),
        lambda: api.users.delete(id=BUILT_IN, user_id="u"),
        lambda: api.users.bulk_import(id=BUILT_IN, body=[{"user_id": "u"}]),
    ):
        with pytest.raises(emqx_client.NotFoundError) as no_chain:
            call()
        assert "'global' scope" in str(no_chain.value.message)
    api.create(body=BUILT_IN_BODY)
    api.create(body=JWT_BODY)
    created = api.users.create(
        id=BUILT_IN, body={"user_id": "authn-u1", "password": "p1", "is_superuser": True}
    )
    assert created == models.AuthnUser(user_id="authn-u1", is_superuser=True)
    api.users.create(id=BUILT_IN, body={"user_id": "authn-u2", "password": "p2"})
    with pytest.raises(emqx_client.ConflictError) as dup:
        api.users.create(id=BUILT_IN, body={"user_id": "authn-u1", "password": "x"})
    assert dup.value.code == models.ErrorCode.ALREADY_EXISTS
    with pytest.raises(emqx_client.BadRequestError):
        _raw(
            chain,
            "POST",
            "/authentication/password_based%3Abuilt_in_database/users",
            {"user_id": "u3"},
        )
    with pytest.raises(emqx_client.BadRequestError) as unsupported:
        api.users.create(id="jwt", body={"user_id": "u", "password": "p"})
    assert "unsupported_operation" in str(unsupported.value.message)
    with pytest.raises(emqx_client.BadRequestError) as unknown:
        api.users.create(id="password_based:mysql", body={"user_id": "u", "password": "p"})
    assert "not_found" in str(unknown.value.message)

    assert api.users.get(id=BUILT_IN, user_id="authn-u2").is_superuser is False
    with pytest.raises(emqx_client.NotFoundError) as missing:
        api.users.get(id=BUILT_IN, user_id="nobody")
    assert missing.value.message == "User not found"

    changed = api.users.update(
        id=BUILT_IN, user_id="authn-u2", body={"password": "p2b", "is_superuser": True}
    )
    assert changed.is_superuser is True
    kept = api.users.update(id=BUILT_IN, user_id="authn-u2", body={"password": "p2c"})
    assert kept.is_superuser is True
    with pytest.raises(emqx_client.NotFoundError):
        api.users.update(id=BUILT_IN, user_id="nobody", body={"password": "x"})
    with pytest.raises(emqx_client.BadRequestError):
        path = "/authentication/password_based%3Abuilt_in_database/users/authn-u2"
        _raw(chain, "PUT", path, {"is_superuser": False})

    api.users.create(id=BUILT_IN, body={"user_id": "other", "password": "p"})
    page = api.users.list(id=BUILT_IN, limit=2)
    assert [u.user_id for u in page.items] == ["authn-u1", "authn-u2"]
    assert page.meta.count == 3 and page.meta.hasnext is True
    assert [u.user_id for u in api.users.list(id=BUILT_IN, limit=2)] == [
        "authn-u1",
        "authn-u2",
        "other",
    ]
    liked = api.users.list(id=BUILT_IN, like_user_id="authn-", is_superuser=True)
    assert [u.user_id for u in liked.items] == ["authn-u1", "authn-u2"]
    plain = api.users.list(id=BUILT_IN, is_superuser=False)
    assert [u.user_id for u in plain.items] == ["other"]
    with pytest.raises(emqx_client.BadRequestError):
        api.users.list(id="jwt")
    with pytest.raises(emqx_client.BadRequestError):  # the client sends page 0 as page 1
        users_path = "/authentication/password_based%3Abuilt_in_database/users"
        chain.request("GET", users_path, adapter=None, query=[("page", "0")])

    api.users.delete(id=BUILT_IN, user_id="other")
    with pytest.raises(emqx_client.NotFoundError):
        api.users.delete(id=BUILT_IN, user_id="other")
    # users go with their authenticator
    api.delete(id=BUILT_IN)
    api.create(body=BUILT_IN_BODY)
    assert api.users.list(id=BUILT_IN).items == []


def test_import_users(chain: Any) -> None:
    api = chain.authentication
    api.create(body=BUILT_IN_BODY)
    api.create(body={"mechanism": "scram", "backend": "built_in_database"})
    users = [
        {"user_id": "imp1", "password": "p1", "is_superuser": True},
        {"user_id": "imp2", "password": "p2", "is_superuser": "false"},
    ]
    result = api.users.bulk_import(id=BUILT_IN, type="plain", body=users)
    assert result == models.AuthnImportResult(total=2, success=2, override=0, skipped=0, failed=0)
    assert api.users.get(id=BUILT_IN, user_id="imp1").is_superuser is True
    hashed = [
        {"user_id": "imp2", "password_hash": "ab12", "salt": "s1"},
        {"user_id": "imp3", "password_hash": "cd34"},
    ]
    again = api.users.bulk_import(id=BUILT_IN, body=hashed)
    assert (again.total, again.success, again.override, again.skipped) == (2, 1, 1, 0)
    same = api.users.bulk_import(id=BUILT_IN, type="hash", body=hashed)
    assert (same.success, same.override, same.skipped) == (0, 0, 2)
    with pytest.raises(emqx_client.BadRequestError) as empty:
        api.users.bulk_import(id=BUILT_IN, type="plain", body=[])
    assert empty.value.message == "empty_users"
    with pytest.raises(emqx_client.BadRequestError) as no_password:
        api.users.bulk_import(id=BUILT_IN, type="plain", body=[{"user_id": "x"}])
    assert "requires_password_field" in str(no_password.value.message)
    with pytest.raises(emqx_client.BadRequestError) as scram:
        api.users.bulk_import(id="scram:built_in_database", body=hashed)
    assert "not supported" in str(scram.value.message)
    with pytest.raises(emqx_client.NotFoundError):
        api.users.bulk_import(id="password_based:mysql", body=hashed)


def test_import_users_from_an_uploaded_file(chain: Any, stub: Any) -> None:
    """The same operation takes a CSV or JSON file as a multipart upload (`filename`)."""
    api = chain.authentication
    api.create(body=BUILT_IN_BODY)
    csv = b"user_id,password,is_superuser\nfile1,p1,true\nfile2,p2,false\n"
    result = api.users.bulk_import(id=BUILT_IN, type="plain", filename=("u.csv", csv))
    assert (result.total, result.success) == (2, 2)
    assert api.users.get(id=BUILT_IN, user_id="file1").is_superuser is True
    as_json = b'[{"user_id": "file3", "password_hash": "ab", "salt": "s"}]'
    result = api.users.bulk_import(id=BUILT_IN, filename=("u.json", as_json))
    assert (result.total, result.success) == (1, 1)
    with pytest.raises(emqx_client.BadRequestError) as unknown:
        api.users.bulk_import(id=BUILT_IN, filename=("u.txt", b"user_id\nx\n"))
    assert unknown.value.code == "BAD_REQUEST"
    # the client refuses both bodies at once, or none
    with pytest.raises(emqx_client.RequestValidationError):
        api.users.bulk_import(id=BUILT_IN, body=[], filename=("u.csv", csv))
    with pytest.raises(emqx_client.RequestValidationError):
        api.users.bulk_import(id=BUILT_IN)
    # a form without the file, or a body that is neither JSON nor a form, is EMQX's 400
    path = f"{stub.base_url}/authentication/password_based%3Abuilt_in_database/import_users"
    for sent in ({"data": {"other": "x"}, "files": {"x": ("a", b"b")}}, {"content": b"user_id"}):
        answer = httpx.post(path, auth=(API_KEY, SECRET), **sent)
        assert answer.status_code == 400, answer.text
        assert answer.json() == {
            "code": "BAD_REQUEST",
            "message": "Missing required parameter: filename",
        }
