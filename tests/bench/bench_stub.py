"""4. Stub throughput: requests per second of the stub for `GET /clients?limit=100` and
`POST /publish`, against a hand-written minimal FastAPI app returning the same bodies.
Both servers run in child processes on 127.0.0.1 at the same time; runs alternate."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.bench._common import RUNS, Goal, Row, Section, Stats, server
from tests.bench._load import load, request_bytes
from tests.bench._serve import API_KEY, SECRET_KEY

REQUESTS = 1500  # per run
WARMUP = 200
CONCURRENCY = 4
TIME_LIMIT = 10.0  # seconds per run
GOAL = 1.3
PUBLISH = json.dumps({"topic": "bench/1", "payload": "hello", "qos": 1}).encode()


def _answers(url: str) -> dict[str, Any]:
    """The stub's bodies, which the minimal app answers with."""
    with httpx.Client(base_url=url + "/", auth=(API_KEY, SECRET_KEY)) as http:
        page = http.get("clients", params={"limit": 100})
        published = http.post(
            "publish", content=PUBLISH, headers={"content-type": "application/json"}
        )
    if page.status_code != 200 or published.status_code != 200:
        raise RuntimeError(f"stub answered {page.status_code} and {published.status_code}")
    return {"clients": page.json(), "publish": published.json()}


def run(ctx: dict[str, Any]) -> Section:
    section = Section(
        "4. Stub throughput",
        f"{REQUESTS:,} requests per run over {CONCURRENCY} keep-alive connections "
        f"(uvicorn, one process each, 127.0.0.1), {RUNS} runs each, alternating",
    )
    bodies_file = ctx["tmp"] / "minimal-bodies.json"
    with server("stub") as stub_url:
        answers = _answers(stub_url)
        bodies_file.write_text(json.dumps(answers), encoding="utf-8")
        with server("minimal", str(bodies_file)) as minimal_url:
            if httpx.get(f"{minimal_url}/clients?limit=100").json() != answers["clients"]:
                raise RuntimeError("the minimal app answers another body than the stub")
            auth = (API_KEY, SECRET_KEY)
            cases = [
                ("GET /clients?limit=100", "GET", "/clients?limit=100", None),
                ("POST /publish", "POST", "/publish", PUBLISH),
            ]
            for letter, (label, method, path, body) in zip("ab", cases, strict=True):
                urls = {"stub": stub_url, "minimal": minimal_url}
                requests = {k: request_bytes(u, method, path, auth, body) for k, u in urls.items()}
                samples: dict[str, list[float]] = {"stub": [], "minimal": []}
                for name in urls:
                    load(urls[name], requests[name], count=WARMUP, concurrency=CONCURRENCY)
                for i in range(RUNS):
                    for name in ("stub", "minimal") if i % 2 == 0 else ("minimal", "stub"):
                        result = load(
                            urls[name],
                            requests[name],
                            count=REQUESTS,
                            concurrency=CONCURRENCY,
                            limit=TIME_LIMIT,
                        )
                        bad = {s: n for s, n in result.statuses.items() if s >= 300}
                        if bad:
                            raise RuntimeError(f"{name} {label}: answers {bad}")
                        samples[name].append(result.per_second)
                stub, minimal = Stats(samples["stub"]), Stats(samples["minimal"])
                section.rows.append(Row(f"stub {label}", stub, unit="req/s", ours=True))
                share = minimal.median / stub.median
                section.rows.append(
                    Row(f"minimal FastAPI {label}, same body", minimal, unit="req/s", ratio=share)
                )
                section.goals.append(
                    Goal(
                        f"4{letter} stub {label} vs minimal FastAPI",
                        f"{stub.median:.0f} vs {minimal.median:.0f} req/s = {share:.2f}x",
                        f"<= {GOAL}x",
                        share <= GOAL,
                    )
                )
    return section
