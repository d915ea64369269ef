"""The query-string filters of the client listings (`GET /clients`, `GET /clients_v2`),
and the opaque cursor of the second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ... import errors
from ..common.clock import time_filter_ms
from ..common.net import ntoa
from .state import ClientRecord

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CURSOR_TAG = b"\x01v1:"


@dataclass
class ClientFilter:
    """The filters, combined with AND; exact ids/names take precedence over `like_*`."""

    clean_start: bool | None = None
    clientid: list[str] | None = None
    conn_state: Literal["connected", "idle", "disconnected"] | None = None
    gte_connected_at: int | str | None = None
    gte_created_at: int | str | None = None
    ip_address: str | None = None
    like_clientid: str | None = None
    like_username: str | None = None
    lte_connected_at: int | str | None = None
    lte_created_at: int | str | None = None
    proto_ver: int | None = None
    username: list[str] | None = None

    @property
    def fuzzy(self) -> bool:
        """Whether a substring filter applies (the broker then leaves `count` out)."""
        like_id = self.like_clientid is not None and not self.clientid
        like_name = self.like_username is not None and not self.username
        return like_id or like_name

    def select(self, clients: list[ClientRecord]) -> list[ClientRecord]:
        """The matching clients, in the given order (the same list when no filter is
        given). Raises the broker's 400 answers."""
        ip: str | None = None
        if self.ip_address is not None:
            try:
                ip = ntoa(self.ip_address)
            except ValueError:
                message = (
                    "the ip_address parameter expected type is ip, "
                    f"but the value is {self.ip_address}"
                )
                raise errors.invalid_parameter(message, status=400) from None
        gte_created = time_filter_ms("gte_created_at", self.gte_created_at)
        lte_created = time_filter_ms("lte_created_at", self.lte_created_at)
        gte_connected = time_filter_ms("gte_connected_at", self.gte_connected_at)
        lte_connected = time_filter_ms("lte_connected_at", self.lte_connected_at)
        checks: list[Callable[[ClientRecord], bool]] = []
        if self.clientid is not None:
            ids = set(self.clientid)
            checks.append(lambda c: c.clientid in ids)
        elif self.like_clientid is not None:
            like_id = self.like_clientid
            checks.append(lambda c: like_id in c.clientid)
        if self.username is not None:
            names = set(self.username)
            checks.append(lambda c: c.username is not None and c.username in names)
        elif self.like_username is not None:
            like_name = self.like_username
            checks.append(lambda c: like_name in (c.username or ""))
        if ip is not None:
            checks.append(lambda c: c.ip_address == ip)
        if self.conn_state is not None:
            want = self.conn_state
            checks.append(lambda c: want == ("connected" if c.connected else "disconnected"))
        if self.clean_start is not None:
            clean = self.clean_start
            checks.append(lambda c: c.clean_start == clean)
        if self.proto_ver is not None:
            ver = self.proto_ver
            checks.append(lambda c: c.proto_ver == ver)
        if gte_created is not None:
            checks.append(lambda c: c.created_at >= gte_created)
        if lte_created is not None:
            checks.append(lambda c: c.created_at <= lte_created)
        if gte_connected is not None:
            checks.append(lambda c: c.connected_at >= gte_connected)
        if lte_connected is not None:
            checks.append(lambda c: c.connected_at <= lte_connected)
        if not checks:
            return clients
        return [c for c in clients if all(check(c) for check in checks)]


def encode_cursor(last_clientid: str) -> str:
    """An opaque, Base62 cursor: where the walk of the client table resumes (after this
    client id, as the broker's table continuation does)."""
    value = int.from_bytes(_CURSOR_TAG + last_clientid.encode("utf-8"), "big")
    digits = ""
    while value:
        value, rest = divmod(value, 62)
        digits = _B62[rest] + digits
    return digits


def decode_cursor(cursor: str) -> bytes:
    """The client id (as bytes) a cursor resumes after; 400 `bad cursor` otherwise."""
    value = 0
    for char in cursor:
        if char not in _B62:
            raise errors.bad_request("bad cursor", status=400)
        value = value * 62 + _B62.index(char)
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    if not raw.startswith(_CURSOR_TAG):
        raise errors.bad_request("bad cursor", status=400)
    return raw[len(_CURSOR_TAG) :]
