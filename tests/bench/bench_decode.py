"""2. Client decoding: one `GET /clients` page of 10,000 clients, from the response bytes to
the client's objects. Each client is called through its public method with the HTTP layer
replaced by a canned answer (httpx.MockTransport; openapi-generator's urllib3 call is
replaced at `ApiClient.call_api`), so what is timed is the client's own work. Each
decoder runs in a child process: decoders that allocate hundreds of MiB slow the next one
down when they share a heap. Three "floor" rows decode the same bytes with parts of the
work left out (models, types), to show where the time goes.
"""

from __future__ import annotations

import gc
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NotRequired

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


def _floors(body: bytes) -> dict[str, Callable[[], object]]:
    """Where the time goes: the page decoded with parts of the work left out, each with
    pydantic-core on the same bytes (its parser alone; the same fields and types into
    plain dicts, no model objects; model objects whose fields are all typed Any)."""
    generated_on_path()
    import pydantic_core
    from emqx_client import models
    from pydantic import ConfigDict, Field, TypeAdapter, create_model
    from typing_extensions import TypedDict  # pydantic takes typing's only from 3.12

    fields = models.Client.model_fields
    typed = {
        f.alias or name: NotRequired[
            Annotated[(f.annotation, *f.metadata)] if f.metadata else f.annotation  # type: ignore[valid-type]
        ]
        for name, f in fields.items()
    }
    as_dict = TypedDict("ClientAsDict", typed)  # type: ignore[misc]
    page_fields = {"data": list[as_dict], "meta": models.PageMeta}  # type: ignore[valid-type]
    dict_page = TypedDict("ClientDictPage", page_fields)  # type: ignore[misc]
    untyped = create_model(
        "ClientUntyped",
        __config__=ConfigDict(models.Client.model_config),
        **{name: (Any, Field(default=None, alias=f.alias)) for name, f in fields.items()},
    )
    untyped_page = create_model(
        "ClientUntypedPage",
        __config__=ConfigDict(models.ClientPage.model_config),
        data=(list[untyped], ...),  # type: ignore[valid-type]
        meta=(models.PageMeta, ...),
    )
    dicts, anys = TypeAdapter(dict_page), TypeAdapter(untyped_page)
    return {
        "parse": lambda: pydantic_core.from_json(body, cache_strings="keys"),
        "dicts": lambda: dicts.validate_json(body, strict=True),
        "any-models": lambda: anys.validate_json(body, strict=True),
    }


def _import_from(folder: Path, package: str) -> Any:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(package)


def _openapi_python_client(out: Path, body: bytes) -> Callable[[], object]:
    pkg = _import_from(out, "opc_emqx")
    list_clients = importlib.import_module("opc_emqx.api.clients.list_clients")
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
    if kind in ("parse", "dicts", "any-models"):
        return _floors(body)[kind]
    assert peer_out is not None
    if kind == "opc":
        return _openapi_python_client(peer_out, body)
    return _openapi_generator(peer_out, body)


def child(argv: list[str]) -> None:
    """A decoder in a process (a heap) of its own: after two warm-ups, one timed run per
        line read from stdin, its wall and CPU seconds written back (CPU time: the decode runs on
    this one thread, and other work on the machine barely changes it); the parent steps all
    decoders in turn."""
    kind, page = argv[0], Path(argv[1])
    fn = _decoder(kind, page.read_bytes(), Path(argv[2]) if len(argv) > 2 else None)
    measure(fn, runs=1, warmup=1)
    print("ready", flush=True)
    for _ in sys.stdin:
        gc.collect()
        cpu, wall = time.thread_time(), time.perf_counter()
        result = fn()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        del result
        print(wall, cpu, flush=True)


DECODERS = [  # (label, kind, the peer whose output it needs)
    ("json.loads (the limit)", "json", None),
    ("emqx_client clients.list()", "ours", None),
    ("  of which TypeAdapter(ClientPage).validate_json", "ours-adapter", None),
    ("  1% of clients off the spec (the tolerant path)", "ours-tolerant", None),
    ("  floor: pydantic-core's JSON parser alone", "parse", None),
    ("  floor: the same fields and types into dicts, no models", "dicts", None),
    ("  floor: models of the same fields, each typed Any", "any-models", None),
    ("openapi-python-client", "opc", "openapi-python-client"),
    ("openapi-generator -g python", "oag", "openapi-generator-cli"),
]


def _paired(ours: Stats, other: Stats) -> float:
    """The median of the per-round ratios. Each round runs every decoder once, back to
    back, so the ratio within a round is the one that other work on the machine disturbs
    least."""
    return statistics.median(o / b for o, b in zip(ours.samples, other.samples, strict=True))


def _where_time_goes(measured: dict[str, Stats], baseline: Stats) -> list[str]:
    """The floors as shares of json.loads: what no setting of the models can go below."""
    shares = {
        kind: _paired(Stats(measured[label].cpu), Stats(baseline.cpu))
        for label, kind, _ in DECODERS
        if label in measured and kind in ("parse", "dicts", "any-models", "ours")
    }
    if len(shares) < 4:
        return []
    return [
        "Where the time goes (CPU time, median per-round ratios to json.loads): pydantic-core parses "
        f"the bytes in {shares['parse']:.2f}x; validating every field into plain dicts takes "
        f"{shares['dicts']:.2f}x; one model object per client, even with every field typed "
        f"Any, takes {shares['any-models']:.2f}x; the client's call takes {shares['ours']:.2f}x. "
        "The model objects (their field sets, extras and the garbage collector's passes "
        "over them) and the per-field validation are what stands above the goal."
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
        cpu: dict[str, list[float]] = {label: [] for label in children}
        for _ in range(RUNS + 2):
            for label, proc in children.items():
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write("run\n")
                proc.stdin.flush()
                wall, seconds = proc.stdout.readline().split()
                samples[label].append(float(wall))
                cpu[label].append(float(seconds))
    finally:
        for proc in children.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=60)
    measured = {label: Stats(values, cpu=cpu[label]) for label, values in samples.items()}
    ours = measured["emqx_client clients.list()"]
    baseline = measured["json.loads (the limit)"]
    for label, stats in measured.items():
        row = Row(label, stats, unit="ms", ours=label.startswith(("emqx", "  ")))
        if stats is not ours:
            row.ratio = ours.median / stats.median
        section.rows.append(row)
    section.rows.extend(skipped)
    # The goal reads the per-round ratio (see _paired) of wall time and of CPU time, and
    # passes when both do; the ratios of the medians and of the fastest runs are shown.
    paired = _paired(ours, baseline)
    paired_cpu = _paired(Stats(ours.cpu), Stats(baseline.cpu))
    section.notes.extend(_where_time_goes(measured, baseline))
    section.goals.append(
        Goal(
            "2 decode 10k clients vs json.loads",
            f"{ours.median * 1e3:.0f} ms vs {baseline.median * 1e3:.0f} ms; "
            f"{paired:.2f}x (median of per-round ratios; "
            f"medians {ours.median / baseline.median:.2f}x, fastest {ours.min / baseline.min:.2f}x; "
            f"CPU time {paired_cpu:.2f}x)",
            f"<= {GOAL}x",
            max(paired, paired_cpu) <= GOAL,
        )
    )
    return section


if __name__ == "__main__":
    child(sys.argv[1:])
