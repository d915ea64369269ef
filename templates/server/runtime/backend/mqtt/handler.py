"""MQTT: delayed messages (taken from what `POST /publish` sent to `$delayed/...`),
per-topic message metrics (counted from the published messages) and topic rewrite rules.

The published messages are read lazily: every operation first looks at the messages
published since the previous one, so settings and registrations apply from the moment
they were made."""

from __future__ import annotations

import base64
import re
from typing import Any

from ... import errors, models
from ..common.clock import dt_ms, dt_s, now_ms, now_s
from ..common.paging import paginate
from ..common.topic import InvalidTopic, is_wildcard, validate_name
from ..publish.state import HTTP_PUBLISHER, PublishedMessage, payload_bytes, published_ms
from ..state import State
from .state import _COUNTERS, DelayedRecord, MqttState, TopicMetricsRecord

MAX_INTERVAL = 4294967  # seconds; larger numbers in `$delayed/<n>/` are Unix times
MAX_PAYLOAD_SHOWN = 2048  # bytes; longer delayed payloads are not answered
MAX_TOPIC_METRICS = 512
MAX_REWRITE_RULES = 20  # a list must be shorter than this
_HEX_ID = re.compile(r"^[0-9A-Fa-f]{32}$")


def _delay_of(message: PublishedMessage) -> DelayedRecord | None:
    """The delayed message a publish to `$delayed/<n>/<topic>` makes (None if malformed)."""
    delay, sep, topic = message.topic[len("$delayed/") :].partition("/")
    if not sep or not delay.isdigit():
        return None
    received = published_ms(message)
    number = int(delay)
    if number < MAX_INTERVAL:
        interval, due = number, received + number * 1000
    else:
        interval, due = number - round(received / 1000), number * 1000
        if interval > MAX_INTERVAL:
            return None
    return DelayedRecord(
        message.id, received, due, interval, topic, int(message.qos), payload_bytes(message)
    )


class MqttApi:
    """MqttHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _mqtt(self) -> MqttState:
        return self._state.mqtt

    def _catch_up(self) -> None:
        """Take in the messages published since the last call; drop delayed messages that
        are due (the stub does not publish them). Call with the lock held."""
        mqtt = self._mqtt
        for message in self._state.published[mqtt.seen :]:
            if message.topic.startswith("$delayed/") and mqtt.delayed_enable:
                record = _delay_of(message)
                full = 0 < mqtt.max_delayed_messages <= len(mqtt.delayed)
                if record is not None and not full:
                    mqtt.delayed[record.msgid] = record
            metrics = mqtt.topic_metrics.get(message.topic)
            if metrics is not None:
                qos = int(message.qos)
                counts = metrics.counts
                counts["in"] += 1
                counts[f"qos{qos}.in"] += 1
                if message.delivered:
                    counts["out"] += message.delivered
                    counts[f"qos{qos}.out"] += message.delivered
                else:
                    counts["dropped"] += 1
        mqtt.seen = len(self._state.published)
        now = now_ms()
        for msgid in [m for m, r in mqtt.delayed.items() if r.due_ms <= now]:
            del mqtt.delayed[msgid]

    # -- Delayed messages -----------------------------------------------------------------

    def _delayed_body(self, record: DelayedRecord) -> dict[str, Any]:
        return {
            "msgid": record.msgid,
            "node": self._state.node,
            "publish_at": dt_ms(record.received_ms),
            "delayed_interval": record.interval,
            "delayed_remaining": int((record.due_ms - now_ms()) / 1000),
            "expected_at": dt_ms(record.due_ms),
            "topic": record.topic,
            "qos": record.qos,
            "from_clientid": HTTP_PUBLISHER,
            "from_username": "undefined",
        }

    def _settings(self) -> models.DelayedSettings:
        mqtt = self._mqtt
        return models.DelayedSettings(
            enable=mqtt.delayed_enable, max_delayed_messages=mqtt.max_delayed_messages
        )

    async def get_delayed_settings(self) -> models.DelayedSettings:
        with self._state.lock:
            return self._settings()

    async def update_delayed_settings(
        self, *, body: models.DelayedSettings
    ) -> models.DelayedSettings:
        with self._state.lock:
            self._catch_up()
            mqtt = self._mqtt
            if "max_delayed_messages" in body.model_fields_set:
                mqtt.max_delayed_messages = body.max_delayed_messages
            if "enable" in body.model_fields_set:
                mqtt.delayed_enable = body.enable
                if not body.enable:
                    mqtt.delayed.clear()
            return self._settings()

    async def list_delayed_messages(
        self, *, limit: int = 100, page: int = 1
    ) -> models.DelayedMessagePage:
        with self._state.lock:
            self._catch_up()
            waiting = sorted(self._mqtt.delayed.values(), key=lambda r: (r.due_ms, r.msgid))
            chunk, meta = paginate(waiting, page, limit)
            return models.DelayedMessagePage(
                data=[
                    models.DelayedMessageSummary.model_validate(self._delayed_body(r))
                    for r in chunk
                ],
                meta=meta,
            )

    def _find(self, node: str, msgid: str, *, unknown_node_status: int) -> DelayedRecord:
        if len(node) > 255 or (unknown_node_status == 400 and node != self._state.node):
            raise errors.invalid_node(f"The node name {node} is invalid", status=400)
        if not _HEX_ID.match(msgid):
            raise errors.message_id_schema_error(f"Message ID {msgid} schema error", status=400)
        if node != self._state.node:
            raise errors.internal_error("error, {case_clause,{badrpc,nodedown}}", status=500)
        self._catch_up()
        record = self._mqtt.delayed.get(msgid.upper())
        if record is None:
            raise errors.message_id_not_found(f"Message ID {msgid} not found", status=404)
        return record

    async def get_delayed_message(self, *, msgid: str, node: str) -> models.DelayedMessage:
        with self._state.lock:
            record = self._find(node, msgid, unknown_node_status=400)
            body = self._delayed_body(record)
            if len(record.payload) > MAX_PAYLOAD_SHOWN:
                body["payload"] = "PAYLOAD_TOO_LARGE"
            else:
                body["payload"] = base64.b64encode(record.payload).decode("ascii")
            return models.DelayedMessage.model_validate(body)

    async def delete_delayed_message(self, *, msgid: str, node: str) -> None:
        with self._state.lock:
            record = self._find(node, msgid, unknown_node_status=500)
            del self._mqtt.delayed[record.msgid]

    async def delete_delayed_messages_by_topic(self, *, topic: str) -> None:
        if is_wildcard(topic):
            raise errors.invalid_topic_name(f"The topic name {topic} is invalid", status=400)
        with self._state.lock:
            self._catch_up()
            delayed = self._mqtt.delayed
            doomed = [msgid for msgid, r in delayed.items() if r.topic == topic]
            if not doomed:
                raise errors.message_not_found(f"Not found messages for {topic}", status=404)
            for msgid in doomed:
                del delayed[msgid]

    # -- Topic metrics --------------------------------------------------------------------

    def _metrics_of(self, topic: str) -> models.TopicMetrics:
        record = self._mqtt.topic_metrics.get(topic)
        if record is None:
            raise errors.topic_not_found("Topic not found", status=404)
        metrics: dict[str, Any] = {}
        for name in _COUNTERS:
            metrics[f"messages.{name}.count"] = record.counts[name]
            metrics[f"messages.{name}.rate"] = 0.0
        return models.TopicMetrics.model_validate(
            {"topic": topic, "create_time": dt_s(record.created_s), "metrics": metrics}
        )

    def _all_metrics(self) -> list[models.TopicMetrics]:
        return [self._metrics_of(topic) for topic in self._mqtt.topic_metrics]

    async def list_topic_metrics(self) -> list[models.TopicMetrics]:
        with self._state.lock:
            self._catch_up()
            return self._all_metrics()

    async def get_topic_metrics(self, *, topic: str) -> models.TopicMetrics:
        with self._state.lock:
            self._catch_up()
            return self._metrics_of(topic)

    async def add_topic_metrics(
        self, *, body: models.TopicMetricsCreateRequest
    ) -> models.TopicMetrics:
        topic = body.topic
        if topic == "":
            raise errors.bad_request("Topic can not be empty", status=400)
        with self._state.lock:
            self._catch_up()
            registered = self._mqtt.topic_metrics
            if topic in registered:
                raise errors.bad_topic("Topic already registered", status=400)
            if is_wildcard(topic):
                raise errors.bad_topic("Wildcard topic is not supported", status=400)
            if len(registered) >= MAX_TOPIC_METRICS:
                raise errors.exceed_limit(
                    f"Max topic metrics count is {MAX_TOPIC_METRICS}", status=409
                )
            registered[topic] = TopicMetricsRecord(created_s=now_s())
            return self._metrics_of(topic)

    async def reset_topic_metrics(
        self, *, body: models.TopicMetricsResetRequest
    ) -> models.TopicMetricsResetResult:
        with self._state.lock:
            self._catch_up()
            registered = self._mqtt.topic_metrics
            if body.topic is not None and body.topic not in registered:
                raise errors.topic_not_found("Topic not found", status=404)
            topics = list(registered) if body.topic is None else [body.topic]
            for topic in topics:
                registered[topic].counts = dict.fromkeys(_COUNTERS, 0)
                registered[topic].reset_s = now_s()
            if body.topic is not None:
                return self._metrics_of(body.topic)
            return self._all_metrics()

    async def delete_topic_metrics(self, *, topic: str) -> None:
        with self._state.lock:
            self._catch_up()
            if self._mqtt.topic_metrics.pop(topic, None) is None:
                raise errors.topic_not_found("Topic not found", status=404)

    # -- Topic rewrite ----------------------------------------------------------------------

    def _rules(self) -> list[models.TopicRewriteRule]:
        return [models.TopicRewriteRule.model_validate(r) for r in self._mqtt.rewrite_rules]

    async def list_topic_rewrite_rules(self) -> list[models.TopicRewriteRule]:
        with self._state.lock:
            return self._rules()

    async def update_topic_rewrite_rules(
        self, *, body: list[models.TopicRewriteRule]
    ) -> list[models.TopicRewriteRule]:
        if len(body) >= MAX_REWRITE_RULES:
            raise errors.exceed_limit(f"Max rewrite rules count is {MAX_REWRITE_RULES}", status=413)
        rules = [rule.model_dump(mode="json", by_alias=True, exclude_unset=True) for rule in body]
        invalid: list[str] = []
        for rule in rules:
            if rule["action"] != "subscribe":
                try:
                    validate_name(rule["dest_topic"])
                except InvalidTopic:
                    invalid.insert(0, rule["dest_topic"])
        if invalid:
            shown = ",".join(f'<<"{t}">>' for t in invalid)
            raise errors.bad_request(
                f"Cannot use wildcard for destination topic. Invalid topics: [{shown}]",
                status=400,
            )
        for rule in rules:
            try:
                re.compile(rule["re"])
            except re.error as exc:
                raise errors.internal_error(
                    f"throw, #{{kind => validation_error, compile_error => {exc.msg!r}}}",
                    status=500,
                ) from None
        with self._state.lock:
            self._mqtt.rewrite_rules = rules
            return self._rules()
