"""A stub of its own for a hardening test: a fresh InMemoryBackend served by uvicorn in a
thread on 127.0.0.1 (the pattern of tests/functional/conftest.py), so that what one test
does to the state cannot leak into another."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from tests.functional.conftest import _free_port

API_KEY = "hardening-key"
SECRET = "hardening-secret-do-not-leak"


@dataclass
class Stub:
    base_url: str  # .../api/v5
    host: str
    port: int
    backend: Any


@contextmanager
def running_stub() -> Iterator[Stub]:
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key=API_KEY, secret_key=SECRET)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(backend.handlers()),
            host="127.0.0.1",
            port=port,
            log_level="error",
            # the default backlog and keep-alive suffice; 50 writers open ~50 connections
            timeout_keep_alive=30,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the stub did not start")
        time.sleep(0.02)
    try:
        yield Stub(f"http://127.0.0.1:{port}/api/v5", "127.0.0.1", port, backend)
    finally:
        server.should_exit = True
        thread.join(5)
