"""Publish: messages published over HTTP, delivered to the matching subscriptions of the
seeded clients and kept in `backend.published`."""

from __future__ import annotations

import base64
import binascii

from ... import errors, models
from ..._responses import Answer
from ..common import topic as _topic
from ..state import State
from .state import PublishedMessage

MAX_PACKET_SIZE = 1024 * 1024  # mqtt.max_packet_size default (1MB)


class _Refused(Exception):
    """A message the broker will not publish; `message` is the broker's reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def answer(self) -> Answer:
        """EMQX's 400 for a refused publish: `{reason_code, message}`, not `{code, message}`
        (144 topic name invalid, 151 packet too large, 131 anything else)."""
        code = {"topic_name_invalid": 144, "packet_too_large": 151}.get(self.message, 131)
        return Answer(models.PublishError(reason_code=code, message=self.message), 400)


def _decode(body: models.PublishMessage) -> bytes:
    """The payload bytes, after the checks EMQX makes (topic name, Base64, size)."""
    if body.payload_encoding == models.PublishMessagePayloadEncoding.BASE64:
        try:
            payload = base64.b64decode(body.payload, validate=True)
        except (binascii.Error, ValueError):
            raise _Refused(f'{{decode_base64_payload_failed,<<"{body.payload}">>}}') from None
    else:
        payload = body.payload.encode("utf-8")
    try:
        _topic.validate_name(body.topic)
    except _topic.InvalidTopic:
        raise _Refused("topic_name_invalid") from None
    if len(payload) + len(body.topic.encode("utf-8")) > MAX_PACKET_SIZE:
        raise _Refused("packet_too_large")
    return payload


def retain(state: State, topic: str, payload: str, qos: int = 0) -> None:
    """Keep `payload` as the retained message of `topic`, as a retained publish over HTTP
    leaves it (nothing is delivered or counted); InvalidTopic for a bad topic name."""
    _topic.validate_name(topic)
    with state.lock:
        message = {"topic": topic, "payload": payload, "qos": qos, "retain": True}
        state.retained[topic] = PublishedMessage.model_validate(
            {**message, "id": state.message_ids.next()}
        )


class PublishApi:
    """PublishHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _deliver(
        self, body: models.PublishMessage, payload: bytes
    ) -> models.PublishResult | models.PublishError:
        state = self._state
        qos = int(body.qos) if body.qos is not None else 0
        msg_id = self._state.message_ids.next()
        receivers = state.subs.receivers(body.topic)
        size = len(payload) + len(body.topic.encode("utf-8")) + 4
        state.count("messages.received", f"messages.qos{qos}.received", "messages.publish")
        for sub in receivers:
            sub_qos = min(qos, sub.qos)
            state.count("messages.sent", f"messages.qos{sub_qos}.sent", "messages.delivered")
            state.count("packets.publish.sent", "packets.sent")
            state.count("bytes.sent", by=size)
            client = state.clients.get(sub.clientid)
            if client is not None:
                state.touch(sub.clientid)
                for name in ("send_msg", f"send_msg.qos{sub_qos}", "send_cnt", "send_pkt"):
                    client.counters[name] += 1
                client.counters["send_oct"] += size
        if not receivers:
            state.count("messages.dropped", "messages.dropped.no_subscribers")
        published = PublishedMessage.of(body, msg_id, len(receivers))
        state.published.append(published)
        if body.retain:
            if payload:
                state.retained[body.topic] = published
            else:
                state.retained.pop(body.topic, None)
        state.note_peaks()
        if not receivers:
            # EMQX still takes the message but answers 202 with reason code 16.
            return models.PublishError(reason_code=16, message="no_matching_subscribers")
        return models.PublishResult(id=msg_id)

    async def publish(self, *, body: models.PublishMessage) -> models.PublishResult | Answer:
        try:
            payload = _decode(body)
        except _Refused as refused:
            return refused.answer()
        with self._state.lock:
            outcome = self._deliver(body, payload)
        return outcome if isinstance(outcome, models.PublishResult) else Answer(outcome, 202)

    async def publish_bulk(
        self, *, body: list[models.PublishMessage]
    ) -> list[models.PublishResult] | Answer:
        if not body:
            # The broker fails on an empty batch (a typo in its error tuple).
            raise errors.internal_error("empty_batch", status=500)
        try:
            payloads = [_decode(message) for message in body]
        except _Refused as refused:
            return refused.answer()
        with self._state.lock:
            outcomes = [self._deliver(m, p) for m, p in zip(body, payloads, strict=True)]
        delivered = [o for o in outcomes if isinstance(o, models.PublishResult)]
        if len(delivered) == len(outcomes):
            return delivered
        return Answer(outcomes, 202)
