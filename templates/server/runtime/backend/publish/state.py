"""The messages published through the API and the node's message ids."""

from __future__ import annotations

import base64
import hashlib
import itertools
import time

from ... import models


class PublishedMessage(models.PublishMessage):
    """A message published through the API: the PublishMessage as received, with the id
    the stub answered and the number of subscriptions it was delivered to."""

    id: str
    delivered: int = 0

    @classmethod
    def of(cls, body: models.PublishMessage, msg_id: str, delivered: int) -> PublishedMessage:
        """`body` (a validated PublishMessage) with its id and delivery count: the fields
        the caller set, as objects (nested models are taken as they are, not dumped and
        validated again), so the record has the same values and the same fields set."""
        sent = {name: body.__dict__[name] for name in body.model_fields_set}
        return cls.model_validate({**sent, "id": msg_id, "delivered": delivered})


class MessageIds:
    """EMQX GUIDs: 64-bit microsecond timestamp, 48-bit node part, 16-bit sequence, in
    32 upper-case hexadecimal digits."""

    def __init__(self, node: str) -> None:
        self._node = int.from_bytes(hashlib.sha1(node.encode()).digest()[:6], "big")
        self._seq = itertools.count()
        self._last = 0

    def next(self) -> str:
        ts = max(time.time_ns() // 1000, self._last)
        self._last = ts
        guid = (ts << 64) | (self._node << 16) | (next(self._seq) & 0xFFFF)
        return f"{guid:032X}"


HTTP_PUBLISHER = "http_api"  # the `from` of messages published over HTTP


def published_ms(message: PublishedMessage) -> int:
    """When the broker took the message: the timestamp inside its GUID, in milliseconds."""
    return (int(message.id, 16) >> 64) // 1000


def payload_bytes(message: models.PublishMessage) -> bytes:
    if message.payload_encoding == models.PublishMessagePayloadEncoding.BASE64:
        return base64.b64decode(message.payload)
    return message.payload.encode("utf-8")
