"""Clients: bulk kick-out and (un)subscribe, the authorization cache, in-flight and queued
messages, keep-alive, the cursor listing and the session count, through the client."""

from __future__ import annotations

import base64
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub

PREFIX = "clients-area"


def _sessions(stub: LiveStub) -> Any:
    return stub.backend.handlers().clients


def test_kick_clients_in_bulk(client: Any, stub: LiveStub) -> None:
    before = client.clients.get_sessions_count()
    ids = [f"{PREFIX}/kick-{n}" for n in range(3)]
    for clientid in ids:
        stub.backend.add_client(clientid)
    assert client.clients.get_sessions_count() == before + 3
    assert client.clients.get_sessions_count(since=1705391625) == before + 3
    client.clients.kick_bulk(body=[ids[0], ids[2], f"{PREFIX}/nobody"])
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.clients.get(clientid=ids[0])
    assert info.value.code == models.ErrorCode.CLIENTID_NOT_FOUND
    assert client.clients.get(clientid=ids[1]).clientid == ids[1]
    assert client.clients.get_sessions_count() == before + 1
    client.clients.kick_bulk(body=[])
    client.clients.kick_bulk(body=[ids[1]])
    assert client.clients.get_sessions_count() == before


def test_kick_clients_needs_an_array(stub: LiveStub) -> None:
    with httpx.Client(base_url=stub.base_url + "/", auth=(API_KEY, SECRET)) as raw:
        bad = raw.post("clients/kickout/bulk", json={"clientid": "x"})
        assert bad.status_code == 400 and bad.json()["code"] == "BAD_REQUEST"
        text = raw.post(
            "clients/kickout/bulk", content=b"x", headers={"content-type": "text/plain"}
        )
        assert text.status_code == 415


def test_authorization_cache(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/authz"
    stub.backend.add_client(clientid)
    assert client.clients.list_authz_cache(clientid=clientid) == []
    stub.backend.add_subscription(clientid, "$share/g1/jobs/#", qos=1)
    _sessions(stub).cache_authz(clientid, "publish", "secret/1", result="deny", qos=2)
    entries = client.clients.list_authz_cache(clientid=clientid)
    by_topic = {e.topic: e for e in entries}
    assert set(by_topic) == {"jobs/#", "secret/1"}
    sub = by_topic["jobs/#"]
    assert sub.access.action_type == models.ClientAuthzActionType.SUBSCRIBE
    assert sub.access.qos == 1 and sub.access.retain is None and str(sub.result) == "allow"
    pub = by_topic["secret/1"]
    assert pub.access.retain is False and str(pub.result) == "deny" and pub.updated_time > 0
    # A subscription made through the management API is not authorized, so not cached.
    client.clients.subscribe(clientid=clientid, body={"topic": "api/made"})
    assert len(client.clients.list_authz_cache(clientid=clientid)) == 2
    client.clients.clear_authz_cache(clientid=clientid)
    assert client.clients.list_authz_cache(clientid=clientid) == []
    for call in (client.clients.list_authz_cache, client.clients.clear_authz_cache):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call(clientid=f"{PREFIX}/nobody")
        assert info.value.code == models.ErrorCode.CLIENTID_NOT_FOUND


def test_inflight_messages_page_by_position(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/inflight"
    stub.backend.add_client(clientid)
    assert _sessions(stub).deliver(clientid, "t/0", b"zero", qos=0) == "sent"
    for n in range(5):
        where = _sessions(stub).deliver(
            clientid, f"t/{n}", f"payload-{n}", qos=1, from_username="bob"
        )
        assert where == "inflight"
    assert client.clients.get(clientid=clientid).inflight_cnt == 5
    first = client.clients.list_inflight_messages(clientid=clientid, limit=2)
    assert [m.topic for m in first.items] == ["t/0", "t/1"]
    assert first.meta.start == first.items[0].inserted_at
    assert first.meta.position == first.items[1].inserted_at
    assert base64.b64decode(first.items[0].payload) == b"payload-0"
    assert first.items[0].from_username == "bob" and first.items[0].qos == 1
    every = list(client.clients.list_inflight_messages(clientid=clientid, limit=2))
    assert [m.topic for m in every] == [f"t/{n}" for n in range(5)]
    last = client.clients.list_inflight_messages(clientid=clientid, position=every[-1].inserted_at)
    assert last.items == [] and last.meta.position == every[-1].inserted_at
    plain = client.clients.list_inflight_messages(clientid=clientid, payload="plain")
    assert [m.payload for m in plain.items][:2] == ["payload-0", "payload-1"]
    bare = client.clients.list_inflight_messages(clientid=clientid, payload="none")
    assert all(m.payload is None for m in bare.items)
    # The budget keeps the first message and then what fits; the position still moves on.
    small = client.clients.list_inflight_messages(
        clientid=clientid, payload="plain", max_payload_bytes="12", limit=3
    )
    assert [m.topic for m in small.items] == ["t/0"]
    assert small.meta.position == every[2].inserted_at


def test_message_lists_refuse_bad_parameters(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/bad-params"
    stub.backend.add_client(clientid)
    _sessions(stub).deliver(clientid, "bin/1", b"\xff\xfe", qos=1)
    for position in ("end_of_data", "not-a-number", "12"):
        call = client.clients.list_mqueue_messages
        if position == "12":
            call = client.clients.list_inflight_messages
            position = "12_0"
        with pytest.raises(emqx_client.BadRequestError) as info:
            call(clientid=clientid, position=position)
        assert info.value.code == models.ErrorCode.INVALID_PARAMETER
        assert info.value.body["message"] == "position_limit_invalid"
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.clients.list_inflight_messages(clientid=clientid, payload="plain")
    assert info.value.code == models.ErrorCode.INVALID_PARAMETER
    assert client.clients.list_inflight_messages(clientid=clientid).items[0].payload == "//4="
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.clients.list_inflight_messages(clientid=clientid, max_payload_bytes="0")
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    for call in (
        client.clients.list_inflight_messages,
        client.clients.list_mqueue_messages,
    ):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call(clientid=f"{PREFIX}/nobody")
        assert info.value.code == models.ErrorCode.CLIENTID_NOT_FOUND


def test_queued_messages_by_priority(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/offline"
    stub.backend.add_client(clientid, connected=False, clean_start=False, expiry_interval=3600)
    sessions = _sessions(stub)
    assert sessions.deliver(clientid, "low/1", "a", qos=0) == "mqueue"
    assert sessions.deliver(clientid, "high/1", "b", qos=1, priority=5) == "mqueue"
    assert sessions.deliver(clientid, "low/2", "c", qos=2) == "mqueue"
    assert sessions.deliver(clientid, "top/1", "d", qos=1, priority=float("inf")) == "mqueue"
    assert client.clients.get(clientid=clientid).mqueue_len == 4
    page = client.clients.list_mqueue_messages(clientid=clientid, limit=3)
    assert [m.topic for m in page.items] == ["top/1", "high/1", "low/1"]
    assert [str(m.mqueue_priority) for m in page.items] == ["infinity", "5", "0"]
    assert page.meta.start == f"{page.items[0].inserted_at}_infinity"
    assert page.meta.position == f"{page.items[2].inserted_at}_0"
    rest = client.clients.list_mqueue_messages(clientid=clientid, position=page.meta.position)
    assert [m.topic for m in rest.items] == ["low/2"]
    assert [m.topic for m in client.clients.list_mqueue_messages(clientid=clientid, limit=1)] == [
        "top/1",
        "high/1",
        "low/1",
        "low/2",
    ]
    # A new clean session starts empty.
    stub.backend.add_client(clientid)
    empty = client.clients.list_mqueue_messages(clientid=clientid)
    assert empty.items == [] and empty.meta.start == "none" and empty.meta.position == "none"


def test_keepalive(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/keepalive"
    stub.backend.add_client(clientid, keepalive=60)
    changed = client.clients.set_keepalive(clientid=clientid, body={"interval": 300})
    assert changed.clientid == clientid and changed.keepalive == 300
    assert client.clients.get(clientid=clientid).keepalive == 300
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.clients.set_keepalive(clientid=clientid, body={})
    assert info.value.body["message"] == "Interval Not Found"
    with pytest.raises(emqx_client.BadRequestError) as info:
        too_long = models.ClientKeepaliveRequest.model_construct(interval=70000)
        client.clients.set_keepalive(clientid=clientid, body=too_long)
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.NotFoundError):
        client.clients.set_keepalive(clientid=f"{PREFIX}/nobody", body={"interval": 1})


def test_subscribe_and_unsubscribe_in_bulk(client: Any, stub: LiveStub) -> None:
    clientid = f"{PREFIX}/bulk-sub"
    stub.backend.add_client(clientid)
    made = client.clients.subscribe_bulk(
        clientid=clientid, body=[{"topic": "a/+", "qos": 1}, {"topic": "$share/g/b/#", "qos": 2}]
    )
    assert isinstance(made, list)
    assert [(s.topic, s.qos, s.node) for s in made] == [
        ("a/+", 1, stub.backend.node),
        ("$share/g/b/#", 2, stub.backend.node),
    ]
    partial = client.clients.subscribe_bulk(
        clientid=clientid,
        body=[{"topic": "c/1"}, {"topic": "$share/g/d", "nl": 1}, {"topic": "e/#/f"}],
    )
    assert isinstance(partial, models.ClientSubscribeBulkResult)
    assert [s.topic for s in partial.succeed] == ["c/1"]
    assert [f.reason for f in partial.failed] == [
        "invalid_subopts_nl",
        '{invalid_topic_filter,<<"e/#/f">>}',
    ]
    assert partial.failed[0].data == [
        clientid,
        "$share/g/d",
        {"qos": 0, "nl": 1, "rap": 0, "rh": 0},
    ]
    topics = {s.topic for s in client.clients.list_subscriptions(clientid=clientid)}
    assert topics == {"a/+", "$share/g/b/#", "c/1"}
    client.clients.unsubscribe_bulk(
        clientid=clientid, body=[{"topic": "a/+"}, {}, {"topic": "never/subscribed"}]
    )
    topics = {s.topic for s in client.clients.list_subscriptions(clientid=clientid)}
    assert topics == {"$share/g/b/#", "c/1"}
    for call, body in (
        (client.clients.subscribe_bulk, [{"topic": "x"}]),
        (client.clients.unsubscribe_bulk, [{"topic": "x"}]),
    ):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call(clientid=f"{PREFIX}/nobody", body=body)
        assert info.value.code == models.ErrorCode.CLIENTID_NOT_FOUND


def test_clients_v2_walks_with_a_cursor(client: Any, stub: LiveStub) -> None:
    for n in (3, 0, 4, 1, 2):
        stub.backend.add_client(f"{PREFIX}/v2-{n}", username="v2-user")
    first = client.clients.list_v2(username=["v2-user"], limit=2)
    assert [c.clientid for c in first.items] == [f"{PREFIX}/v2-0", f"{PREFIX}/v2-1"]
    assert first.meta.count == 2 and first.meta.cursor
    seen = [c.clientid for c in first.items]
    cursor = first.meta.cursor
    while cursor:
        chunk = client.clients.list_v2(username=["v2-user"], limit=2, cursor=cursor)
        seen += [c.clientid for c in chunk.items]
        cursor = chunk.meta.cursor
    assert seen == [f"{PREFIX}/v2-{n}" for n in range(5)]
    one = client.clients.list_v2(like_clientid=f"{PREFIX}/v2-3", fields=["clientid"])
    assert one.meta.count == 1 and one.meta.cursor is None
    assert one.items[0].username == "v2-user"  # `fields` is ignored here
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.clients.list_v2(cursor="not*a*cursor")
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.clients.list_v2(ip_address="10.0.0")
    assert info.value.code == models.ErrorCode.INVALID_PARAMETER
