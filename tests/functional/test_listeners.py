"""Listeners through the generated client against the live stub: listing and status,
creating (both ways), changing, starting, stopping, restarting and deleting, and the
answers for unknown ids, clashing ports and bodies that do not match the path."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def test_fresh_node_listeners_and_status(client: Any, stub: LiveStub) -> None:
    listed = client.listeners.list()
    ids = [item.id for item in listed]
    assert {"tcp:default", "ssl:default", "ws:default", "wss:default"} <= set(ids)
    assert ids == sorted(ids)
    tcp = next(item for item in listed if item.id == "tcp:default")
    assert (tcp.bind, tcp.acceptors, tcp.number, tcp.enable) == ("0.0.0.0:1883", 16, 1, True)
    assert tcp.status.running is True and tcp.status.max_connections == "infinity"
    assert [n.node for n in tcp.node_status] == [stub.backend.node]

    only_ws = client.listeners.list(type=models.ListenerType.WS)
    assert [item.id for item in only_ws] == ["ws:default"]

    stub.backend.add_client("listener-probe", listener="tcp:default")
    detail = client.listeners.get(id="tcp:default")
    assert isinstance(detail, models.ListenerTcp)
    assert detail.current_connections >= 1 and detail.tcp_options.backlog == 1024
    ssl = client.listeners.get(id="ssl:default")
    assert isinstance(ssl, models.ListenerSsl)
    assert ssl.ssl_options.certfile == "${EMQX_ETC_DIR}/certs/cert.pem"
    wss = client.listeners.get(id="wss:default")
    assert isinstance(wss, models.ListenerWss) and wss.websocket.mqtt_path == "/mqtt"

    by_type = {s.type.value: s for s in client.listeners.get_status()}
    assert {"tcp", "ssl", "ws", "wss"} <= set(by_type)
    assert "tcp:default" in by_type["tcp"].ids
    assert by_type["tcp"].status.current_connections >= 1


def test_listener_lifecycle(client: Any) -> None:
    made = client.listeners.create(
        body=models.ListenerTcpCreate(
            type="tcp", name="demo", bind="0.0.0.0:1884", max_connections=1000
        )
    )
    assert isinstance(made, models.ListenerTcp)
    assert (made.id, made.bind, made.running) == ("tcp:demo", "0.0.0.0:1884", True)
    assert made.max_connections == 1000 and made.proxy_protocol is False
    assert "tcp:demo" in [item.id for item in client.listeners.list()]

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.create(body=models.ListenerTcpCreate(type="tcp", name="demo", bind=1885))
    assert info.value.code == models.ErrorCode.BAD_LISTENER_ID
    with pytest.raises(emqx_client.BadRequestError) as empty:
        client.listeners.create(body={"type": "tcp", "name": "", "bind": 1886})
    assert empty.value.code == models.ErrorCode.BAD_REQUEST
    assert "invalid_map_key" in str(empty.value)

    changed = client.listeners.update(
        id="tcp:demo",
        body=models.ListenerTcpUpdate(
            type="tcp", id="tcp:demo", acceptors=4, tcp_options={"backlog": 64}
        ),
    )
    assert changed.acceptors == 4 and changed.tcp_options.backlog == 64
    assert changed.max_connections == 1000 and changed.bind == "0.0.0.0:1884"

    client.listeners.stop(id="tcp:demo")
    stopped = client.listeners.get(id="tcp:demo")
    assert (stopped.running, stopped.enable, stopped.current_connections) == (False, False, 0)
    client.listeners.start(id="tcp:demo")
    assert client.listeners.get(id="tcp:demo").running is True
    client.listeners.restart(id="tcp:demo")
    assert client.listeners.get(id="tcp:demo").enable is True

    client.listeners.delete(id="tcp:demo")
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.listeners.get(id="tcp:demo")
    assert info.value.code == models.ErrorCode.BAD_LISTENER_ID


def test_other_listener_types(client: Any) -> None:
    ws = client.listeners.create(
        body=models.ListenerWsCreate(
            type="ws", name="edge", bind=8090, websocket={"mqtt_path": "/edge"}
        )
    )
    assert isinstance(ws, models.ListenerWs)
    assert ws.bind == ":8090" and ws.websocket.mqtt_path == "/edge"
    assert ws.websocket.max_frame_size == "infinity"
    quic = client.listeners.create(
        body=models.ListenerQuicCreate(type="quic", name="q1", bind="0.0.0.0:14567")
    )
    assert isinstance(quic, models.ListenerQuic)
    assert quic.ciphers[0] == "TLS_AES_256_GCM_SHA384" and quic.ssl_options.verify == "verify_none"
    for listener_id in ("ws:edge", "quic:q1"):
        client.listeners.delete(id=listener_id)


def test_deprecated_create_by_id(client: Any) -> None:
    made = client.listeners.create_with_id(
        id="ssl:ignored",
        body=models.ListenerSsl(type="ssl", id="ssl:legacy", bind="0.0.0.0:8885"),
    )
    assert made.id == "ssl:legacy" and isinstance(made, models.ListenerSsl)
    with pytest.raises(emqx_client.NotFoundError):
        client.listeners.get(id="ssl:ignored")
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.create_with_id(
            id="tcp:mixed", body=models.ListenerTcp(type="tcp", id="ws:mixed", bind=":1890")
        )
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    client.listeners.delete(id="ssl:legacy")


def test_listener_errors(client: Any) -> None:
    for call in (
        client.listeners.get,
        client.listeners.delete,
        client.listeners.start,
        client.listeners.stop,
        client.listeners.restart,
    ):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call(id="tcp:nobody")
        assert info.value.code == models.ErrorCode.BAD_LISTENER_ID
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.get(id="carrier-pigeon")
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    # The port of a running listener cannot be taken by another one.
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.create(
            body=models.ListenerTcpCreate(type="tcp", name="clash", bind="0.0.0.0:1883")
        )
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    assert "eaddrinuse" in str(info.value.message)

    update = models.ListenerTcpUpdate(type="tcp", id="tcp:other", acceptors=2)
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.update(id="tcp:default", body=update)
    assert info.value.code == models.ErrorCode.BAD_LISTENER_ID
    with pytest.raises(emqx_client.NotFoundError):
        client.listeners.update(id="tcp:other", body=update)
    mixed = models.ListenerSslUpdate(type="ssl", id="tcp:default")
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.listeners.update(id="tcp:default", body=mixed)
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    # A stopped listener frees its port.
    client.listeners.stop(id="tcp:default")
    try:
        taken = client.listeners.create(
            body=models.ListenerTcpCreate(type="tcp", name="clash", bind=1883)
        )
        assert taken.bind == ":1883" and taken.running is True
        with pytest.raises(emqx_client.BadRequestError):
            client.listeners.start(id="tcp:default")
        client.listeners.delete(id="tcp:clash")
    finally:
        client.listeners.start(id="tcp:default")
    assert client.listeners.get(id="tcp:default").running is True
