"""ExHook servers through the generated client against the live stub: create, read,
replace, reorder, list hooks and remove, with the broker's odd error statuses."""

from __future__ import annotations

from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub


def names(client: Any) -> list[str]:
    return [s.name for s in client.exhook.list() if s.name.startswith("ft")]


def error(exc: pytest.ExceptionInfo[emqx_client.APIStatusError]) -> tuple[int, str]:
    return exc.value.status_code, str(exc.value.code)


def test_create_read_replace_and_delete(client: Any) -> None:
    created = client.exhook.create(
        body={"name": "ft-a", "url": "http://127.0.0.1:9000", "pool_size": 4}
    )
    assert created.name == "ft-a"
    assert created.enable is True
    assert created.request_timeout == "5s"
    assert created.failed_action == models.ExhookServerInfoFailedAction.DENY
    assert created.auto_reconnect == "60s"
    assert created.pool_size == 4
    assert created.socket_options.keepalive is True
    assert created.hooks == []
    assert created.metrics.succeed == 0
    assert [s.status for s in created.node_status] == [models.ExhookNodeState.CONNECTED]

    with pytest.raises(emqx_client.APIStatusError) as dup:
        client.exhook.create(body={"name": "ft-a", "url": "http://h:1"})
    assert error(dup) == (400, "BAD_REQUEST")
    assert dup.value.message == "Already exists"

    got = client.exhook.get(name="ft-a")
    assert got.url == "http://127.0.0.1:9000"
    assert "ft-a" in names(client)

    changed = client.exhook.update(
        name="ft-a",
        body={
            "name": "ignored",
            "url": "https://10.0.0.1:9001",
            "enable": False,
            "failed_action": "ignore",
            "auto_reconnect": False,
        },
    )
    assert changed.name == "ft-a"
    assert changed.enable is False
    assert changed.pool_size == 8  # back to its default
    assert changed.failed_action == models.ExhookServerInfoFailedAction.IGNORE
    assert [s.status for s in changed.node_status] == [models.ExhookNodeState.DISCONNECTED]
    assert client.exhook.get(name="ft-a").url == "https://10.0.0.1:9001"
    assert client.exhook.list_hooks(name="ft-a") == []

    client.exhook.delete(name="ft-a")
    assert "ft-a" not in names(client)
    with pytest.raises(emqx_client.APIStatusError) as gone:
        client.exhook.get(name="ft-a")
    assert error(gone) == (404, "BAD_REQUEST")
    with pytest.raises(emqx_client.APIStatusError) as gone_put:
        client.exhook.update(name="ft-a", body={"name": "ft-a", "url": "http://h:1"})
    assert error(gone_put) == (404, "NOT_FOUND")
    with pytest.raises(emqx_client.APIStatusError) as gone_delete:
        client.exhook.delete(name="ft-a")
    assert error(gone_delete) == (404, "BAD_REQUEST")
    with pytest.raises(emqx_client.APIStatusError) as gone_hooks:
        client.exhook.list_hooks(name="ft-a")
    assert error(gone_hooks) == (400, "BAD_REQUEST")


def test_bad_name_is_refused(client: Any, stub: LiveStub) -> None:
    with pytest.raises(emqx_client.RequestValidationError):  # the client checks the pattern first
        client.exhook.create(body={"name": "-x", "url": "http://h:1"})
    answer = httpx.post(
        f"{stub.base_url}/exhooks",
        json={"name": "-x", "url": "http://h:1"},
        auth=(API_KEY, SECRET),
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"


def test_move(client: Any) -> None:
    for name in ("ft-m1", "ft-m2", "ft-m3"):
        client.exhook.create(body={"name": name, "url": "http://h:1"})
    try:
        client.exhook.move(name="ft-m3", body={"position": "front"})
        assert names(client) == ["ft-m3", "ft-m1", "ft-m2"]
        client.exhook.move(name="ft-m3", body={"position": "rear"})
        assert names(client) == ["ft-m1", "ft-m2", "ft-m3"]
        client.exhook.move(name="ft-m1", body={"position": "after:ft-m2"})
        assert names(client) == ["ft-m2", "ft-m1", "ft-m3"]
        client.exhook.move(name="ft-m3", body={"position": "before:ft-m2"})
        assert names(client) == ["ft-m3", "ft-m2", "ft-m1"]

        for position in ("middle", "before:", "after:"):
            with pytest.raises(emqx_client.APIStatusError) as bad:
                client.exhook.move(name="ft-m1", body={"position": position})
            assert error(bad) == (400, "BAD_REQUEST")
            assert bad.value.message == "Invalid Position"
        with pytest.raises(emqx_client.APIStatusError) as missing:
            client.exhook.move(name="ft-none", body={"position": "front"})
        assert error(missing) == (404, "BAD_REQUEST")
        with pytest.raises(emqx_client.APIStatusError) as no_target:
            client.exhook.move(name="ft-m1", body={"position": "after:ft-none"})
        assert error(no_target) == (500, "BAD_RPC")
        assert names(client) == ["ft-m3", "ft-m2", "ft-m1"]
    finally:
        for name in ("ft-m1", "ft-m2", "ft-m3"):
            client.exhook.delete(name=name)
