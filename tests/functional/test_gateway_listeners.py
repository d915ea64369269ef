"""Gateway Listeners: the listeners of a gateway, listed, added, read, changed, removed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models
from pydantic import TypeAdapter

from tests.functional.conftest import API_KEY, SECRET

EXPROTO_LISTENERS = {
    "exproto:udp:gwl-area": {"bind": "7994", "max_connections": "infinity"},
    "exproto:tcp:gwl-area": {"bind": "0.0.0.0:7993", "enable": False},
}


@pytest.fixture()
def gateways(stub: Any) -> Iterator[Any]:
    """exproto and stomp loaded afresh, coap unloaded; all unloaded afterwards."""
    backend = stub.backend
    backend.load_gateway("exproto", {"enable": True}, EXPROTO_LISTENERS)
    backend.load_gateway("stomp", {"enable": True})
    backend.unload_gateway("coap")
    yield backend
    for name in ("exproto", "stomp"):
        backend.unload_gateway(name)


def test_list_gateway_listeners(client: Any, gateways: Any) -> None:
    listed = client.gateway_listeners.list(name="exproto")
    assert [(lst.id, type(lst)) for lst in listed] == [
        ("exproto:tcp:gwl-area", models.GatewayListenerTcp),
        ("exproto:udp:gwl-area", models.GatewayListenerUdp),
    ]
    tcp, udp = listed
    assert tcp.bind == "0.0.0.0:7993" and tcp.enable is False and tcp.acceptors == 16
    assert tcp.running is None and tcp.status is not None and tcp.status.running is False
    assert tcp.status.max_connections == 1024 and tcp.status.current_connections == 0
    assert udp.bind == ":7994" and udp.udp_options is not None and udp.udp_options.active_n == 100
    assert udp.status is not None and udp.status.running is True
    assert udp.status.max_connections == "infinity"
    assert [n.node for n in udp.node_status] == [gateways.node]
    assert client.gateway_listeners.list(name="stomp") == []
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.gateway_listeners.list(name="coap")
    assert info.value.code == models.ErrorCode.RESOURCE_NOT_FOUND
    assert info.value.message == "Gateway not loaded"


def test_create_gateway_listener(client: Any, stub: Any, gateways: Any) -> None:
    created = client.gateway_listeners.create(
        name="stomp",
        body={
            "type": "ssl",
            "name": "gwl-ssl",
            "bind": "61614",
            "ssl_options": {"verify": "verify_none"},
        },
    )
    assert isinstance(created, models.GatewayListenerSsl)
    assert created.id == "stomp:ssl:gwl-ssl" and created.name == "gwl-ssl"
    assert created.bind == "61614" and "acceptors" not in created.model_fields_set  # as sent
    got = client.gateway_listeners.get(name="stomp", id="stomp:ssl:gwl-ssl")
    assert got.running is True and got.bind == ":61614" and got.acceptors == 16
    assert got.ssl_options is not None and got.ssl_options.depth == 10
    gateway = client.gateways.get(name="stomp")
    assert [lst.id for lst in gateway.listeners] == ["stomp:ssl:gwl-ssl"]

    # an authenticator in the body becomes the listener's own
    authn = {"mechanism": "password_based", "backend": "built_in_database"}
    with_authn = client.gateway_listeners.create(
        name="stomp",
        body={"type": "tcp", "name": "gwl-authn", "bind": "61617", "authentication": authn},
    )
    assert with_authn.authentication == authn
    got = client.gateway_listeners.get(name="stomp", id="stomp:tcp:gwl-authn")
    assert got.authentication == authn
    # removing the listener removes its authenticator: a new one of that name has none
    client.gateway_listeners.delete(name="stomp", id="stomp:tcp:gwl-authn")
    client.gateway_listeners.create(
        name="stomp", body={"type": "tcp", "name": "gwl-authn", "bind": "61617"}
    )
    got = client.gateway_listeners.get(name="stomp", id="stomp:tcp:gwl-authn")
    assert got.authentication is None
    client.gateway_listeners.delete(name="stomp", id="stomp:tcp:gwl-authn")

    with pytest.raises(emqx_client.BadRequestError) as taken:
        client.gateway_listeners.create(
            name="stomp", body={"type": "ssl", "name": "gwl-ssl", "bind": "61615"}
        )
    assert taken.value.message == "Listener name has occupied"
    with pytest.raises(emqx_client.BadRequestError) as nobind:
        client.gateway_listeners.create(name="stomp", body={"type": "tcp", "name": "gwl-nobind"})
    assert nobind.value.message == "bind is required"
    with pytest.raises(emqx_client.BadRequestError) as wrong_type:
        client.gateway_listeners.create(
            name="stomp", body={"type": "udp", "name": "gwl-udp", "bind": "61616"}
        )
    assert wrong_type.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.NotFoundError):
        client.gateway_listeners.create(
            name="coap", body={"type": "udp", "name": "gwl-udp", "bind": "5683"}
        )
    # a body that fits no listener shape: the enterprise-only ws type
    answer = httpx.post(
        f"{stub.base_url}/gateways/stomp/listeners",
        json={"type": "ws", "name": "gwl-ws", "bind": "33033"},
        auth=(API_KEY, SECRET),
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()["code"] == "BAD_REQUEST"
    ids = [lst.id for lst in client.gateway_listeners.list(name="stomp")]
    assert ids == ["stomp:ssl:gwl-ssl"]


def test_get_gateway_listener(client: Any, gateways: Any) -> None:
    got = client.gateway_listeners.get(name="exproto", id="exproto:udp:gwl-area")
    assert isinstance(got, models.GatewayListenerUdp)
    assert got.running is True and got.name == "gwl-area" and got.enable_authn is True
    assert got.max_connections == "infinity" and got.access_rules == []
    # as in EMQX, the id's gateway decides; the path's only has to be loaded
    same = client.gateway_listeners.get(name="stomp", id="exproto:udp:gwl-area")
    assert same.id == "exproto:udp:gwl-area"
    with pytest.raises(emqx_client.NotFoundError) as unknown:
        client.gateway_listeners.get(name="exproto", id="exproto:udp:nope")
    assert unknown.value.message == "Listener not found"
    with pytest.raises(emqx_client.NotFoundError) as malformed:
        client.gateway_listeners.get(name="exproto", id="udp:gwl-area")
    assert malformed.value.message == "Listener not found: udp:gwl-area"
    with pytest.raises(emqx_client.NotFoundError) as not_loaded:
        client.gateway_listeners.get(name="coap", id="coap:udp:default")
    assert not_loaded.value.code == models.ErrorCode.RESOURCE_NOT_FOUND


def test_update_gateway_listener(client: Any, gateways: Any) -> None:
    lid = "exproto:tcp:gwl-area"
    changed = client.gateway_listeners.update(
        name="exproto",
        id=lid,
        body={"type": "tcp", "bind": "7995", "acceptors": 4, "access_rules": ["deny all"]},
    )
    assert isinstance(changed, models.GatewayListenerTcp)
    assert changed.id == lid and changed.name == "gwl-area" and changed.acceptors == 4
    assert "enable" not in changed.model_fields_set  # the answer holds what was sent
    got = client.gateway_listeners.get(name="exproto", id=lid)
    # the body replaced the configuration: `enable: false` is gone, back to the default
    assert got.enable is True and got.running is True and got.bind == ":7995"
    assert got.acceptors == 4 and got.access_rules == ["deny all"]
    with pytest.raises(emqx_client.BadRequestError) as unknown:
        client.gateway_listeners.update(
            name="exproto", id="exproto:tcp:nope", body={"type": "tcp", "bind": "7996"}
        )
    assert unknown.value.message == "Listener exproto:tcp:nope not found"
    with pytest.raises(emqx_client.BadRequestError):
        client.gateway_listeners.update(
            name="exproto", id=lid, body={"type": "udp", "bind": "7996"}
        )
    with pytest.raises(emqx_client.NotFoundError):
        client.gateway_listeners.update(name="coap", id=lid, body={"type": "tcp", "bind": "7996"})


def test_delete_gateway_listener(client: Any, gateways: Any) -> None:
    lid = "exproto:udp:gwl-area"
    client.gateway_listeners.delete(name="exproto", id=lid)
    ids = [lst.id for lst in client.gateway_listeners.list(name="exproto")]
    assert ids == ["exproto:tcp:gwl-area"]
    with pytest.raises(emqx_client.NotFoundError) as again:
        client.gateway_listeners.delete(name="exproto", id=lid)
    assert again.value.message == "Listener not found"
    with pytest.raises(emqx_client.NotFoundError) as malformed:
        client.gateway_listeners.delete(name="exproto", id="nope")
    assert malformed.value.code == models.ErrorCode.RESOURCE_NOT_FOUND


@pytest.mark.parametrize(
    ("union", "classes"),
    [
        (
            "GatewayListener",
            [
                "GatewayListenerTcp",
                "GatewayListenerSsl",
                "GatewayListenerUdp",
                "GatewayListenerDtls",
                "GatewayListenerWs",
                "GatewayListenerWss",
            ],
        ),
        ("GatewayListenerTcpOrSsl", ["GatewayListenerTcp", "GatewayListenerSsl"]),
        ("GatewayListenerUdpOrDtls", ["GatewayListenerUdp", "GatewayListenerDtls"]),
        ("GatewayListenerWsOrWss", ["GatewayListenerWs", "GatewayListenerWss"]),
    ],
)
def test_listener_unions_pick_their_branch(
    bundled: dict[str, Any], union: str, classes: list[str]
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(models, union))
    schemas = bundled["components"]["schemas"]
    for name in classes:
        parsed = adapter.validate_python(schemas[name]["example"])
        assert type(parsed) is getattr(models, name)
    with pytest.raises(ValueError):
        adapter.validate_python({"type": "quic", "name": "x", "bind": "1"})
