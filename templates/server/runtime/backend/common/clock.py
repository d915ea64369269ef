"""Clock helpers: epoch milliseconds and seconds, and the node's local RFC 3339 times."""

from __future__ import annotations

import json
import time
from datetime import datetime

from ... import errors

# EMQX's MAXIMUM_EPOCH (emqx_utils_calendar.erl, v5.8.9): 9999-12-31T00:00:00Z, a day short
# of year 10000 so that the date shows in any UTC offset. Its `epoch_second()` type (a ban's
# `at`/`until`, a trace's `start_at`/`end_at`, an API key's `expired_at`) takes no later time.
MAX_EPOCH_S = 253_402_214_400


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


def epoch_s(name: str, value: datetime | int | str) -> int:
    """A request's `epoch_second()` value (a date-time, a number, a string of digits) as
    epoch seconds. Before 1970 or past MAX_EPOCH_S it is refused as EMQX's schema check
    refuses it, 400 BAD_REQUEST `bad_epoch`, before the handler changes anything."""
    shown: int | str = value.isoformat() if isinstance(value, datetime) else value
    seconds = to_epoch_s(value) if isinstance(value, datetime) else int(value)
    if not 0 <= seconds <= MAX_EPOCH_S:
        detail = {"kind": "validation_error", "path": name, "reason": "bad_epoch", "value": shown}
        raise errors.bad_request(json.dumps(detail, separators=(",", ":")), status=400)
    return seconds


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
