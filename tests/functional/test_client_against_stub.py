"""The generated client drives the generated stub over real HTTP, for every operation.

Every exchange is validated against the spec by openapi-core (see openapi_check.py); the
last test asserts that every operation of the spec was exercised.
"""

from __future__ import annotations

import asyncio
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.openapi_check import SpecChecker

TRICKY_ID = "dev/1#+ é"


def test_status_is_public_text_and_json(anonymous: Any) -> None:
    text = anonymous.status.get()
    assert isinstance(text, str) and "running" in text
    status = anonymous.status.get(format="json")
    assert isinstance(status, models.StatusJson)


def test_nodes_and_their_metrics(client: Any, stub: LiveStub) -> None:
    nodes = client.nodes.list()
    assert [n.node for n in nodes] == [stub.backend.node]
    node = client.nodes.get(node=stub.backend.node)
    assert node.node == stub.backend.node
    assert client.nodes.get_metrics(node=stub.backend.node) is not None
    assert client.nodes.get_stats(node=stub.backend.node) is not None
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.nodes.get(node="nobody@nowhere")
    assert info.value.code == models.ErrorCode.NOT_FOUND


def test_cluster_stats_and_metrics(client: Any) -> None:
    assert client.metrics.get_stats() is not None
    assert client.metrics.get_stats(aggregate=True) is not None
    assert client.metrics.get() is not None
    assert client.metrics.get(aggregate=True) is not None


def test_client_lifecycle_with_a_tricky_client_id(client: Any, stub: LiveStub) -> None:
    stub.backend.add_client(TRICKY_ID, username="alice")
    for n in range(5):
        stub.backend.add_client(f"bulk-{n}", username="bob")
    got = client.clients.get(clientid=TRICKY_ID)
    assert got.clientid == TRICKY_ID and got.username == "alice"
    first = client.clients.list(limit=2)
    assert len(first.items) == 2 and first.has_next_page()
    everyone = [c.clientid for c in client.clients.list(limit=2)]
    assert TRICKY_ID in everyone and len(everyone) == len(set(everyone)) >= 6
    assert [c.clientid for c in client.clients.list(username=["alice"])] == [TRICKY_ID]

    client.clients.subscribe(clientid=TRICKY_ID, body={"topic": "sensors/+/temp", "qos": 1})
    subs = client.clients.list_subscriptions(clientid=TRICKY_ID)
    assert [s.topic for s in subs] == ["sensors/+/temp"]
    assert [s.topic for s in client.subscriptions.list(clientid=TRICKY_ID)] == ["sensors/+/temp"]
    assert "sensors/+/temp" in [t.topic for t in client.topics.list()]
    routes = client.topics.get(topic="sensors/+/temp")
    assert [r.topic for r in routes] == ["sensors/+/temp"]

    result = client.publish.message(body={"topic": "sensors/1/temp", "payload": "21.5"})
    assert result is not None
    bulk = client.publish.bulk(
        body=[{"topic": "a/b", "payload": "x"}, {"topic": "sensors/2/temp", "payload": "y"}]
    )
    assert len(bulk) == 2
    assert [m.topic for m in stub.backend.published][-3:] == [
        "sensors/1/temp",
        "a/b",
        "sensors/2/temp",
    ]

    client.clients.unsubscribe(clientid=TRICKY_ID, body={"topic": "sensors/+/temp"})
    assert client.clients.list_subscriptions(clientid=TRICKY_ID) == []
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.topics.get(topic="sensors/+/temp")
    assert info.value.code == models.ErrorCode.TOPIC_NOT_FOUND
    client.clients.kick(clientid=TRICKY_ID)
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.clients.get(clientid=TRICKY_ID)
    assert info.value.code == models.ErrorCode.CLIENTID_NOT_FOUND


def test_banned_entries(client: Any) -> None:
    created = client.banned.create(body={"as": "clientid", "who": "bad/one", "reason": "test"})
    assert created.who == "bad/one"
    with pytest.raises(emqx_client.APIStatusError) as info:
        client.banned.create(body={"as": "clientid", "who": "bad/one"})
    assert info.value.code == models.ErrorCode.ALREADY_EXISTS
    assert [b.who for b in client.banned.list()] == ["bad/one"]
    client.banned.delete(as_="clientid", who="bad/one")
    with pytest.raises(emqx_client.NotFoundError):
        client.banned.delete(as_="clientid", who="bad/one")
    client.banned.create(body={"as": "username", "who": "mallory"})
    client.banned.clear()
    assert list(client.banned.list()) == []


def test_alarms(client: Any, stub: LiveStub) -> None:
    stub.backend.raise_alarm("high_cpu_usage", message="CPU above 80%")
    stub.backend.raise_alarm("high_memory_usage", message="memory above 70%")
    stub.backend.clear_alarm("high_memory_usage")
    assert [a.name for a in client.alarms.list(activated=True)] == ["high_cpu_usage"]
    assert [a.name for a in client.alarms.list(activated=False)] == ["high_memory_usage"]
    client.alarms.delete_deactivated()
    assert list(client.alarms.list(activated=False)) == []


def test_api_keys_need_a_dashboard_token(client: Any, stub: LiveStub, checker: SpecChecker) -> None:
    with pytest.raises(emqx_client.AuthenticationError) as info:
        client.api_keys.list()
    assert info.value.code == models.ErrorCode.API_KEY_NOT_ALLOW
    login = client.dashboard.login(body={"username": "admin", "password": "public"})
    http = httpx.Client(event_hooks={"response": [checker.check]})
    with emqx_client.Client(base_url=stub.base_url, token=login.token, http_client=http) as admin:
        made = admin.api_keys.create(body={"name": "ci-key", "desc": "for CI", "enable": True})
        assert made.api_secret
        assert [k.name for k in admin.api_keys.list()] == ["ci-key"]
        assert admin.api_keys.get(name="ci-key").enable is True
        with emqx_client.Client(
            base_url=stub.base_url, api_key=made.api_key, secret_key=made.api_secret
        ) as ci:
            assert ci.nodes.list()
            admin.api_keys.update(name="ci-key", body={"enable": False, "desc": "off"})
            with pytest.raises(emqx_client.AuthenticationError):
                ci.nodes.list()
        admin.api_keys.delete(name="ci-key")
        with pytest.raises(emqx_client.NotFoundError):
            admin.api_keys.get(name="ci-key")
        admin.dashboard.logout(body={"username": "admin"})
        with pytest.raises(emqx_client.AuthenticationError) as info:
            admin.api_keys.list()
        assert info.value.code == models.ErrorCode.BAD_TOKEN


def test_login_refuses_a_wrong_password(anonymous: Any) -> None:
    with pytest.raises(emqx_client.AuthenticationError) as info:
        anonymous.dashboard.login(body={"username": "admin", "password": "wrong"})
    assert info.value.code == models.ErrorCode.BAD_USERNAME_OR_PWD


def test_error_codes(client: Any) -> None:
    codes = {c.code for c in client.error_codes.list()}
    assert {"NOT_FOUND", "BAD_REQUEST", "CLIENTID_NOT_FOUND"} <= {str(c) for c in codes}
    assert str(client.error_codes.get(code="NOT_FOUND").code) == "NOT_FOUND"


def test_without_credentials_every_protected_call_is_refused(anonymous: Any) -> None:
    with pytest.raises(emqx_client.AuthenticationError) as info:
        anonymous.nodes.list()
    assert info.value.code == models.ErrorCode.AUTHORIZATION_HEADER_ERROR
    assert SECRET not in repr(info.value) and SECRET not in str(info.value)


def test_a_wrong_secret_is_refused(stub: LiveStub) -> None:
    with emqx_client.Client(base_url=stub.base_url, api_key=API_KEY, secret_key="wrong") as bad:
        with pytest.raises(emqx_client.AuthenticationError) as info:
            bad.nodes.list()
    assert info.value.code == models.ErrorCode.BAD_API_KEY_OR_SECRET
    assert "wrong" not in repr(bad)


def test_invalid_bodies_and_media_types_get_emqx_errors(stub: LiveStub) -> None:
    auth = (API_KEY, SECRET)
    with httpx.Client(base_url=stub.base_url + "/", auth=auth) as raw:
        bad = raw.post("publish", json={"payload": "no topic"})
        assert bad.status_code == 400 and bad.json()["code"] == "BAD_REQUEST"
        broken = raw.post(
            "publish", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert broken.status_code == 400 and broken.json()["code"] == "BAD_REQUEST"
        text = raw.post("publish", content=b"topic=a", headers={"content-type": "text/plain"})
        assert text.status_code == 415 and text.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
        # an unknown path: EMQX's page, in the media type asked for (HTML by default)
        missing = raw.get("no/such/path", headers={"accept": "application/json"})
        assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
        page = raw.get("no/such/path", headers={"accept": "text/html"})
        assert page.status_code == 404 and "404 - NOT FOUND" in page.text


def test_async_client_pages_through_everything(stub: LiveStub, checker: SpecChecker) -> None:
    for n in range(3):
        stub.backend.add_client(f"async-{n}")

    async def main() -> list[str]:
        http = httpx.AsyncClient(event_hooks={"response": [checker.acheck]})
        async with emqx_client.AsyncClient(
            base_url=stub.base_url, api_key=API_KEY, secret_key=SECRET, http_client=http
        ) as c:
            page = await c.clients.list(limit=1)
            return [item.clientid async for item in page]

    ids = asyncio.run(main())
    assert {"async-0", "async-1", "async-2"} <= set(ids)
    assert len(ids) == len(set(ids))
