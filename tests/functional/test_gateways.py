"""Gateways: listing, reading, loading, changing, enabling and disabling the gateways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from pydantic import TypeAdapter

NAMES = ["coap", "exproto", "lwm2m", "mqttsn", "stomp"]
STOMP_LISTENERS = {"stomp:tcp:gw-area": {"bind": "61613", "max_connections": 100}}


@pytest.fixture()
def unloaded(stub: Any) -> Iterator[Any]:
    """Every gateway unloaded before and after the test (other areas load them afresh)."""
    for name in NAMES:
        stub.backend.unload_gateway(name)
    yield stub.backend
    for name in NAMES:
        stub.backend.unload_gateway(name)


def test_list_gateways(client: Any, unloaded: Any) -> None:
    unloaded.load_gateway("stomp", {"enable": True}, STOMP_LISTENERS)
    unloaded.load_gateway("mqttsn", {"enable": False})
    listed = client.gateways.list()
    assert [gw.name for gw in listed] == NAMES
    coap = listed[0]
    assert coap.status == "unloaded" and coap.model_dump(exclude_none=True) == {
        "name": "coap",
        "status": "unloaded",
    }
    stomp = listed[4]
    assert stomp.status == "running" and stomp.created_at and stomp.started_at
    assert stomp.stopped_at is None and stomp.max_connections == 100
    assert stomp.current_connections == 0
    assert [(lst.id, lst.type, lst.name, lst.running) for lst in stomp.listeners] == [
        ("stomp:tcp:gw-area", "tcp", "gw-area", True)
    ]
    assert stomp.node_status[0].status == "running" and stomp.node_status[0].node
    mqttsn = listed[3]
    assert mqttsn.status == "stopped" and mqttsn.started_at is None
    assert mqttsn.listeners == [] and mqttsn.max_connections == 0

    running = client.gateways.list(status="running")
    assert [gw.name for gw in running] == ["stomp"]
    stopped = client.gateways.list(status="stopped")
    assert [gw.name for gw in stopped] == ["mqttsn"]
    assert [gw.name for gw in client.gateways.list(status="unloaded")] == [
        "coap",
        "exproto",
        "lwm2m",
    ]
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.gateways.list(status="paused")
    assert info.value.code == models.ErrorCode.BAD_REQUEST


def test_get_gateway(client: Any, unloaded: Any) -> None:
    coap = client.gateways.get(name="coap")
    assert isinstance(coap, models.GatewayCoap)
    assert coap.status == "unloaded" and coap.created_at is None and coap.listeners is None

    unloaded.load_gateway("stomp", {"enable": True, "mountpoint": "st/"}, STOMP_LISTENERS)
    stomp = client.gateways.get(name="stomp")
    assert isinstance(stomp, models.GatewayStomp)
    assert stomp.status == "running" and stomp.mountpoint == "st/"
    assert stomp.idle_timeout == "30s" and stomp.enable_stats is True
    assert stomp.frame is not None and stomp.frame.max_headers == 10
    assert stomp.frame.max_body_length == 65536
    [listener] = stomp.listeners
    assert isinstance(listener, models.GatewayListenerTcp)
    assert listener.id == "stomp:tcp:gw-area" and listener.bind == "61613"
    assert listener.acceptors == 16 and listener.max_connections == 100
    assert listener.tcp_options is not None and listener.tcp_options.backlog == 1024

    unloaded.load_gateway("lwm2m")
    lwm2m = client.gateways.get(name="lwm2m")
    assert isinstance(lwm2m, models.GatewayLwm2m)
    assert lwm2m.mountpoint == "lwm2m/${endpoint_name}/" and lwm2m.lifetime_min == "15s"
    assert lwm2m.translators is not None and lwm2m.translators.command.qos == 0

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.gateways.get(name="ocpp")
    assert info.value.code == models.ErrorCode.BAD_REQUEST


AUTHN = {"mechanism": "password_based", "backend": "built_in_database"}
MQTTSN = {
    "name": "mqttsn",
    "authentication": AUTHN,
    "gateway_id": 7,
    "predefined": [{"id": 1001, "topic": "pred/1001"}],
    "listeners": [{"type": "udp", "name": "default", "bind": "1884"}],
}


def test_load_and_change_gateway(client: Any, unloaded: Any) -> None:
    client.gateways.update(name="mqttsn", body=MQTTSN)
    loaded = client.gateways.get(name="mqttsn")
    assert isinstance(loaded, models.GatewayMqttsn) and loaded.status == "running"
    assert loaded.gateway_id == 7 and loaded.broadcast is False and loaded.enable_qos3 is True
    assert [p.topic for p in loaded.predefined] == ["pred/1001"]
    assert [lst.id for lst in loaded.listeners] == ["mqttsn:udp:default"]
    assert loaded.authentication == AUTHN

    # a change merges the settings sent; listeners in the body are ignored now
    client.gateways.update(
        name="mqttsn",
        body={
            "name": "mqttsn",
            "broadcast": True,
            "listeners": [{"type": "udp", "name": "other", "bind": "1885"}],
        },
    )
    changed = client.gateways.get(name="mqttsn")
    assert changed.broadcast is True and changed.gateway_id == 7
    assert [lst.id for lst in changed.listeners] == ["mqttsn:udp:default"]

    # the update_<gateway> shape: no `name`, the gateway is the one in the path
    client.gateways.update(name="mqttsn", body={"gateway_id": 9})
    assert client.gateways.get(name="mqttsn").gateway_id == 9
    with pytest.raises(emqx_client.BadRequestError) as bad_value:
        client.gateways.update(name="mqttsn", body={"gateway_id": "nine"})
    assert "gateway_id" in str(bad_value.value.message)

    client.gateways.update(name="mqttsn", body={"name": "mqttsn", "enable": False})
    stopped = client.gateways.get(name="mqttsn")
    assert stopped.status == "stopped" and stopped.enable is False
    assert stopped.stopped_at and stopped.started_at is None

    with pytest.raises(emqx_client.BadRequestError) as other:
        client.gateways.update(name="coap", body=MQTTSN)
    assert other.value.code == models.ErrorCode.BAD_REQUEST
    bad_listener = {**MQTTSN, "listeners": [{"type": "udp", "name": "1st", "bind": "1886"}]}
    client.gateways.update(name="mqttsn", body=bad_listener)  # loaded: ignored
    unloaded.unload_gateway("mqttsn")
    with pytest.raises(emqx_client.BadRequestError) as named:
        client.gateways.update(name="mqttsn", body=bad_listener)
    assert "bad_listener_name" in str(named.value.message)
    assert client.gateways.get(name="mqttsn").status == "unloaded"


def test_gateway_body_fitting_no_branch(client: Any, stub: Any, unloaded: Any) -> None:
    import httpx

    from tests.functional.conftest import API_KEY, SECRET

    for body in (
        {"name": "ocpp", "enable": True},  # an enterprise gateway
        {"name": "lwm2m", "translators": {"command": {}}},  # a translator without topic
        {"enable": True},  # no name to choose the shape by
    ):
        answer = httpx.put(
            f"{stub.base_url}/gateways/lwm2m", json=body, auth=(API_KEY, SECRET), timeout=10
        )
        assert answer.status_code == 400 and answer.json()["code"] == "BAD_REQUEST"
    # the body fits, but loading lwm2m needs xml_dir and translators
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.gateways.update(name="lwm2m", body={"name": "lwm2m", "enable": True})
    assert info.value.message == "Invalid configurations: gateway.lwm2m.xml_dir is required"
    assert client.gateways.get(name="lwm2m").status == "unloaded"
    # once loaded, a change may leave them out
    stub.backend.load_gateway("lwm2m")
    client.gateways.update(name="lwm2m", body={"name": "lwm2m", "auto_observe": True})
    changed = client.gateways.get(name="lwm2m")
    assert changed.auto_observe is True and changed.xml_dir == "/etc/emqx/lwm2m_xml"


def test_enable_gateway(client: Any, unloaded: Any) -> None:
    unloaded.load_gateway("stomp", {"enable": True}, STOMP_LISTENERS)
    client.gateways.enable(name="stomp", enable=False)
    stopped = client.gateways.list(status="stopped")
    assert [gw.name for gw in stopped] == ["stomp"]
    assert stopped[0].stopped_at and not stopped[0].listeners[0].running
    client.gateways.enable(name="stomp", enable=False)  # already so: no change
    client.gateways.enable(name="stomp", enable=True)
    again = client.gateways.get(name="stomp")
    assert again.status == "running" and again.started_at and again.stopped_at is None
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.gateways.enable(name="coap", enable=True)
    assert info.value.code == models.ErrorCode.RESOURCE_NOT_FOUND
    assert client.gateways.get(name="coap").status == "unloaded"


@pytest.mark.parametrize(
    ("union", "classes"),
    [
        (
            "Gateway",
            [
                "GatewayCoap",
                "GatewayExproto",
                "GatewayLwm2m",
                "GatewayMqttsn",
                "GatewayStomp",
                "GatewayGbt32960",
                "GatewayJt808",
                "GatewayOcpp",
            ],
        ),
        (
            "GatewayConf",
            [
                "GatewayCoapConf",
                "GatewayExprotoConf",
                "GatewayLwm2mConf",
                "GatewayMqttsnConf",
                "GatewayStompConf",
                "GatewayGbt32960Conf",
                "GatewayJt808Conf",
                "GatewayOcppConf",
            ],
        ),
    ],
)
def test_gateway_unions_pick_their_branch(
    bundled: dict[str, Any], union: str, classes: list[str]
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(models, union))
    schemas = bundled["components"]["schemas"]
    for name in classes:
        parsed = adapter.validate_python(schemas[name]["example"])
        assert type(parsed) is getattr(models, name)
    with pytest.raises(ValueError):
        adapter.validate_python({"name": "no-such-gateway", "enable": True})


def test_an_empty_body_loads_a_gateway(client: Any, unloaded: Any) -> None:
    """`PUT /gateways/stomp` with `{}` loads STOMP with its defaults, as
    emqx_gateway_api_SUITE's t_listeners_max_conns does first (the body is an
    `update_stomp` shape: no name, the gateway is the one in the path)."""
    client.gateways.update(name="stomp", body={})
    loaded = client.gateways.get(name="stomp")
    assert isinstance(loaded, models.GatewayStomp)
    assert loaded.status == "running" and loaded.listeners == []
