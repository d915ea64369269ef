"""A realistic `GET /clients` page: the stub's in-memory backend answers for a few hundred
varied clients (MQTT 3.1, 3.1.1 and 5, offline sessions, client attributes, IPv6), and the
page is widened to the wanted size with distinct ids, user names, addresses and ports."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from tests.bench._common import generated_on_path

SEEDED = 500
_COUNTERS = [
    ("recv_cnt", 10**6),
    ("recv_msg", 10**6),
    ("recv_msg.qos1", 10**5),
    ("recv_oct", 10**9),
    ("recv_pkt", 10**6),
    ("send_cnt", 10**6),
    ("send_msg", 10**6),
    ("send_msg.qos0", 10**5),
    ("send_oct", 10**9),
    ("send_pkt", 10**6),
    ("heap_size", 10**5),
    ("reductions", 10**8),
    ("mqueue_len", 1000),
    ("inflight_cnt", 32),
    ("subscriptions_cnt", 20),
]


def seed_clients(backend: Any, count: int) -> None:
    """Seed `count` varied clients into an InMemoryBackend."""
    rng = random.Random(7)
    for i in range(count):
        v6 = i % 25 == 0
        backend.add_client(
            f"plant{i % 9}/line{i % 13}/sensor-{i:05d}",
            username=None if i % 17 == 0 else f"fleet-{i % 40}",
            ip_address=f"2001:db8::{i:x}" if v6 else f"10.{i % 3}.{i // 256 % 256}.{i % 256}",
            port=rng.randint(1024, 65535),
            proto_ver=(5, 4, 3)[i % 3],
            proto_name="MQIsdp" if i % 3 == 2 else "MQTT",
            keepalive=(30, 60, 120, 300)[i % 4],
            clean_start=i % 4 != 0,
            expiry_interval=0 if i % 4 else 7200,
            connected=i % 10 != 0,
            listener=("tcp:default", "ssl:default", "ws:default")[i % 3],
            client_attrs={"tenant": f"t{i % 5}", "model": f"m{i % 11}"} if i % 2 else None,
        )


def _seeded_page() -> list[dict[str, Any]]:
    generated_on_path()
    from emqx_server_stub._responses import to_json
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key="bench-key", secret_key="bench-secret")
    seed_clients(backend, SEEDED)
    page = asyncio.run(backend.handlers().clients.list_clients(limit=SEEDED))
    data: list[dict[str, Any]] = json.loads(to_json(page))["data"]
    return data


def clients_page(count: int = 10_000) -> bytes:
    """The JSON body of one page of `count` clients, as the stub would send it."""
    seeded = _seeded_page()
    rng = random.Random(11)
    items = []
    for i in range(count):
        item = dict(seeded[i % len(seeded)])
        item["clientid"] = f"{item['clientid']}-{i:06d}"
        if item.get("username"):
            item["username"] = f"{item['username']}-{i % 997}"
        item["port"] = 1024 + (i * 7919) % 64000
        for name, top in _COUNTERS:  # live clients have traffic: numbers of every size
            if name in item and item.get("connected"):
                item[name] = rng.randrange(top)
        items.append(item)
    body = {"data": items, "meta": {"page": 1, "limit": count, "count": count, "hasnext": False}}
    return json.dumps(body, separators=(",", ":")).encode()
