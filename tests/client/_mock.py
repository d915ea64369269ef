"""A client wired to httpx's mock transport: each test answers requests with a function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import emqx_client
import httpx

BASE = "http://emqx.test/api/v5"
Handler = Callable[[httpx.Request], httpx.Response]


def make(handler: Handler, **kwargs: Any) -> tuple[emqx_client.Client, list[httpx.Request]]:
    """A Client whose requests go to `handler`; the list collects every request sent."""
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return handler(request)

    kwargs.setdefault("base_url", BASE)
    kwargs.setdefault("api_key", "k")
    kwargs.setdefault("secret_key", "s")
    http = kwargs.pop("http_client", None) or httpx.Client(transport=httpx.MockTransport(record))
    return emqx_client.Client(http_client=http, **kwargs), calls


def make_async(
    handler: Handler, **kwargs: Any
) -> tuple[emqx_client.AsyncClient, list[httpx.Request]]:
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return handler(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(record))
    client = emqx_client.AsyncClient(
        base_url=BASE, api_key="k", secret_key="s", http_client=http, **kwargs
    )
    return client, calls


def json_answer(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def ban(who: str) -> dict[str, Any]:
    return {"as": "clientid", "who": who, "by": "test", "reason": "", "at": "2026-01-01T00:00:00Z"}


def banned_pages(total: int, limit: int) -> Handler:
    """GET /banned answered page by page over `total` bans."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        start = (page - 1) * limit
        data = [ban(f"c{i}") for i in range(start, min(start + limit, total))]
        meta = {"page": page, "limit": limit, "count": total, "hasnext": start + limit < total}
        return httpx.Response(200, json={"data": data, "meta": meta})

    return answer
