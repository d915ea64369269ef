"""The bans of the node, by kind and subject."""

from __future__ import annotations

from dataclasses import dataclass

BANNED_KINDS = ("clientid", "username", "peerhost", "clientid_re", "username_re", "peerhost_net")


@dataclass
class BanRecord:
    as_: str
    who: str
    by: str
    reason: str
    at: int
    until: int | None  # None: infinity
