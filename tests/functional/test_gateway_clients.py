"""Gateway Clients: the clients of each gateway, their filters and pages, kicking them
out, and their subscriptions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import emqx_client
import pydantic
import pytest
from emqx_client import models

from tests.functional.conftest import gateways_kept

PREFIX = "gwc-area"
BRANCHES = {
    "stomp": "GatewayStompClient",
    "mqttsn": "GatewayMqttsnClient",
    "coap": "GatewayCoapClient",
    "lwm2m": "GatewayLwm2mClient",
    "exproto": "GatewayExprotoClient",
}


@pytest.fixture()
def gateways(stub: Any) -> Iterator[Any]:
    """Load every gateway afresh (STOMP with a per-client mountpoint) and put back what was
    loaded before, so that other areas' tests see the gateways as they left them."""
    with gateways_kept(stub) as backend:
        for name in BRANCHES:
            config = {"enable": True}
            if name == "stomp":
                config["mountpoint"] = "stomp/${clientid}/"
            backend.load_gateway(name, config)
        yield backend


def _status(info: Any, status: int, code: str) -> None:
    assert info.value.status_code == status
    assert info.value.code == models.ErrorCode(code)


def test_each_gateway_answers_its_own_client_shape(client: Any, gateways: Any) -> None:
    for name in BRANCHES:
        gateways.add_gateway_client(name, f"{PREFIX}-{name}", username="guest")
    for name, branch in BRANCHES.items():
        got = client.gateway_clients.get(name=name, clientid=f"{PREFIX}-{name}")
        assert type(got) is getattr(models, branch)
        assert got.clientid == f"{PREFIX}-{name}" and got.username == "guest"
        assert got.node == "emqx@127.0.0.1" and got.connected is True
        assert got.model_dump(mode="json")["subscriptions_max"] == "infinity"
        listed = client.gateway_clients.list(name=name)
        assert [c.clientid for c in listed] == [f"{PREFIX}-{name}"]
    stomp = client.gateway_clients.get(name="stomp", clientid=f"{PREFIX}-stomp")
    assert stomp.proto_name == "STOMP" and stomp.proto_ver == "1.2"
    assert stomp.mountpoint == f"stomp/{PREFIX}-stomp/"
    device = client.gateway_clients.get(name="lwm2m", clientid=f"{PREFIX}-lwm2m")
    assert device.endpoint_name == f"{PREFIX}-lwm2m" and device.lifetime == 86400
    assert device.mountpoint == f"lwm2m/{PREFIX}-lwm2m/"
    coap = client.gateway_clients.get(name="coap", clientid=f"{PREFIX}-coap")
    assert coap.proto_name == "CoAP" and not hasattr(coap, "endpoint_name")


def test_a_client_of_no_known_protocol_fits_no_branch(client: Any, gateways: Any) -> None:
    gateways.add_gateway_client("coap", f"{PREFIX}-shape")
    got = client.gateway_clients.get(name="coap", clientid=f"{PREFIX}-shape")
    wire = got.model_dump(mode="json", by_alias=True)
    adapter = pydantic.TypeAdapter(models.GatewayClient)
    assert type(adapter.validate_python({**wire, "proto_name": "MQTT-SN"})).__name__ == (
        "GatewayMqttsnClient"
    )
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({**wire, "proto_name": "XMPP"})
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({**wire, "proto_name": "LwM2M"})  # no endpoint_name/lifetime


def test_client_errors(client: Any, gateways: Any) -> None:
    gateways.add_gateway_client("mqttsn", f"{PREFIX}-k")
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.gateway_clients.get(name="mqttsn", clientid=f"{PREFIX}-none")
    _status(info, 404, "RESOURCE_NOT_FOUND")
    assert info.value.message == "Client not found"
    with pytest.raises(emqx_client.BadRequestError) as bad:
        client.gateway_clients.get(name="xmpp", clientid=f"{PREFIX}-k")
    _status(bad, 400, "BAD_REQUEST")
    client.gateway_clients.kick(name="mqttsn", clientid=f"{PREFIX}-k")
    with pytest.raises(emqx_client.NotFoundError) as gone:
        client.gateway_clients.kick(name="mqttsn", clientid=f"{PREFIX}-k")
    _status(gone, 404, "RESOURCE_NOT_FOUND")
    with pytest.raises(emqx_client.NotFoundError):
        client.gateway_clients.get(name="mqttsn", clientid=f"{PREFIX}-k")


def test_unloaded_gateway_has_no_clients(client: Any, gateways: Any) -> None:
    gateways.add_gateway_client("exproto", f"{PREFIX}-old")
    gateways.load_gateway("exproto")  # loaded anew: the old channels are gone
    assert list(client.gateway_clients.list(name="exproto")) == []
    gateways.unload_gateway("exproto")
    for call in (
        lambda: client.gateway_clients.list(name="exproto"),
        lambda: client.gateway_clients.get(name="exproto", clientid="x"),
        lambda: client.gateway_clients.kick(name="exproto", clientid="x"),
        lambda: client.gateway_clients.subscriptions.list(name="exproto", clientid="x"),
    ):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call()
        _status(info, 404, "RESOURCE_NOT_FOUND")
        assert info.value.message == "Gateway not loaded"
    with pytest.raises(KeyError):
        gateways.add_gateway_client("exproto", f"{PREFIX}-late")


def _ids(client: Any, name: str = "stomp", **filters: Any) -> list[str]:
    page = client.gateway_clients.list(name=name, **filters)
    return [c.clientid for c in page]


def test_list_filters(client: Any, gateways: Any) -> None:
    old = datetime(2024, 1, 1, tzinfo=UTC)
    gateways.add_gateway_client("stomp", f"{PREFIX}-a", username="alice", created_at=old)
    gateways.add_gateway_client(
        "stomp", f"{PREFIX}-b", username="bob", ip_address="10.0.0.2", clean_start=False
    )
    gateways.add_gateway_client(
        "stomp", f"{PREFIX}-c", username="bobby", connected=False, proto_ver="1.0"
    )
    a, b, c = (f"{PREFIX}-{x}" for x in "abc")
    assert _ids(client) == [a, b, c]
    assert _ids(client, clientid=b) == [b]
    assert _ids(client, like_clientid="-c") == [c]
    fuzzy = client.gateway_clients.list(name="stomp", like_username="bob")
    assert fuzzy.meta.count is None and fuzzy.meta.hasnext is False
    exact = client.gateway_clients.list(name="stomp", clean_start=True)
    assert exact.meta.count == 2
    assert _ids(client, like_clientid="-c", clientid=a) == [a]
    assert _ids(client, username="bob") == [b]
    assert _ids(client, like_username="bob") == [b, c]
    assert _ids(client, ip_address="10.0.0.2") == [b]
    assert _ids(client, conn_state="disconnected") == [c]
    assert _ids(client, conn_state="idle") == []
    assert _ids(client, clean_start=False) == [b]
    assert _ids(client, proto_ver="1.0") == [c]
    cut = old + timedelta(days=1)
    assert _ids(client, lte_created_at=int(cut.timestamp() * 1000)) == [a]
    assert _ids(client, gte_created_at=cut.isoformat()) == [b, c]
    assert _ids(client, gte_connected_at=cut.isoformat(), lte_connected_at=4102444800000) == [b, c]
    assert _ids(client, node="emqx@127.0.0.1", username="alice") == [a]


def test_list_lwm2m_filters_and_pages(client: Any, gateways: Any) -> None:
    for n, lifetime in enumerate((60, 600, 6000)):
        gateways.add_gateway_client(
            "lwm2m", f"{PREFIX}-d{n}", endpoint_name=f"urn:dev:{n}", lifetime=lifetime
        )
    assert _ids(client, "lwm2m", endpoint_name="urn:dev:1") == [f"{PREFIX}-d1"]
    assert _ids(client, "lwm2m", like_endpoint_name="dev:2") == [f"{PREFIX}-d2"]
    assert _ids(client, "lwm2m", gte_lifetime="600") == [f"{PREFIX}-d1", f"{PREFIX}-d2"]
    assert _ids(client, "lwm2m", lte_lifetime="600", gte_lifetime="100") == [f"{PREFIX}-d1"]
    assert _ids(client, "stomp", endpoint_name="urn:dev:1") == []
    first = client.gateway_clients.list(name="lwm2m", limit=2)
    assert first.meta.count == 3 and first.meta.hasnext is True and len(first.items) == 2
    second = client.gateway_clients.list(name="lwm2m", limit=2, page=2)
    assert [c.clientid for c in second.items] == [f"{PREFIX}-d2"] and second.meta.hasnext is False
    everything = [c.clientid for p in first.iter_pages() for c in p.items]
    assert everything == [f"{PREFIX}-d0", f"{PREFIX}-d1", f"{PREFIX}-d2"]


def test_list_errors(client: Any, gateways: Any) -> None:
    gateways.add_gateway_client("stomp", f"{PREFIX}-e")
    with pytest.raises(emqx_client.InternalServerError) as bad_ip:
        client.gateway_clients.list(name="stomp", ip_address="10.0.0")
    _status(bad_ip, 500, "NODE_DOWN")
    with pytest.raises(emqx_client.InternalServerError) as bad_ip_on_node:
        client.gateway_clients.list(name="stomp", ip_address="10.0.0", node="emqx@127.0.0.1")
    _status(bad_ip_on_node, 500, "UNKNOWN_ERROR")
    with pytest.raises(emqx_client.InternalServerError) as bad_lifetime:
        client.gateway_clients.list(name="lwm2m", gte_lifetime="long")
    _status(bad_lifetime, 500, "NODE_DOWN")
    with pytest.raises(emqx_client.InternalServerError) as other_node:
        client.gateway_clients.list(name="stomp", node="emqx@10.0.0.9")
    _status(other_node, 500, "NODE_DOWN")
    with pytest.raises(emqx_client.BadRequestError) as bad_time:
        client.gateway_clients.list(name="stomp", gte_created_at="yesterday")
    _status(bad_time, 400, "BAD_REQUEST")
    with pytest.raises(emqx_client.BadRequestError) as bad_name:
        client.gateway_clients.list(name="ocpp")
    _status(bad_name, 400, "BAD_REQUEST")
    with pytest.raises(emqx_client.BadRequestError):
        client.gateway_clients.list(name="stomp", limit=0)


def test_subscriptions(client: Any, gateways: Any) -> None:
    cid = f"{PREFIX}-sn"
    gateways.add_gateway_client("mqttsn", cid, username="u")
    gateways.add_gateway_subscription("mqttsn", cid, "seeded/+", qos=2)
    made = client.gateway_clients.subscriptions.create(
        name="mqttsn", clientid=cid, body={"topic": "t/1", "qos": 1, "sub_props": {"subid": "7"}}
    )
    assert made.topic == "t/1" and (made.qos, made.nl, made.rap, made.rh) == (1, 0, 0, 1)
    assert made.sub_props is not None and made.sub_props.subid == "7"
    subs = client.gateway_clients.subscriptions.list(name="mqttsn", clientid=cid)
    assert [(s.topic, s.qos) for s in subs] == [("seeded/+", 2), ("t/1", 1)]
    got = client.gateway_clients.get(name="mqttsn", clientid=cid)
    assert got.subscriptions_cnt == 2
    client.gateway_clients.subscriptions.delete(name="mqttsn", clientid=cid, topic="t/1")
    subs = client.gateway_clients.subscriptions.list(name="mqttsn", clientid=cid)
    assert [s.topic for s in subs] == ["seeded/+"]
    with pytest.raises(emqx_client.NotFoundError) as gone:
        client.gateway_clients.subscriptions.delete(name="mqttsn", clientid=cid, topic="t/1")
    _status(gone, 404, "RESOURCE_NOT_FOUND")
    assert gone.value.message == "Resource not found"
    with pytest.raises(emqx_client.BadRequestError) as no_topic:
        client.gateway_clients.subscriptions.create(
            name="mqttsn",
            clientid=cid,
            body=models.GatewaySubscriptionCreate.model_construct(qos=1),
        )
    _status(no_topic, 400, "BAD_REQUEST")
    with pytest.raises(emqx_client.BadRequestError):
        client.gateway_clients.subscriptions.create(
            name="mqttsn", clientid=cid, body={"topic": "a/#/b"}
        )
    with pytest.raises(emqx_client.NotFoundError) as nobody:
        client.gateway_clients.subscriptions.create(
            name="mqttsn", clientid=f"{PREFIX}-nobody", body={"topic": "t/2"}
        )
    assert nobody.value.message == "client process not found"
    with pytest.raises(emqx_client.NotFoundError):
        client.gateway_clients.subscriptions.list(name="mqttsn", clientid=f"{PREFIX}-nobody")


def test_stomp_subscriptions_need_a_subid_and_carry_the_mountpoint(
    client: Any, gateways: Any
) -> None:
    cid = f"{PREFIX}-st"
    gateways.add_gateway_client("stomp", cid)
    with pytest.raises(emqx_client.BadRequestError) as no_subid:
        client.gateway_clients.subscriptions.create(
            name="stomp", clientid=cid, body={"topic": "news"}
        )
    assert no_subid.value.message == "no_subid"
    made = client.gateway_clients.subscriptions.create(
        name="stomp", clientid=cid, body={"topic": "news", "qos": 2, "sub_props": {"subid": "1"}}
    )
    assert made.topic == f"stomp/{cid}/news" and made.qos == 0 and made.rh == 1
    for body, message in (
        ({"topic": "other", "sub_props": {"subid": "1"}}, "Subscription id 1 is in used"),
        ({"topic": "news", "sub_props": {"subid": "2"}}, "Topic news already in subscribed"),
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            client.gateway_clients.subscriptions.create(name="stomp", clientid=cid, body=body)
        assert info.value.message == message
    subs = client.gateway_clients.subscriptions.list(name="stomp", clientid=cid)
    assert [(s.topic, s.sub_props.subid) for s in subs] == [(f"stomp/{cid}/news", "1")]
    client.gateway_clients.subscriptions.delete(name="stomp", clientid=cid, topic="news")
    assert client.gateway_clients.subscriptions.list(name="stomp", clientid=cid) == []
