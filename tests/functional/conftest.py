"""Live stubs on 127.0.0.1 (uvicorn in a thread, a free port) and clients that check every
exchange against the spec: `stub`/`client` imitate the open-source build (edition "ce"),
`ee_stub`/`ee_client` the enterprise build (edition "ee", which serves the operations marked
`x-emqx-edition: enterprise` too). `client_for(op)` gives the client of the edition that
serves an operation of the spec."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from tests.functional.openapi_check import SpecChecker

API_KEY = "functional-key"
SECRET = "functional-secret-do-not-leak"
# httpx's default of 5 s is what these clients would otherwise wait for an answer: on a
# loaded machine (a parallel `make test` beside other work) a request to the in-process stub
# can take longer without anything being wrong. Timeouts are tested in tests/hardening.
TIMEOUT = 60.0

# The functional tests this process has run (set up) so far: test_zz_coverage judges only
# a session whose process ran every one of them, whatever a parallel run handed out.
RAN = pytest.StashKey[set[str]]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.config.stash.setdefault(RAN, set()).add(item.nodeid)


@dataclass
class LiveStub:
    base_url: str
    backend: Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(edition: str) -> Iterator[LiveStub]:
    """A fresh stub of this edition, served until the block ends."""
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key=API_KEY, secret_key=SECRET, edition=edition)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(backend.handlers()), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the stub did not start")
        time.sleep(0.02)
    try:
        yield LiveStub(f"http://127.0.0.1:{port}/api/v5", backend)
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="session")
def stub() -> Iterator[LiveStub]:
    with serving("ce") as live:
        yield live


@pytest.fixture(scope="session")
def ee_stub() -> Iterator[LiveStub]:
    with serving("ee") as live:
        yield live


@pytest.fixture(scope="session")
def checker(bundled: dict[str, Any]) -> SpecChecker:
    return SpecChecker(bundled)


@contextmanager
def checked_client(live: LiveStub, checker: SpecChecker, **credentials: Any) -> Iterator[Any]:
    """A client of `live` (the bootstrap key unless `credentials` say otherwise) whose every
    exchange the checker validates; the block fails if one broke the spec."""
    from emqx_client import Client

    before = len(checker.failures)
    http = httpx.Client(event_hooks={"response": [checker.check]}, timeout=TIMEOUT)
    auth = credentials or {"api_key": API_KEY, "secret_key": SECRET}
    with Client(
        base_url=live.base_url,
        http_client=http,
        max_retries=0,
        strict_response_validation=True,
        **auth,
    ) as c:
        yield c
    assert checker.failures[before:] == []


@pytest.fixture()
def client(stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    with checked_client(stub, checker) as c:
        yield c


@pytest.fixture()
def ee_client(ee_stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    """A client of the enterprise-build stub, with the bootstrap key (an administrator)."""
    with checked_client(ee_stub, checker) as c:
        yield c


@pytest.fixture()
def anonymous(stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    from emqx_client import Client

    before = len(checker.failures)
    http = httpx.Client(event_hooks={"response": [checker.check]}, timeout=TIMEOUT)
    with Client(
        base_url=stub.base_url, http_client=http, max_retries=0, strict_response_validation=True
    ) as c:
        yield c
    assert checker.failures[before:] == []


@contextmanager
def gateways_kept(stub: LiveStub) -> Iterator[Any]:
    """Let a test load and unload gateways (with the backend's seeding methods) and put
    back, afterwards, the gateways other tests had left loaded: the stub is one for the
    whole session."""
    loaded = stub.backend._state.gateways.loaded
    with stub.backend._state.lock:
        before = dict(loaded)
    try:
        yield stub.backend
    finally:
        with stub.backend._state.lock:
            loaded.clear()
            loaded.update(before)
