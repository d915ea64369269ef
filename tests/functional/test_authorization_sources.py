"""Authorization sources, settings and cache: the source list and its order, each source
type (a union on `type`, split further on `method`, `redis_type` and `mongo_type`), the
status of a source, the settings and the decision cache."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

SOURCE = TypeAdapter(models.AuthzSource)

MYSQL = {
    "type": "mysql",
    "server": "10.0.0.5:3306",
    "database": "mqtt",
    "username": "emqx",
    "password": "s3cret",
    "query": "SELECT action, permission, topic FROM mqtt_acl WHERE username = ${username}",
}
HTTP_GET = {"type": "http", "method": "get", "url": "http://10.0.0.9:8080/authz?u=${username}"}
REDIS_SINGLE = {
    "type": "redis",
    "redis_type": "single",
    "server": "10.0.0.6:6379",
    "password": "r3dis",
    "cmd": "HGETALL mqtt_acl:${username}",
}
MONGO_SINGLE = {
    "type": "mongodb",
    "mongo_type": "single",
    "server": "10.0.0.7:27017",
    "database": "mqtt",
    "collection": "mqtt_acl",
}


@pytest.fixture(autouse=True)
def _restore(stub: Any) -> Iterator[None]:
    """Each test leaves the sources and settings of the shared stub as it found them."""
    state = stub.backend._state
    saved = copy.deepcopy((state.authz_sources.sources, state.authz_sources.settings))
    yield
    state.authz_sources.sources, state.authz_sources.settings = saved


def _types(client: Any) -> list[str]:
    return [s.type for s in client.authorization.sources.list().sources]


def test_default_file_source(client: Any) -> None:
    listed = client.authorization.sources.list().sources
    files = [s for s in listed if s.type == "file"]
    assert len(files) == 1 and isinstance(files[0], models.AuthzSourceFile)
    assert files[0].enable is True and "{allow, all}." in files[0].rules
    got = client.authorization.sources.get(type="file")
    assert isinstance(got, models.AuthzSourceFile) and got.rules == files[0].rules

    changed = client.authorization.sources.update(
        type="file", body={"type": "file", "enable": False, "rules": "{deny, all}.\n"}
    )
    assert changed is None
    got = client.authorization.sources.get(type="file")
    assert got.enable is False and got.rules == "{deny, all}.\n"
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.authorization.sources.update(
            type="file", body={"type": "file", "rules": "{allow, all"}
        )
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    assert "bad_acl_file_content" in info.value.message
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.authorization.sources.update(type="file", body={"type": "built_in_database"})
    assert info.value.message == "Type mismatch"
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.authorization.sources.update(type="ldap", body={**MYSQL})
    assert info.value.code == models.ErrorCode.NOT_FOUND


def test_create_get_delete(client: Any, stub: Any) -> None:
    api = client.authorization
    assert api.sources.create(body=MYSQL) is None
    assert _types(client)[0] == "mysql"  # a new source is asked first
    got = api.sources.get(type="mysql")
    assert isinstance(got, models.AuthzSourceMysql)
    assert got.password == "******" and got.server == "10.0.0.5:3306"
    assert got.pool_size == 8 and got.enable is True and got.ssl.enable is False

    with pytest.raises(emqx_client.BadRequestError) as info:
        api.sources.create(body={**MYSQL, "database": "other"})
    assert info.value.message == "{duplicated_authz_source_type,mysql}"
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.sources.create(body={"type": "file", "rules": "allow everything"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    # a secret sent back as ****** keeps the stored one
    api.sources.update(type="mysql", body={**got.model_dump(exclude_unset=True), "pool_size": 4})
    stored = next(s for s in _stored(stub).sources if s["type"] == "mysql")
    assert stored["password"] == "s3cret" and stored["pool_size"] == 4

    assert api.sources.delete(type="mysql") is None
    assert "mysql" not in _types(client)
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.sources.get(type="mysql")
    assert info.value.message == "Not found: mysql"
    with pytest.raises(emqx_client.NotFoundError):
        api.sources.delete(type="mysql")
    with pytest.raises(emqx_client.BadRequestError):
        api._client.request("DELETE", "/authorization/sources/nosuchtype", adapter=None)


def _stored(stub: Any) -> Any:
    """The stub's own record of the sources, to see what answers hide (secrets)."""
    return stub.backend._state.authz_sources


def test_every_branch_round_trips(client: Any, stub: Any) -> None:
    """Each branch of the union is accepted by the stub and read back into its own class."""
    api = client.authorization
    bodies: list[tuple[dict[str, Any], type]] = [
        ({"type": "built_in_database", "max_rules": 20}, models.AuthzSourceBuiltInDatabase),
        (HTTP_GET, models.AuthzSourceHttpGet),
        (
            {
                "type": "http",
                "method": "post",
                "url": "http://10.0.0.9:8080/authz",
                "headers": {"content-type": "application/json", "authorization": "Bearer x"},
                "body": {"username": "${username}"},
            },
            models.AuthzSourceHttpPost,
        ),
        (REDIS_SINGLE, models.AuthzSourceRedisSingle),
        (
            {
                "type": "redis",
                "redis_type": "sentinel",
                "servers": "10.0.0.6:26379",
                "sentinel": "mymaster",
                "cmd": "HGETALL mqtt_acl:${username}",
            },
            models.AuthzSourceRedisSentinel,
        ),
        (
            {
                "type": "redis",
                "redis_type": "cluster",
                "servers": ["10.0.0.6:6379", "10.0.0.7:6379"],
                "cmd": "HGETALL mqtt_acl:${username}",
            },
            models.AuthzSourceRedisCluster,
        ),
        (MYSQL, models.AuthzSourceMysql),
        (
            {**MYSQL, "type": "postgresql", "server": "10.0.0.5:5432"},
            models.AuthzSourcePostgresql,
        ),
        (MONGO_SINGLE, models.AuthzSourceMongoSingle),
        (
            {
                **{k: v for k, v in MONGO_SINGLE.items() if k != "server"},
                "mongo_type": "rs",
                "servers": "10.0.0.7:27017,10.0.0.8:27017",
                "replica_set_name": "rs0",
                "use_legacy_protocol": True,
            },
            models.AuthzSourceMongoRs,
        ),
        (
            {
                **{k: v for k, v in MONGO_SINGLE.items() if k != "server"},
                "mongo_type": "sharded",
                "servers": "10.0.0.7:27017",
            },
            models.AuthzSourceMongoSharded,
        ),
        (
            {
                "type": "ldap",
                "server": "10.0.0.10:389",
                "username": "cn=root,dc=emqx,dc=io",
                "password": "ldap",
                "base_dn": "uid=${username},ou=testdevice,dc=emqx,dc=io",
            },
            models.AuthzSourceLdap,
        ),
    ]
    for body, cls in bodies:
        assert isinstance(SOURCE.validate_python(body), cls)
        name = body["type"]
        if name in _types(client):
            api.sources.update(type=name, body=body)
        else:
            api.sources.create(body=body)
        got = api.sources.get(type=name)
        assert type(got) is cls, (body, got)
    ldap = api.sources.get(type="ldap")
    assert ldap.filter == "(objectClass=mqttUser)" and ldap.query_timeout == "5s"
    http = api.sources.get(type="http")
    assert isinstance(http, models.AuthzSourceHttpPost) and http.connect_timeout == "15s"
    redis = api.sources.get(type="redis")
    assert isinstance(redis, models.AuthzSourceRedisCluster) and redis.pool_size == 8
    assert redis.servers == "10.0.0.6:6379,10.0.0.7:6379"
    mongo = api.sources.get(type="mongodb")
    assert mongo.limit == 1000 and mongo.filter == {} and mongo.w_mode == "unsafe"
    listed = api.sources.list().sources
    assert {type(s) for s in listed} >= {
        models.AuthzSourceLdap,
        models.AuthzSourceMongoSharded,
        models.AuthzSourcePostgresql,
        models.AuthzSourceMysql,
        models.AuthzSourceRedisCluster,
        models.AuthzSourceHttpPost,
        models.AuthzSourceBuiltInDatabase,
        models.AuthzSourceFile,
    }
    stored = next(s for s in _stored(stub).sources if s["type"] == "http")
    assert stored["headers"]["authorization"] == "Bearer x"
    assert http.headers["authorization"] == "******"


def test_bodies_fitting_no_branch(client: Any) -> None:
    api = client.authorization
    for body in (
        {"type": "nosuch"},
        {"type": "http", "method": "put", "url": "http://x"},
        {"type": "redis", "server": "h:1", "cmd": "GET x"},  # no redis_type
        {"type": "mongodb", "mongo_type": "cluster", "database": "d", "collection": "c"},
        {"type": "mysql", "server": "h:1"},  # required fields missing
        {**HTTP_GET, "headers": {"content-type": "text/plain"}},  # refused for get
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            api._client.request("POST", "/authorization/sources", adapter=None, json=body)
        assert info.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        api._client.request(
            "PUT", "/authorization/sources/file", adapter=None, json={"type": "file"}
        )
    with pytest.raises(ValueError):
        SOURCE.validate_python({"type": "http", "method": "put", "url": "http://x"})


def test_status(client: Any, stub: Any) -> None:
    api = client.authorization
    status = api.sources.get_status(type="file")
    assert status.status == "connected" and status.node_error == []
    assert status.metrics.total == 0 and status.resource_metrics.matched is None
    assert [n.node for n in status.node_status] == [stub.backend.node]
    api.sources.create(body=HTTP_GET)
    status = api.sources.get_status(type="http")
    assert status.resource_metrics.success == 0
    assert status.node_resource_metrics[0].metrics.failed == 0
    with pytest.raises(emqx_client.NotFoundError):
        api.sources.get_status(type="ldap")
    with pytest.raises(emqx_client.BadRequestError):
        api._client.request("GET", "/authorization/sources/order/status", adapter=None)


def test_move_and_order(client: Any) -> None:
    api = client.authorization
    before = _types(client)
    api.sources.create(body=MYSQL)
    api.sources.create(body=HTTP_GET)
    api.sources.create(body=REDIS_SINGLE)
    assert _types(client)[:3] == ["redis", "http", "mysql"]
    assert api.sources.move(type="redis", body={"position": "rear"}) is None
    assert _types(client)[-1] == "redis"
    api.sources.move(type="redis", body={"position": "front"})
    assert _types(client)[0] == "redis"
    api.sources.move(type="redis", body={"position": "after:mysql"})
    assert _types(client)[:3] == ["http", "mysql", "redis"]
    api.sources.move(type="redis", body={"position": "before:http"})
    assert _types(client)[:3] == ["redis", "http", "mysql"]
    for position, message in (
        ("middle", "Invalid parameter. Unknow position"),
        ("before:", "Invalid parameter. Cannot be placed before an empty target"),
        ("after:ldap", "{pre_config_update,emqx_authz,{not_found_source,ldap}}"),
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            api.sources.move(type="redis", body={"position": position})
        assert info.value.message == message
    with pytest.raises(emqx_client.NotFoundError):
        api.sources.move(type="ldap", body={"position": "front"})
    with pytest.raises(emqx_client.InternalServerError) as info:
        api.sources.move(type="redis", body={"position": "before:nosuch"})
    assert info.value.code == models.ErrorCode.INTERNAL_ERROR

    order = ["mysql", *before, "http", "redis"]
    assert api.sources.reorder(body=[{"type": t} for t in order]) is None
    assert _types(client) == order
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.sources.reorder(body=[{"type": t} for t in order[1:]])
    assert info.value.message == "No positions are specified for authorization sources: mysql"
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.sources.reorder(body=[{"type": t} for t in [*order, "ldap", "http"]])
    assert info.value.message == "Authorization sources: http, ldap are not found"
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.sources.reorder(body=[{"type": t} for t in [*order[1:], "ldap"]])
    assert info.value.message == (
        "Authorization sources: ldap are not found, "
        "No positions are specified for authorization sources: mysql"
    )
    assert _types(client) == order


def test_settings(client: Any, anonymous: Any) -> None:
    api = client.authorization
    got = api.get_settings()
    assert got.no_match == "allow" and got.deny_action == "ignore"
    assert got.cache.max_size == 32 and got.cache.ttl == "1m" and got.cache.enable is True
    changed = api.update_settings(
        body={"no_match": "deny", "cache": {"max_size": 64, "excludes": ["$SYS/#"]}}
    )
    assert changed.no_match == "deny" and changed.deny_action == "ignore"
    assert changed.cache.max_size == 64 and changed.cache.ttl == "1m"
    assert api.get_settings().cache.excludes == ["$SYS/#"]
    # fields left out go back to their defaults
    reset = api.update_settings(body={"deny_action": "disconnect"})
    assert reset.no_match == "allow" and reset.cache.max_size == 32
    with pytest.raises(emqx_client.BadRequestError):
        api._client.request(
            "PUT", "/authorization/settings", adapter=None, json={"no_match": "maybe"}
        )
    with pytest.raises(emqx_client.BadRequestError):
        api._client.request(
            "PUT", "/authorization/settings", adapter=None, json={"cache": {"max_size": 0}}
        )
    with pytest.raises(emqx_client.AuthenticationError):
        anonymous.authorization.get_settings()


def test_clean_cache(client: Any, anonymous: Any, stub: Any) -> None:
    before = _stored(stub).cache_cleared
    assert client.authorization.clean_cache() is None
    assert _stored(stub).cache_cleared == before + 1
    with pytest.raises(emqx_client.AuthenticationError):
        anonymous.authorization.clean_cache()
    with pytest.raises(emqx_client.AuthenticationError):
        anonymous.authorization.sources.list()
