"""Clock helpers: epoch milliseconds and seconds, and the node's local RFC 3339 times."""

from __future__ import annotations

import time
from datetime import datetime

from ... import errors


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


def time_filter_ms(name: str, value: int | str | None) -> int | None:
    """A time filter as epoch milliseconds: given so, or as an RFC 3339 date-time."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = f"{name}: {value!r} is neither epoch milliseconds nor an RFC 3339 date-time"
        raise errors.bad_request(message, status=400) from None
    return to_epoch_ms(moment if moment.tzinfo else moment.astimezone())
