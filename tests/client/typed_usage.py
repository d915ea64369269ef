"""Checked by mypy (test_typing.py), never run: what the client's types promise. A line
with `# type: ignore[...]` must be an error (mypy --strict reports an unneeded ignore)."""

from __future__ import annotations

from typing import assert_type

import emqx_client
from emqx_client import models, params


def request_bodies(client: emqx_client.Client) -> None:
    client.banned.create(body={"as": "clientid", "who": "x", "reasn": "typo"})  # type: ignore[arg-type]
    client.banned.create(body={"as": "clientid"})  # type: ignore[arg-type]
    client.banned.create(body={"as": "clients", "who": "x"})  # type: ignore[arg-type]
    client.banned.create(body={"as": "clientid", "who": "x", "reason": "typed"})
    client.banned.create(body=models.BannedCreate(as_=models.BannedAs.CLIENTID, who="x"))
    typed: params.BannedCreate = {"as": "peerhost", "who": "10.0.0.1"}
    client.banned.create(
        body=typed,
        extra_body={"x": 1},
        extra_query={"q": "1"},
        extra_headers={"X-A": "b"},
        timeout=2.0,
    )


def answers(client: emqx_client.Client, flag: bool) -> None:
    assert_type(client.metrics.get_stats(aggregate=True), models.StatValues)
    assert_type(client.metrics.get_stats(), list[models.NodeStats])
    assert_type(client.metrics.get_stats(aggregate=False), list[models.NodeStats])
    assert_type(
        client.metrics.get_stats(aggregate=flag), models.StatValues | list[models.NodeStats]
    )
    assert_type(client.metrics.get(aggregate=True), models.MetricCounters)


def pages(client: emqx_client.Client) -> None:
    page = client.banned.list(limit=10)
    assert_type(page.items, list[models.Banned])
    assert_type(page.meta, models.BannedPageMeta)
    for ban in page:
        assert_type(ban, models.Banned)


def options(client: emqx_client.Client) -> None:
    assert_type(client.with_options(timeout=1.0, max_retries=0), emqx_client.Client)
    raw = client.nodes.with_raw_response.list()
    assert_type(raw, emqx_client.APIResponse[list[models.NodeInfo]])
    assert_type(raw.status_code, int)
    raw_page = client.banned.with_raw_response.list()
    assert_type(raw_page.parsed.meta, models.BannedPageMeta)
    assert_type(
        client.with_raw_response.nodes.list(),
        emqx_client.APIResponse[list[models.NodeInfo]],
    )


async def async_client(client: emqx_client.AsyncClient) -> None:
    async for ban in client.banned.list(limit=10):
        assert_type(ban, models.Banned)
    first = await client.banned.list()
    assert_type(first, emqx_client.AsyncPage[models.Banned, models.BannedPageMeta])
    assert_type(await client.metrics.get_stats(aggregate=True), models.StatValues)
    raw = await client.banned.with_raw_response.create(body={"as": "clientid", "who": "x"})
    assert_type(raw.parsed, models.Banned)
    assert_type(client.with_options(headers={"X-A": "b"}), emqx_client.AsyncClient)
