"""MQTT: delayed messages, topic metrics and topic rewrite rules through the client."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

import emqx_client
import pytest
from emqx_client import models
from emqx_server_stub import models as models_stub

from tests.functional.conftest import LiveStub

PREFIX = "mqtt-area"


def _mine(page: Any, prefix: str) -> list[Any]:
    return [m for m in page if m.topic.startswith(prefix)]


def test_delayed_settings(client: Any) -> None:
    settings = client.mqtt.get_delayed_settings()
    assert settings.enable is True and settings.max_delayed_messages == 0
    changed = client.mqtt.update_delayed_settings(body={"max_delayed_messages": 50})
    assert changed.enable is True and changed.max_delayed_messages == 50
    assert client.mqtt.get_delayed_settings().max_delayed_messages == 50
    with pytest.raises(emqx_client.BadRequestError) as info:
        negative = models.DelayedSettings.model_construct(max_delayed_messages=-1)
        client.mqtt.update_delayed_settings(body=negative)
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    client.mqtt.update_delayed_settings(body={"max_delayed_messages": 0})


def test_delayed_messages(client: Any, stub: LiveStub) -> None:
    node = stub.backend.node
    topic = f"{PREFIX}/delayed/1"
    client.publish.message(body={"topic": f"$delayed/60/{topic}", "payload": "hello", "qos": 1})
    client.publish.message(body={"topic": f"$delayed/90/{topic}", "payload": "again"})
    due = int(time.time()) + 120
    big = "x" * 3000
    client.publish.message(body={"topic": f"$delayed/{due}/{PREFIX}/delayed/2", "payload": big})

    waiting = _mine(client.mqtt.delayed_messages.list(limit=1), PREFIX)
    assert [m.topic for m in waiting] == [topic, topic, f"{PREFIX}/delayed/2"]
    first = waiting[0]
    assert first.node == node and first.qos == 1 and first.delayed_interval == 60
    assert first.from_clientid == "http_api" and 55 <= first.delayed_remaining <= 60
    assert 118 <= waiting[2].delayed_interval <= 121
    page = client.mqtt.delayed_messages.list(page=1, limit=2)
    assert len(page.items) == 2 and page.has_next_page() and page.meta.count >= 3

    got = client.mqtt.delayed_messages.get(node=node, msgid=first.msgid.lower())
    assert got.msgid == first.msgid and base64.b64decode(got.payload) == b"hello"
    large = client.mqtt.delayed_messages.get(node=node, msgid=waiting[2].msgid)
    assert large.payload == "PAYLOAD_TOO_LARGE"

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.mqtt.delayed_messages.get(node="nobody@nowhere", msgid=first.msgid)
    assert info.value.code == models.ErrorCode.INVALID_NODE
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.mqtt.delayed_messages.get(node=node, msgid="not-an-id")
    assert info.value.code == models.ErrorCode.MESSAGE_ID_SCHEMA_ERROR
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.mqtt.delayed_messages.get(node=node, msgid="0" * 32)
    assert info.value.code == models.ErrorCode.MESSAGE_ID_NOT_FOUND

    with pytest.raises(emqx_client.InternalServerError) as info:
        client.mqtt.delayed_messages.delete(node="nobody@nowhere", msgid=first.msgid)
    assert info.value.code == models.ErrorCode.INTERNAL_ERROR
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.mqtt.delayed_messages.delete(node=node, msgid="xyz")
    assert info.value.code == models.ErrorCode.MESSAGE_ID_SCHEMA_ERROR
    client.mqtt.delayed_messages.delete(node=node, msgid=first.msgid)
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.mqtt.delayed_messages.delete(node=node, msgid=first.msgid)
    assert info.value.code == models.ErrorCode.MESSAGE_ID_NOT_FOUND

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.mqtt.delayed_messages.delete_by_topic(topic=f"{PREFIX}/#")
    assert info.value.code == models.ErrorCode.INVALID_TOPIC_NAME
    client.mqtt.delayed_messages.delete_by_topic(topic=topic)
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.mqtt.delayed_messages.delete_by_topic(topic=topic)
    assert info.value.code == models.ErrorCode.MESSAGE_NOT_FOUND
    left = _mine(client.mqtt.delayed_messages.list(), PREFIX)
    assert [m.topic for m in left] == [f"{PREFIX}/delayed/2"]

    # Turning delayed publishing off discards what waits and stores nothing new.
    client.mqtt.update_delayed_settings(body={"enable": False})
    client.publish.message(body={"topic": f"$delayed/60/{PREFIX}/delayed/3", "payload": "x"})
    assert _mine(client.mqtt.delayed_messages.list(), PREFIX) == []
    assert client.mqtt.update_delayed_settings(body={"enable": True}).enable is True
    assert _mine(client.mqtt.delayed_messages.list(), PREFIX) == []

    # A full store drops new delayed messages.
    count = client.mqtt.delayed_messages.list().meta.count
    client.mqtt.update_delayed_settings(body={"max_delayed_messages": count + 1})
    for n in (4, 5):
        client.publish.message(body={"topic": f"$delayed/60/{PREFIX}/delayed/{n}", "payload": "x"})
    assert [m.topic for m in _mine(client.mqtt.delayed_messages.list(), PREFIX)] == [
        f"{PREFIX}/delayed/4"
    ]
    client.mqtt.update_delayed_settings(body={"max_delayed_messages": 0})
    client.mqtt.delayed_messages.delete_by_topic(topic=f"{PREFIX}/delayed/4")


def test_topic_metrics(client: Any, stub: LiveStub) -> None:
    topic = f"{PREFIX}/metrics/a/b"
    made = client.mqtt.topic_metrics.add(body={"topic": topic})
    assert made.topic == topic and made.metrics.messages_in_count == 0
    assert made.create_time is not None
    for body, code in (
        ({"topic": topic}, models.ErrorCode.BAD_TOPIC),
        ({"topic": f"{PREFIX}/+/b"}, models.ErrorCode.BAD_TOPIC),
        ({"topic": ""}, models.ErrorCode.BAD_REQUEST),
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            client.mqtt.topic_metrics.add(body=body)
        assert info.value.code == code

    client.publish.message(body={"topic": topic, "payload": "1"})
    client.publish.message(body={"topic": topic, "payload": "2", "qos": 1})
    stub.backend.add_client("metrics-sub")
    stub.backend.add_subscription("metrics-sub", f"{PREFIX}/metrics/#")
    client.publish.message(body={"topic": topic, "payload": "3"})
    client.publish.message(body={"topic": f"{PREFIX}/metrics/other", "payload": "4"})
    counted = client.mqtt.topic_metrics.get(topic=topic).metrics
    assert counted.messages_in_count == 3
    assert (counted.messages_qos0_in_count, counted.messages_qos1_in_count) == (2, 1)
    assert counted.messages_out_count == 1 and counted.messages_dropped_count == 2
    assert [m.topic for m in client.mqtt.topic_metrics.list() if m.topic == topic] == [topic]

    second = f"{PREFIX}/metrics/second"
    client.mqtt.topic_metrics.add(body={"topic": second})
    one = client.mqtt.topic_metrics.reset(body={"action": "reset", "topic": topic})
    assert isinstance(one, models.TopicMetrics) and one.metrics.messages_in_count == 0
    everything = client.mqtt.topic_metrics.reset(body={"action": "reset"})
    assert isinstance(everything, list) and {topic, second} <= {m.topic for m in everything}
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.mqtt.topic_metrics.reset(body={"action": "reset", "topic": f"{PREFIX}/none"})
    assert info.value.code == models.ErrorCode.TOPIC_NOT_FOUND

    client.mqtt.topic_metrics.delete(topic=second)
    client.mqtt.topic_metrics.delete(topic=topic)
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.mqtt.topic_metrics.get(topic=topic)
    assert info.value.code == models.ErrorCode.TOPIC_NOT_FOUND
    with pytest.raises(emqx_client.NotFoundError):
        client.mqtt.topic_metrics.delete(topic=topic)
    client.clients.kick(clientid="metrics-sub")


def test_topic_metrics_limit(client: Any, stub: LiveStub) -> None:
    # Fill up to the limit through the handler itself (hundreds of HTTP calls are slow),
    # then let the client hit the limit.
    handler = stub.backend.handlers().mqtt
    already = len(client.mqtt.topic_metrics.list())
    topics = [f"{PREFIX}/limit/{n}" for n in range(512 - already)]

    async def register() -> None:
        for topic in topics[1:]:
            await handler.add_topic_metrics(body=models_stub.TopicMetricsCreateRequest(topic=topic))

    asyncio.run(register())
    client.mqtt.topic_metrics.add(body={"topic": topics[0]})
    with pytest.raises(emqx_client.ConflictError) as info:
        client.mqtt.topic_metrics.add(body={"topic": f"{PREFIX}/limit/too-many"})
    assert info.value.code == models.ErrorCode.EXCEED_LIMIT

    async def unregister() -> None:
        for topic in topics:
            await handler.delete_topic_metrics(topic=topic)

    asyncio.run(unregister())
    assert len(client.mqtt.topic_metrics.list()) == already


def test_topic_rewrite_rules(client: Any) -> None:
    assert client.mqtt.list_topic_rewrite_rules() == []
    rules = [
        {"action": "publish", "source_topic": "x/#", "dest_topic": "z/y/$1", "re": "^x/y/(.+)$"},
        {"action": "subscribe", "source_topic": "a/+", "dest_topic": "b/#", "re": "^a/(.+)$"},
    ]
    saved = client.mqtt.update_topic_rewrite_rules(body=rules)
    assert [r.dest_topic for r in saved] == ["z/y/$1", "b/#"]
    listed = client.mqtt.list_topic_rewrite_rules()
    assert [(r.action, r.source_topic) for r in listed] == [
        (models.TopicRewriteRuleAction.PUBLISH, "x/#"),
        (models.TopicRewriteRuleAction.SUBSCRIBE, "a/+"),
    ]

    with pytest.raises(emqx_client.APIStatusError) as info:
        client.mqtt.update_topic_rewrite_rules(body=rules * 10)
    assert info.value.status_code == 413 and info.value.code == models.ErrorCode.EXCEED_LIMIT
    wildcard = [{**rules[0], "dest_topic": "z/#"}]
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.mqtt.update_topic_rewrite_rules(body=wildcard)
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.InternalServerError) as info:
        client.mqtt.update_topic_rewrite_rules(body=[{**rules[0], "re": "(unclosed"}])
    assert info.value.code == models.ErrorCode.INTERNAL_ERROR
    assert len(client.mqtt.list_topic_rewrite_rules()) == 2

    assert client.mqtt.update_topic_rewrite_rules(body=[]) == []
