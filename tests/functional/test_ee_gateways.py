"""Gateways of the enterprise build (GB/T 32960, JT/T 808, OCPP) through the generated
client: the enterprise stub loads each from its example, answers it with the broker's
defaults filled in, changes it, stops and starts it, and adds, changes and removes a
listener of each of its listener types (`ws`/`wss` for OCPP); the open-source stub
refuses their names with 400 wherever a gateway is named. The gateways and their listener
types are read from the spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import gateways_kept


def _branch(bundled: dict[str, Any], union: str, value: str) -> dict[str, Any]:
    schemas = bundled["components"]["schemas"]
    target = schemas[union]["discriminator"]["mapping"][value]
    found: dict[str, Any] = schemas[target.rsplit("/", 1)[1]]
    return found


def _enterprise_gateways(bundled: dict[str, Any]) -> list[str]:
    mapping = bundled["components"]["schemas"]["GatewayConf"]["discriminator"]["mapping"]
    return sorted(
        name
        for name in mapping
        if _branch(bundled, "GatewayConf", name).get("x-emqx-edition") == "enterprise"
    )


def _listener_types(bundled: dict[str, Any], gateway: str) -> list[str]:
    items = _branch(bundled, "GatewayConf", gateway)["properties"]["listeners"]["items"]
    union = bundled["components"]["schemas"][items["$ref"].rsplit("/", 1)[1]]
    return list(union["discriminator"]["mapping"])


@pytest.fixture()
def kept(ee_stub: Any, stub: Any) -> Iterator[None]:
    with gateways_kept(ee_stub), gateways_kept(stub):
        yield


def test_the_enterprise_gateways_are_found(bundled: dict[str, Any]) -> None:
    assert _enterprise_gateways(bundled) == ["gbt32960", "jt808", "ocpp"]
    assert _listener_types(bundled, "ocpp") == ["ws", "wss"]
    assert _listener_types(bundled, "jt808") == ["tcp", "ssl"]


@pytest.mark.parametrize("gateway", ["gbt32960", "jt808", "ocpp"])
def test_load_update_stop_and_listeners(
    ee_client: Any, bundled: dict[str, Any], kept: None, gateway: str
) -> None:
    api = ee_client.gateways
    conf = _branch(bundled, "GatewayConf", gateway)
    unloaded = api.get(name=gateway)
    assert unloaded.status == "unloaded"
    api.update(name=gateway, body=conf["example"])  # loads it
    read = api.get(name=gateway)
    assert type(read).__name__ == "Gateway" + gateway.capitalize()
    assert read.status == "running" and read.name == gateway
    assert read.mountpoint == conf["properties"]["mountpoint"]["default"]
    assert read.enable_stats is True and read.idle_timeout == "30s"
    overview = {gw.name: gw for gw in api.list()}
    assert overview[gateway].status == "running"
    # a change keeps what it leaves out
    api.update(name=gateway, body={"name": gateway, "idle_timeout": "45s"})
    changed = api.get(name=gateway)
    assert changed.idle_timeout == "45s" and changed.mountpoint == read.mountpoint
    api.enable(name=gateway, enable=False)
    assert api.get(name=gateway).status == "stopped"
    api.enable(name=gateway, enable=True)
    # one listener of each type the gateway takes
    listeners = ee_client.gateway_listeners
    for index, type_ in enumerate(_listener_types(bundled, gateway)):
        body = {"type": type_, "name": f"extra{index}", "bind": str(40000 + index)}
        created = listeners.create(name=gateway, body=body)
        lid = f"{gateway}:{type_}:extra{index}"
        assert created.id == lid and created.type == type_
        got = listeners.get(name=gateway, id=lid)
        assert got.acceptors == 16 and got.max_connections == 1024
        if type_ in ("ws", "wss"):
            assert got.websocket.path == "/ocpp" and got.websocket.piggyback == "single"
        listeners.update(name=gateway, id=lid, body={**body, "bind": "41000"})
        assert str(listeners.get(name=gateway, id=lid).bind).endswith("41000")
        listeners.delete(name=gateway, id=lid)
        ids = [item.id for item in listeners.list(name=gateway)]
        assert lid not in ids
    assert list(ee_client.gateway_clients.list(name=gateway)) == []


def test_a_listener_type_the_gateway_does_not_take(ee_client: Any, kept: None) -> None:
    ee_client.gateways.update(name="ocpp", body={"name": "ocpp"})
    with pytest.raises(emqx_client.BadRequestError):
        ee_client.gateway_listeners.create(
            name="ocpp", body={"type": "tcp", "name": "plain", "bind": "40100"}
        )


def test_ocpp_defaults(ee_client: Any, kept: None) -> None:
    api = ee_client.gateways
    api.update(
        name="ocpp",
        body={"name": "ocpp", "listeners": [{"type": "ws", "name": "default", "bind": "33033"}]},
    )
    read = api.get(name="ocpp")
    assert isinstance(read, models.GatewayOcpp)
    assert read.default_heartbeat_interval == "60s"
    assert read.message_format_checking == "disable"
    assert read.upstream.topic == "cp/${cid}" and read.dnstream.max_mqueue_len == 100
    (listener,) = read.listeners
    assert isinstance(listener, models.GatewayListenerWs)
    assert listener.websocket.supported_subprotocols == "ocpp1.6, ocpp2.0"


def test_jt808_registered_terminals(ee_client: Any, kept: None) -> None:
    auth = {"allow_anonymous": False, "registry": "http://r", "authentication": "http://a"}
    ee_client.gateways.update(name="jt808", body={"name": "jt808", "proto": {"auth": auth}})
    read = ee_client.gateways.get(name="jt808")
    assert isinstance(read, models.GatewayJt808)
    assert read.frame.max_length == 8192 and read.retry_interval == "8s"
    assert read.proto.up_topic == "jt808/${clientid}/${phone}/up"
    assert isinstance(read.proto.auth, models.GatewayJt808AuthRegistered)
    assert read.proto.auth.registry == "http://r"


def test_the_open_source_stub_refuses_them(
    client: Any, bundled: dict[str, Any], kept: None
) -> None:
    names = [gw.name for gw in client.gateways.list()]
    assert names == ["coap", "exproto", "lwm2m", "mqttsn", "stomp"]
    for gateway in _enterprise_gateways(bundled):
        example = _branch(bundled, "GatewayConf", gateway)["example"]
        calls = (
            lambda gw=gateway: client.gateways.get(name=gw),
            lambda gw=gateway, body=example: client.gateways.update(name=gw, body=body),
            lambda gw=gateway: client.gateways.enable(name=gw, enable=True),
            lambda gw=gateway: client.gateway_listeners.list(name=gw),
            lambda gw=gateway: list(client.gateway_clients.list(name=gw)),
            lambda gw=gateway: client.gateway_authentication.get(name=gw),
        )
        for call in calls:
            with pytest.raises(emqx_client.BadRequestError) as info:
                call()
            assert info.value.code == models.ErrorCode.BAD_REQUEST
            assert "Input should be" in str(info.value.message)


@pytest.mark.parametrize(
    ("gateway", "model", "proto"),
    [
        ("gbt32960", "GatewayGbt32960Client", "GBT32960"),
        ("jt808", "GatewayJt808Client", "jt808"),
        ("ocpp", "GatewayOcppClient", "OCPP"),
    ],
)
def test_their_clients_are_typed(
    ee_client: Any, ee_stub: Any, kept: None, gateway: str, model: str, proto: str
) -> None:
    ee_client.gateways.update(name=gateway, body={"name": gateway})
    ee_stub.backend.add_gateway_client(gateway, "dev-1", username="u1")
    (listed,) = list(ee_client.gateway_clients.list(name=gateway))
    assert type(listed).__name__ == model and listed.proto_name == proto
    assert listed.mountpoint == {"gbt32960": "gbt32960/dev-1/", "jt808": "jt808/dev-1/"}.get(
        gateway, "ocpp/"
    )
    got = ee_client.gateway_clients.get(name=gateway, clientid="dev-1")
    assert type(got).__name__ == model
    ee_client.gateway_clients.kick(name=gateway, clientid="dev-1")
