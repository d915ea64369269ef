"""The query-string filters of `GET /gateways/{name}/clients`, as EMQX's query helper
applies them: exact matches, `like_*` substrings (dropped when the exact filter on the same
field is given), and `gte_*`/`lte_*` ranges.

A value the helper cannot convert (an IP address, a lifetime) is not a 400: the cluster
query reports it as a failed node (500 NODE_DOWN); with `node` it escapes as 500
UNKNOWN_ERROR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ... import errors
from ..common.clock import time_filter_ms
from ..common.net import ntoa
from .state import GatewayClient

Check = Callable[[GatewayClient], bool]


@dataclass
class GatewayClientQuery:
    """The filters by their query names; None: not given."""

    node: str | None = None
    clientid: str | None = None
    username: str | None = None
    ip_address: str | None = None
    conn_state: str | None = None
    proto_ver: str | None = None
    clean_start: bool | None = None
    like_clientid: str | None = None
    like_username: str | None = None
    gte_created_at: int | str | None = None
    lte_created_at: int | str | None = None
    gte_connected_at: int | str | None = None
    lte_connected_at: int | str | None = None
    endpoint_name: str | None = None
    like_endpoint_name: str | None = None
    gte_lifetime: str | None = None
    lte_lifetime: str | None = None

    def fuzzy(self) -> dict[str, str]:
        """The substring filters in force: a `like_*` filter is dropped when the exact
        filter on the same field is given."""
        pairs = {
            "clientid": (self.clientid, self.like_clientid),
            "username": (self.username, self.like_username),
            "endpoint_name": (self.endpoint_name, self.like_endpoint_name),
        }
        return {k: like for k, (exact, like) in pairs.items() if like is not None and exact is None}


def _unconvertible(query: GatewayClientQuery, key: str, kind: str, value: str) -> errors.ApiError:
    term = f'{{<<"{key}">>,{kind},<<"{value}">>}}'
    if query.node is not None:
        return errors.unknown_error(f"{{bad_value_type,{term}}}", status=500)
    return errors.node_down(f"bad rpc call invalid_query_string_param, Reason {term}")


def _lifetime(query: GatewayClientQuery, key: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise _unconvertible(query, key, "integer", value) from None


def _equal(key: str, wanted: Any) -> Check:
    return lambda c: bool(getattr(c, key) == wanted)


def _at_least(key: str, bound: Any) -> Check:
    return lambda c: getattr(c, key) is not None and bool(getattr(c, key) >= bound)


def _at_most(key: str, bound: Any) -> Check:
    return lambda c: getattr(c, key) is not None and bool(getattr(c, key) <= bound)


def _fuzzy(key: str, text: str) -> Check:
    def check(c: GatewayClient) -> bool:
        value: Any = getattr(c, key)
        return text in (value or "")

    return check


def checks(query: GatewayClientQuery) -> list[Check]:
    """One predicate per given filter (raising the broker's error for bad values)."""
    out: list[Check] = []
    exact: dict[str, Any] = {
        "clientid": query.clientid,
        "username": query.username,
        "proto_ver": query.proto_ver,
        "clean_start": query.clean_start,
        "endpoint_name": query.endpoint_name,
    }
    for key, wanted in exact.items():
        if wanted is not None:
            out.append(_equal(key, wanted))
    if query.ip_address is not None:
        try:
            address = ntoa(query.ip_address)
        except ValueError:
            raise _unconvertible(query, "ip_address", "ip", query.ip_address) from None
        out.append(lambda c: c.ip_address == address)
    if query.conn_state is not None:
        state = query.conn_state
        out.append(lambda c: ("connected" if c.connected else "disconnected") == state)
    for key, text in query.fuzzy().items():
        out.append(_fuzzy(key, text))
    for field_ in ("created_at", "connected_at"):
        low = getattr(query, f"gte_{field_}")
        high = getattr(query, f"lte_{field_}")
        if low is not None:
            out.append(_at_least(field_, time_filter_ms(f"gte_{field_}", low)))
        if high is not None:
            out.append(_at_most(field_, time_filter_ms(f"lte_{field_}", high)))
    if query.gte_lifetime is not None:
        out.append(_at_least("lifetime", _lifetime(query, "gte_lifetime", query.gte_lifetime)))
    if query.lte_lifetime is not None:
        out.append(_at_most("lifetime", _lifetime(query, "lte_lifetime", query.lte_lifetime)))
    return out
