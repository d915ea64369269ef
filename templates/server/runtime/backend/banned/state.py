"""The bans of the node, by kind and subject."""

from __future__ import annotations

from dataclasses import dataclass

BANNED_KINDS = ("clientid", "username", "peerhost", "clientid_re", "username_re", "peerhost_net")
# EMQX's MAXIMUM_EPOCH (emqx_utils_calendar.erl, v5.8.9): 9999-12-31T00:00:00Z, a day short
# of year 10000 so that the date shows in any UTC offset. A later time is refused.
MAX_EPOCH_S = 253_402_214_400


@dataclass
class BanRecord:
    as_: str
    who: str
    by: str
    reason: str
    at: int
    until: int | None  # None: infinity
