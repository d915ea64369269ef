"""A load loop for the stub-throughput section: a few keep-alive HTTP/1.1 connections over
asyncio streams, sending one prepared request again and again to a loopback server.

Hand-written: an httpx client costs about as much per request as the server it would be
measuring, and no load tool (wrk, oha) is installable from PyPI here. Bounded by a request
count and a time limit; only 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.bench._common import LOOPBACK


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter[int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def request_bytes(
    url: str, method: str, path: str, auth: tuple[str, str], body: bytes | None = None
) -> bytes:
    parts = urlsplit(url)
    if parts.hostname != LOOPBACK:
        raise ValueError(f"the load loop only targets {LOOPBACK}, not {parts.hostname}")
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    lines = [
        f"{method} {parts.path}{path} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Authorization: Basic {token}",
        "Accept: application/json",
    ]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise RuntimeError("a response without Content-Length")


async def _worker(
    port: int, request: bytes, budget: list[int], deadline: float, statuses: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(LOOPBACK, port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(_content_length(head))
            statuses[int(head[9:12])] += 1
    finally:
        writer.close()
        await writer.wait_closed()


async def _load(
    port: int, request: bytes, count: int, concurrency: int, limit: float
) -> LoadResult:
    statuses: Counter[int] = Counter()
    budget = [count]
    started = time.perf_counter()
    deadline = started + limit
    workers = [_worker(port, request, budget, deadline, statuses) for _ in range(concurrency)]
    await asyncio.gather(*workers)
    seconds = time.perf_counter() - started
    return LoadResult(sum(statuses.values()), seconds, statuses)


def load(
    url: str, request: bytes, *, count: int, concurrency: int = 4, limit: float = 15.0
) -> LoadResult:
    """Send `request` up to `count` times (at most `limit` seconds) over `concurrency`
    connections to the server of `url`."""
    port = urlsplit(url).port
    assert port is not None
    return asyncio.run(_load(port, request, count, concurrency, limit))
