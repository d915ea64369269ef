"""The bans of the node, by kind and subject."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BanRecord:
    as_: str
    who: str
    by: str
    reason: str
    at: int
    until: int | None  # None: infinity
