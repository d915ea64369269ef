"""Clock helpers: epoch milliseconds and seconds, and the node's local RFC 3339 times."""

from __future__ import annotations

import time
from datetime import datetime


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def now_s() -> int:
    return time.time_ns() // 1_000_000_000


def dt_ms(ms: int) -> datetime:
    """An aware datetime in the node's time zone, to the millisecond (as EMQX shows times)."""
    return (
        datetime.fromtimestamp(ms // 1000, tz=None)
        .astimezone()
        .replace(microsecond=(ms % 1000) * 1000)
    )


def dt_s(seconds: int) -> datetime:
    """An aware datetime in the node's time zone, to the second."""
    return datetime.fromtimestamp(seconds).astimezone()


def to_epoch_s(value: datetime) -> int:
    return int(value.timestamp())


def to_epoch_ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)
