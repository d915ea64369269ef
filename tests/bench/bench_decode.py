"""2. Client decoding: one `GET /clients` page of 10,000 clients, from the response bytes to
the client's objects. Each client is called through its public method with the HTTP layer
replaced by a canned answer (httpx.MockTransport; openapi-generator's urllib3 call is
replaced at `ApiClient.call_api`), so what is timed is the client's own work. Each
decoder runs in a child process: decoders that allocate hundreds of MiB slow the next one
down when they share a heap.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.bench._common import (
    ROOT,
    RUNS,
    Goal,
    Row,
    Section,
    Stats,
    generated_on_path,
    measure,
)
from tests.bench._page import clients_page

CLIENTS = 10_000
GOAL = 1.2  # times json.loads
BASE_URL = "http://emqx.invalid/api/v5"


def _canned(body: bytes) -> httpx.MockTransport:
    headers = {"content-type": "application/json", "content-length": str(len(body))}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers=headers))


def _ours(body: bytes) -> dict[str, Callable[[], object]]:
    generated_on_path()
    from emqx_client import Client, models
    from emqx_client._base_client import adapter

    client = Client(
        base_url=BASE_URL,
        api_key="k",
        secret_key="s",
        http_client=httpx.Client(transport=_canned(body)),
    )
    page_adapter = adapter(models.ClientPage)

    def call() -> object:
        page = client.clients.list(limit=CLIENTS)
        assert len(page.items) == CLIENTS
        return page

    # The tolerant path: 1 client in 100 sends `connected` as text, which fails the fast
    # path and sends the page through the lenient reader.
    page = json.loads(body)
    for item in page["data"][::100]:
        item["connected"] = "true"
    off_spec = json.dumps(page).encode()
    tolerant = Client(
        base_url=BASE_URL,
        api_key="k",
        secret_key="s",
        http_client=httpx.Client(transport=_canned(off_spec)),
    )

    def call_tolerant() -> object:
        page = tolerant.clients.list(limit=CLIENTS)
        assert len(page.items) == CLIENTS and page.items[100].connected is True
        return page

    return {
        "ours": call,
        "ours-adapter": lambda: page_adapter.validate_json(body, strict=True),
        "ours-tolerant": call_tolerant,
    }


def _import_from(folder: Path, package: str) -> Any:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(package)


def _openapi_python_client(out: Path, body: bytes) -> Callable[[], object]:
    pkg = _import_from(out, "opc_emqx")
    list_clients = importlib.import_module("opc_emqx.api.clients.list")
    client = pkg.Client(base_url=BASE_URL, httpx_args={"transport": _canned(body)})

    def call() -> object:
        page = list_clients.sync(client=client, limit=CLIENTS)
        if page is None or len(page.data) != CLIENTS:
            raise RuntimeError(f"list_clients.sync gave {type(page).__name__}")
        return page

    return call


class _Urllib3Answer:
    """What openapi-generator's RESTResponse reads from a urllib3 response."""

    def __init__(self, body: bytes) -> None:
        self.status = 200
        self.reason = "OK"
        self.data = body
        self.headers = {"content-type": "application/json"}


def _openapi_generator(out: Path, body: bytes) -> Callable[[], object]:
    pkg = _import_from(out / "oag", "oag_emqx")
    rest = importlib.import_module("oag_emqx.rest")
    api_client = pkg.ApiClient(pkg.Configuration(host=BASE_URL, username="k", password="s"))
    api_client.call_api = lambda *args, **kwargs: rest.RESTResponse(_Urllib3Answer(body))
    clients_api = pkg.ClientsApi(api_client)

    def call() -> object:
        page = clients_api.list_clients(limit=CLIENTS)
        if len(page.data) != CLIENTS:
            raise RuntimeError(f"list_clients gave {len(page.data)} items")
        return page

    return call


def _decoder(kind: str, body: bytes, peer_out: Path | None) -> Callable[[], object]:
    if kind == "json":
        return lambda: json.loads(body)
    if kind in ("ours", "ours-adapter", "ours-tolerant"):
        return _ours(body)[kind]
    assert peer_out is not None
    if kind == "opc":
        return _openapi_python_client(peer_out, body)
    return _openapi_generator(peer_out, body)


def child(argv: list[str]) -> None:
    """A decoder in a process (a heap) of its own: after two warm-ups, one timed run per
    line read from stdin, its seconds written back; the parent steps all decoders in turn."""
    kind, page = argv[0], Path(argv[1])
    fn = _decoder(kind, page.read_bytes(), Path(argv[2]) if len(argv) > 2 else None)
    measure(fn, runs=1, warmup=1)
    print("ready", flush=True)
    for _ in sys.stdin:
        print(measure(fn, runs=1, warmup=0).samples[0], flush=True)


DECODERS = [  # (label, kind, the peer whose output it needs)
    ("json.loads (the limit)", "json", None),
    ("emqx_client clients.list()", "ours", None),
    ("  of which TypeAdapter(ClientPage).validate_json", "ours-adapter", None),
    ("  1% of clients off the spec (the tolerant path)", "ours-tolerant", None),
    ("openapi-python-client", "opc", "openapi-python-client"),
    ("openapi-generator -g python", "oag", "openapi-generator-cli"),
]


def run(ctx: dict[str, Any]) -> Section:
    body = clients_page(CLIENTS)
    page = ctx["tmp"] / "clients-page.json"
    page.write_bytes(body)
    section = Section(
        "2. Client decoding",
        f"GET /clients page of {CLIENTS:,} clients ({len(body) / 2**20:.1f} MiB), "
        f"{RUNS + 2} runs each, interleaved, each decoder in a process of its own",
    )
    outputs: dict[str, Path] = ctx.get("peer_outputs", {})
    children: dict[str, subprocess.Popen[str]] = {}
    skipped: list[Row] = []
    try:
        for label, kind, peer in DECODERS:
            args = [kind, str(page)]
            if peer is not None:
                if peer not in outputs:
                    skipped.append(Row(label, None, note="skipped: the peer generated no client"))
                    continue
                args.append(str(outputs[peer]))
            cmd = [sys.executable, "-m", "tests.bench.bench_decode", *args]
            proc = subprocess.Popen(
                cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                proc.wait()
                skipped.append(Row(label, None, note="failed: see the traceback above"))
                continue
            children[label] = proc
        samples: dict[str, list[float]] = {label: [] for label in children}
        for _ in range(RUNS + 2):
            for label, proc in children.items():
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write("run\n")
                proc.stdin.flush()
                samples[label].append(float(proc.stdout.readline()))
    finally:
        for proc in children.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=60)
    measured = {label: Stats(values) for label, values in samples.items()}
    ours = measured["emqx_client clients.list()"]
    baseline = measured["json.loads (the limit)"]
    for label, stats in measured.items():
        row = Row(label, stats, unit="ms", ours=label.startswith(("emqx", "  ")))
        if stats is not ours:
            row.ratio = ours.median / stats.median
        section.rows.append(row)
    section.rows.extend(skipped)
    share = ours.median / baseline.median
    section.goals.append(
        Goal(
            "2 decode 10k clients vs json.loads",
            f"{ours.median * 1e3:.0f} ms vs {baseline.median * 1e3:.0f} ms = {share:.2f}x",
            f"<= {GOAL}x",
            share <= GOAL,
        )
    )
    return section


if __name__ == "__main__":
    child(sys.argv[1:])
