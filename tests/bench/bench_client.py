"""3. Client overhead per call: 1,000 `GET /nodes` through emqx_client against the stub
(a child process on 127.0.0.1), against the same calls with bare httpx. Rounds alternate
the two clients so that a slow moment of the machine hits both."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.bench._common import RUNS, Goal, Row, Section, Stats, generated_on_path, server
from tests.bench._serve import API_KEY, SECRET_KEY

CALLS = 1000
WARMUP = 100
GOAL = 1.1


def run(ctx: dict[str, Any]) -> Section:
    generated_on_path()
    from emqx_client import Client

    section = Section(
        "3. Client overhead per call",
        f"{CALLS:,} GET /nodes per run on one keep-alive connection to the stub "
        f"(uvicorn in a child process), {RUNS} runs each, alternating",
    )
    with server("stub") as url:
        ours = Client(base_url=url, api_key=API_KEY, secret_key=SECRET_KEY)
        bare = httpx.Client(base_url=url + "/", auth=(API_KEY, SECRET_KEY))

        def with_ours(n: int) -> float:
            started = time.perf_counter()
            for _ in range(n):
                nodes = ours.nodes.list()
            assert nodes[0].node
            return time.perf_counter() - started

        def with_httpx(n: int) -> float:
            started = time.perf_counter()
            for _ in range(n):
                response = bare.get("nodes")
                response.raise_for_status()
                nodes = response.json()
            assert nodes[0]["node"]
            return time.perf_counter() - started

        with_ours(WARMUP)
        with_httpx(WARMUP)
        samples: dict[str, list[float]] = {"ours": [], "httpx": []}
        for i in range(RUNS):
            order = [("ours", with_ours), ("httpx", with_httpx)]
            for name, fn in order if i % 2 == 0 else order[::-1]:
                samples[name].append(fn(CALLS) / CALLS)
        ours.close()
        bare.close()
    mine, theirs = Stats(samples["ours"]), Stats(samples["httpx"])
    section.rows.append(Row("emqx_client nodes.list()", mine, unit="us", ours=True))
    bare_row = Row("bare httpx get + raise_for_status + json", theirs, unit="us")
    bare_row.ratio = mine.median / theirs.median
    section.rows.append(bare_row)
    share = mine.median / theirs.median
    section.goals.append(
        Goal(
            "3 per call vs bare httpx",
            f"{mine.median * 1e6:.0f} us vs {theirs.median * 1e6:.0f} us = {share:.2f}x",
            f"<= {GOAL}x",
            share <= GOAL,
        )
    )
    return section
