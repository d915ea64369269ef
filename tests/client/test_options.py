"""Options: environment defaults, with_options, with_raw_response, a custom http_client's
own settings."""

from __future__ import annotations

import asyncio
import base64

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.client._mock import BASE, ban, banned_pages, json_answer, make, make_async

NODE = {"node": "emqx@127.0.0.1", "node_status": "running"}


def test_base_url_and_credentials_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMQX_BASE_URL", "http://from-env:18083/api/v5")
    monkeypatch.setenv("EMQX_API_KEY", "env-key")
    monkeypatch.setenv("EMQX_SECRET_KEY", "env-secret")
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=[])

    client = emqx_client.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    client.nodes.list()
    assert str(calls[0].url) == "http://from-env:18083/api/v5/nodes"
    expected = base64.b64encode(b"env-key:env-secret").decode()
    assert calls[0].headers["authorization"] == f"Basic {expected}"
    explicit = emqx_client.Client(base_url="http://given/api/v5", api_key="a", secret_key="b")
    assert str(explicit.base_url) == "http://given/api/v5/"


def test_with_options_gives_a_new_client_sharing_the_pool() -> None:
    client, calls = make(json_answer([]))
    quick = client.with_options(timeout=1.5, max_retries=0, headers={"X-Team": "ops"})
    assert quick is not client and quick._http is client._http
    assert quick.nodes._client is quick and client.nodes._client is client
    quick.nodes.list()
    client.nodes.list()
    assert calls[0].extensions["timeout"]["read"] == 1.5
    assert calls[0].headers["x-team"] == "ops" and "x-team" not in calls[1].headers
    assert calls[1].extensions["timeout"]["read"] != 1.5
    assert quick.max_retries == 0 and client.max_retries == 2
    assert calls[0].headers["authorization"] == calls[1].headers["authorization"]


def test_with_options_max_retries_applies() -> None:
    client, calls = make(json_answer({"code": "SERVICE_UNAVAILABLE"}, 503))
    with pytest.raises(emqx_client.ServiceUnavailableError):
        client.with_options(max_retries=0).nodes.list()
    assert len(calls) == 1


def test_with_raw_response_gives_status_headers_and_the_parsed_body() -> None:
    client, _ = make(lambda r: httpx.Response(200, json=[NODE], headers={"X-Served-By": "emqx1"}))
    raw = client.nodes.with_raw_response.list()
    assert raw.status_code == 200 and raw.headers["x-served-by"] == "emqx1"
    assert isinstance(raw.parsed, list) and raw.parsed[0].node == "emqx@127.0.0.1"
    assert raw.method == "GET" and raw.url.path == "/api/v5/nodes"
    assert isinstance(raw.http_response, httpx.Response)
    same = client.with_raw_response.nodes.list()
    assert same.status_code == 200 and same.parsed == raw.parsed
    quick = client.with_options(headers={"X-Team": "ops"})
    assert quick.with_raw_response.nodes.list().http_response.request.headers["x-team"] == "ops"


def test_with_raw_response_of_a_page_and_of_an_error() -> None:
    client, _ = make(banned_pages(total=3, limit=2))
    raw = client.banned.with_raw_response.list(limit=2)
    assert raw.status_code == 200 and [b.who for b in raw.parsed.items] == ["c0", "c1"]
    client, _ = make(json_answer({"code": "NOT_FOUND", "message": "gone"}, 404))
    with pytest.raises(emqx_client.NotFoundError):
        client.nodes.with_raw_response.get(node="n1")


def test_async_with_raw_response() -> None:
    async def run() -> None:
        client, _ = make_async(lambda r: httpx.Response(201, json=ban("c1")))
        raw = await client.banned.with_raw_response.create(body={"as": "clientid", "who": "c1"})
        assert raw.status_code == 201 and isinstance(raw.parsed, models.Banned)
        pages, _ = make_async(banned_pages(total=3, limit=2))
        first = await pages.banned.with_raw_response.list(limit=2)
        assert first.status_code == 200 and len(first.parsed.items) == 2
        await client.close()

    asyncio.run(run())


def test_a_custom_http_client_keeps_its_timeout_and_headers() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=[])

    http = httpx.Client(
        timeout=1.0, headers={"X-Proxy-Tag": "t1"}, transport=httpx.MockTransport(answer)
    )
    client = emqx_client.Client(base_url=BASE, api_key="k", secret_key="s", http_client=http)
    client.nodes.list()
    assert calls[0].extensions["timeout"] == httpx.Timeout(1.0).as_dict()
    assert calls[0].headers["x-proxy-tag"] == "t1"
    assert calls[0].headers["accept"] == "application/json"
    client.nodes.list(timeout=4.0)
    assert calls[1].extensions["timeout"]["read"] == 4.0
    given = emqx_client.Client(
        base_url=BASE, api_key="k", secret_key="s", http_client=http, timeout=9
    )
    given.nodes.list()
    assert calls[2].extensions["timeout"]["read"] == 9


def test_a_client_made_here_has_the_default_timeout() -> None:
    client = emqx_client.Client(base_url=BASE, api_key="k", secret_key="s")
    assert client._http.timeout == httpx.Timeout(30.0, connect=5.0)
    assert emqx_client.Client(
        api_key="k", secret_key="s", timeout=3
    )._http.timeout == httpx.Timeout(3)
