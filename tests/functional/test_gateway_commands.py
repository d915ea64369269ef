"""LwM2M and CoAP Gateways: commands to LwM2M devices with the lookup of their results,
and requests to CoAP clients."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import gateways_kept

PREFIX = "gwcmd-area"


@pytest.fixture()
def devices(stub: Any) -> Iterator[Any]:
    """LwM2M and CoAP loaded afresh, one answering and one silent device on each; what
    was loaded before is put back afterwards."""
    with gateways_kept(stub) as backend:
        for name in ("lwm2m", "coap"):
            backend.load_gateway(name)
            backend.add_gateway_client(name, f"{PREFIX}-{name}")
            backend.add_gateway_client(name, f"{PREFIX}-{name}-mute", responsive=False)
        backend.set_lwm2m_resource(f"{PREFIX}-lwm2m", "/3/0/7", 3800)
        backend.set_lwm2m_resource(f"{PREFIX}-lwm2m", "/3/0/0", "ACME")
        yield backend


def _lookup(client: Any, path: str, action: str, clientid: str = f"{PREFIX}-lwm2m") -> Any:
    return client.lwm2m_gateways.lookup_resource(clientid=clientid, path=path, action=action)


def _not_found(info: Any) -> None:
    assert info.value.status_code == 404
    assert info.value.code == models.ErrorCode.CLIENT_NOT_FOUND


def test_lwm2m_read_and_lookup(client: Any, devices: Any) -> None:
    cid = f"{PREFIX}-lwm2m"
    before = _lookup(client, "/3/0/7", "read")
    assert (before.code, before.codeMsg, before.content) == ("6.01", "reply_not_received", None)
    assert before.clientid == cid and before.path == "/3/0/7" and before.action == "read"
    client.lwm2m_gateways.read_resource(clientid=cid, path="/3/0/7")
    got = _lookup(client, "/3/0/7", "read")
    assert (got.code, got.codeMsg) == ("2.05", "content")
    assert [item.model_dump(exclude_none=True) for item in got.content] == [
        {"path": "/3/0/7", "value": 3800}
    ]
    client.lwm2m_gateways.read_resource(clientid=cid, path="/3/0")
    whole = _lookup(client, "/3/0", "read")
    assert {item.path for item in whole.content} == {"/3/0/7", "/3/0/0"}
    client.lwm2m_gateways.read_resource(clientid=cid, path="/5/0/1")
    missing = _lookup(client, "/5/0/1", "read")
    assert (missing.code, missing.codeMsg, missing.content) == ("4.04", "not_found", None)


def test_lwm2m_write(client: Any, devices: Any) -> None:
    cid = f"{PREFIX}-lwm2m"
    client.lwm2m_gateways.write_resource(
        clientid=cid, path="/3/0/7", type=models.Lwm2mDataType.INTEGER, value="4200"
    )
    written = _lookup(client, "/3/0/7", "write")
    assert (written.code, written.codeMsg) == ("2.04", "changed")
    client.lwm2m_gateways.read_resource(clientid=cid, path="/3/0/7")
    assert _lookup(client, "/3/0/7", "read").content[0].value == 4200
    client.lwm2m_gateways.write_resource(clientid=cid, path="/3/0/7", type="Integer", value="lots")
    refused = _lookup(client, "/3/0/7", "write")
    assert (refused.code, refused.codeMsg) == ("4.00", "bad_request")
    with pytest.raises(emqx_client.BadRequestError) as bad:
        client.lwm2m_gateways.write_resource(clientid=cid, path="/3/0/7", type="Decimal", value="1")
    assert bad.value.code == models.ErrorCode.BAD_REQUEST


def test_lwm2m_observe_and_recorded_replies(client: Any, devices: Any) -> None:
    cid = f"{PREFIX}-lwm2m"
    client.lwm2m_gateways.observe_resource(clientid=cid, path="/3/0/0", enable=True)
    observed = _lookup(client, "/3/0/0", "observe")
    assert observed.code == "2.05" and observed.content[0].value == "ACME"
    client.lwm2m_gateways.observe_resource(clientid=cid, path="/3/0/0", enable=False)
    assert _lookup(client, "/3/0/0", "cancel-observe").codeMsg == "content"
    resources = [
        {"path": "/3/0/0", "name": "Manufacturer", "operations": "R", "dataType": "String"},
        {"path": "/3/0/4", "name": "Reboot", "operations": "E"},
    ]
    devices.record_lwm2m_reply(cid, "/3/0", "discover", "2.05", "content", resources)
    found = _lookup(client, "/3/0", "discover")
    assert found.content[0].dataType == "String"
    assert [item.name for item in found.content] == ["Manufacturer", "Reboot"]


def test_lwm2m_silent_device_and_unknown_client(client: Any, devices: Any) -> None:
    mute = f"{PREFIX}-lwm2m-mute"
    client.lwm2m_gateways.read_resource(clientid=mute, path="/3/0/7")
    assert _lookup(client, "/3/0/7", "read", mute).codeMsg == "reply_not_received"
    nobody = f"{PREFIX}-nobody"
    calls = (
        lambda: _lookup(client, "/3/0/7", "read", nobody),
        lambda: client.lwm2m_gateways.read_resource(clientid=nobody, path="/3/0/7"),
        lambda: client.lwm2m_gateways.observe_resource(clientid=nobody, path="/3/0/7", enable=True),
        lambda: client.lwm2m_gateways.write_resource(
            clientid=nobody, path="/3/0/7", type="String", value="x"
        ),
        # a CoAP client is no LwM2M device
        lambda: _lookup(client, "/3/0/7", "read", f"{PREFIX}-coap"),
    )
    for call in calls:
        with pytest.raises(emqx_client.NotFoundError) as info:
            call()
        _not_found(info)
        assert info.value.message is None or "CLIENT_NOT_FOUND" in str(info.value)


def _request(client: Any, clientid: str = f"{PREFIX}-coap", **body: Any) -> Any:
    return client.coap_gateways.send_request(
        clientid=clientid, body={"timeout": "5s", "content_type": "text/plain", **body}
    )


def test_coap_request(client: Any, devices: Any) -> None:
    echoed = _request(client, token="t1", payload="hello", method="put")
    assert (echoed.token, echoed.method, echoed.payload) == ("t1", "{ok,content}", "hello")
    again = _request(client)
    assert again.id != echoed.id and again.payload == "" and again.token == ""
    octets = base64.b64encode(b"\x00\x01").decode()
    raw = _request(client, content_type="application/octet-stream", payload=octets, timeout=100)
    assert raw.payload == octets
    devices.set_coap_reply(f"{PREFIX}-coap", "{error,not_found}", "none here")
    canned = _request(client, payload="ignored")
    assert (canned.method, canned.payload) == ("{error,not_found}", "none here")
    canned_raw = _request(client, content_type="application/octet-stream", payload=octets)
    assert base64.b64decode(canned_raw.payload) == b"none here"


def test_coap_request_errors(client: Any, devices: Any) -> None:
    with pytest.raises(emqx_client.InternalServerError) as silent:
        _request(client, clientid=f"{PREFIX}-coap-mute")
    assert silent.value.status_code == 504
    assert silent.value.code == models.ErrorCode.CLIENT_NOT_RESPONSE
    with pytest.raises(emqx_client.NotFoundError) as nobody:
        _request(client, clientid=f"{PREFIX}-nobody")
    _not_found(nobody)
    with pytest.raises(emqx_client.NotFoundError):
        _request(client, clientid=f"{PREFIX}-lwm2m")  # a LwM2M device is no CoAP client
    incomplete = models.CoapRequest.model_construct(timeout="5s")
    with pytest.raises(emqx_client.BadRequestError) as missing:
        client.coap_gateways.send_request(clientid=f"{PREFIX}-coap", body=incomplete)
    assert missing.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        _request(client, content_type="application/octet-stream", payload="not base64!")
