"""The HOCON value kinds through the stub: EMQX takes a duration as text or milliseconds,
a byte size as text or bytes, cipher suites as a list or one comma-separated string, and
answers with the form it stored; so does the stub (the client here is strict)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from emqx_client import models

PREFIX = "hocon-forms"


@pytest.fixture()
def connectors(client: Any) -> Iterator[Any]:
    yield client
    for conn in client.connectors.list():
        if conn.name.startswith(PREFIX):
            client.connectors.delete(id=f"{conn.type}:{conn.name}")


def test_durations_and_sizes_come_back_in_the_form_sent(connectors: Any) -> None:
    made = connectors.connectors.create(
        body={
            "type": "http",
            "name": f"{PREFIX}-ms",
            "url": "http://127.0.0.1:8080/hook",
            "connect_timeout": 15000,
            "resource_opts": {"health_check_interval": "20s", "start_timeout": 5000},
        }
    )
    assert isinstance(made, models.ConnectorsHttp)
    assert made.connect_timeout == 15000
    got = connectors.connectors.get(id=f"http:{PREFIX}-ms")
    assert got.connect_timeout == 15000
    assert got.resource_opts.health_check_interval == "20s"
    assert got.resource_opts.start_timeout == 5000


def test_a_cipher_string_and_an_infinity_limit(client: Any) -> None:
    ciphers = "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256"
    made = client.listeners.create(
        body={
            "type": "ssl",
            "name": "hoconforms",
            "bind": "0.0.0.0:18883",
            "max_connections": "infinity",
            "ssl_options": {"ciphers": ciphers},
        }
    )
    try:
        assert isinstance(made, models.ListenerSsl)
        assert made.ssl_options is not None and made.ssl_options.ciphers == ciphers
        assert made.max_connections == "infinity"
        again = client.listeners.get(id="ssl:hoconforms")
        assert again.ssl_options.ciphers == ciphers
    finally:
        client.listeners.delete(id="ssl:hoconforms")
