"""STATE DOC"""

from __future__ import annotations

import hashlib
import itertools
import time

from ... import models


class PublishedMessage(models.PublishMessage):
    """A message published through the API: the PublishMessage as received, with the id
    the stub answered and the number of subscriptions it was delivered to."""

    id: str
    delivered: int = 0


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
