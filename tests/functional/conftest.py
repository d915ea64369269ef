"""A live stub on 127.0.0.1 (uvicorn in a thread, a free port) and clients that check
every exchange against the spec."""

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


@dataclass
class LiveStub:
    base_url: str
    backend: Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def stub() -> Iterator[LiveStub]:
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key=API_KEY, secret_key=SECRET)
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
    yield LiveStub(f"http://127.0.0.1:{port}/api/v5", backend)
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="session")
def checker(bundled: dict[str, Any]) -> SpecChecker:
    return SpecChecker(bundled)


@pytest.fixture()
def client(stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    from emqx_client import Client

    before = len(checker.failures)
    http = httpx.Client(event_hooks={"response": [checker.check]})
    with Client(
        base_url=stub.base_url,
        api_key=API_KEY,
        secret_key=SECRET,
        http_client=http,
        max_retries=0,
        strict_response_validation=True,
    ) as c:
        yield c
    assert checker.failures[before:] == []


@pytest.fixture()
def anonymous(stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    from emqx_client import Client

    before = len(checker.failures)
    http = httpx.Client(event_hooks={"response": [checker.check]})
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
