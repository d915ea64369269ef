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
        """`body` (a validated PublishMessage) with its id and delivery count, its fields
        taken as they are rather than validated again: what `model_validate` of its
        fields would make (the same values, the same fields set), in half the time."""
        message = cls.__new__(cls)
        fields = {**body.__dict__, "id": msg_id, "delivered": delivered}
        object.__setattr__(message, "__dict__", fields)
        object.__setattr__(
            message, "__pydantic_fields_set__", body.model_fields_set | {"id", "delivered"}
        )
        object.__setattr__(message, "__pydantic_extra__", None)
        object.__setattr__(message, "__pydantic_private__", None)
        return message


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
