"""A page of clients is answered from each client's cached JSON text: the text must be
the one serializing the page writes, and follow the clients as they change."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from emqx_server_stub import models
from emqx_server_stub._responses import respond, to_json
from emqx_server_stub.backend import InMemoryBackend


def _page(backend: InMemoryBackend, **filters: Any) -> Any:
    listed = backend.handlers().clients.list_clients(limit=50, page=1, **filters)
    return asyncio.run(listed)


def _backend() -> InMemoryBackend:
    backend = InMemoryBackend(api_key="k", secret_key="s")
    for i in range(30):
        backend.add_client(
            f"plant/line-{i}/ünïcode",
            username=None if i % 4 == 0 else f"user-{i}",
            proto_ver=(3, 4, 5)[i % 3],
            connected=i % 5 != 0,
        )
    backend.add_subscription("plant/line-3/ünïcode", "t/#", qos=1)
    return backend


def test_the_page_text_is_the_serialized_page() -> None:
    backend = _backend()
    page = _page(backend)
    answer = respond(page, 200)
    assert answer.body == to_json(page)
    assert answer.headers["content-type"] == "application/json"
    plain = json.loads(answer.body)
    assert len(plain["data"]) == 30 and plain["meta"]["count"] == 30


def test_the_page_text_follows_a_changed_client() -> None:
    backend = _backend()
    client = "plant/line-7/ünïcode"
    before = json.loads(respond(_page(backend), 200).body)
    backend.add_subscription(client, "more/#", qos=0)
    after = json.loads(respond(_page(backend), 200).body)

    def count(page: Any) -> int:
        return next(int(c["subscriptions_cnt"]) for c in page["data"] if c["clientid"] == client)

    assert (count(before), count(after)) == (0, 1)
    assert after == json.loads(to_json(_page(backend)))


def test_a_page_of_some_fields_is_serialized_the_usual_way() -> None:
    backend = _backend()
    page = _page(backend, fields=[models.ClientField("clientid"), models.ClientField("username")])
    text = respond(page, 200).body
    assert text == to_json(page)
    assert set(json.loads(text)["data"][0]) == {"clientid", "username"}
