"""Durations as the raw configuration writes them (`1500`, `1s`, `1m30s`), in milliseconds."""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w))+\s*$", re.IGNORECASE)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)", re.IGNORECASE)


_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


def duration_ms(value: Any) -> int:
    """A duration of the raw configuration in milliseconds; ValueError if it is not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(value)
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if _DURATION.match(text):
            return int(sum(float(n) * _UNIT_MS[u.lower()] for n, u in _DURATION_PART.findall(text)))
    raise ValueError(value)
