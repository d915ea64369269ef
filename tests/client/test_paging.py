"""Paging: `async for` without the extra await, `await` for the first page, no `len()`
that disagrees with iteration, a typed `meta`."""

from __future__ import annotations

import asyncio

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.client._mock import banned_pages, make, make_async


def test_iterating_a_page_walks_every_page_and_items_is_one_page() -> None:
    client, calls = make(banned_pages(total=5, limit=2))
    first = client.banned.list(limit=2)
    assert [b.who for b in first.items] == ["c0", "c1"]
    assert [b.who for b in first] == [f"c{i}" for i in range(5)]
    assert len(calls) == 3
    assert [p.meta.page for p in first.iter_pages()] == [1, 2, 3]
    with pytest.raises(TypeError):
        len(first)  # type: ignore[arg-type]


def test_meta_is_the_operations_typed_meta() -> None:
    client, _ = make(banned_pages(total=3, limit=2))
    page = client.banned.list(limit=2)
    assert isinstance(page.meta, models.BannedPageMeta)
    assert page.meta.count == 3 and page.meta.hasnext is True


def test_async_for_needs_no_await_and_await_gives_the_first_page() -> None:
    async def run() -> None:
        client, calls = make_async(banned_pages(total=5, limit=2))
        seen = [b.who async for b in client.banned.list(limit=2)]
        assert seen == [f"c{i}" for i in range(5)] and len(calls) == 3
        first = await client.banned.list(limit=2)
        assert isinstance(first, emqx_client.AsyncPage)
        assert [b.who for b in first.items] == ["c0", "c1"]
        assert isinstance(first.meta, models.BannedPageMeta)
        again = [b.who async for b in await client.banned.list(limit=2)]
        assert again == seen
        await client.close()

    asyncio.run(run())


def test_the_aggregate_flag_decides_the_answer() -> None:
    stats = {"connections.count": 1, "connections.max": 1}

    def answer(request: httpx.Request) -> httpx.Response:
        aggregated = request.url.params.get("aggregate") == "true"
        return httpx.Response(200, json=stats if aggregated else [{**stats, "node": "n1"}])

    client, _ = make(answer)
    assert isinstance(client.metrics.get_stats(aggregate=True), models.StatValues)
    per_node = client.metrics.get_stats()
    assert isinstance(per_node, list) and isinstance(per_node[0], models.NodeStats)
