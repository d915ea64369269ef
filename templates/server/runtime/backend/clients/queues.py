"""What a client's in-memory session holds besides its subscriptions: the in-flight
window, the message queue and the authorization cache, with EMQX's position paging of
the two message lists and its payload budget."""

from __future__ import annotations

import base64
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

INFLIGHT_MAX = 32  # mqtt.max_inflight default
MQUEUE_MAX = 1000  # mqtt.max_mqueue_len default
AUTHZ_CACHE_MAX = 32  # authorization.cache.max_size default
AUTHZ_CACHE_TTL_MS = 60_000  # authorization.cache.ttl default (1m)

_BYTESIZE = re.compile(r"^\s*([0-9]+)(b|B|kb|KB|mb|MB|gb|GB)?$")
_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


class BadPosition(ValueError):
    """A `position` that does not decode (EMQX: `position_limit_invalid`)."""


class NotSerializable(ValueError):
    """A payload asked for as text that is not valid UTF-8."""


@dataclass
class SessionMessage:
    """A message held by a session: in flight (sent, unacknowledged) or queued."""

    msgid: str
    topic: str
    qos: int
    payload: bytes
    publish_at: int  # ms
    from_clientid: str
    from_username: str | None
    inserted_at: int  # ns, unique per session
    priority: float = 0  # math.inf for `infinity`


@dataclass
class AuthzEntry:
    action: dict[str, Any]
    topic: str
    result: str
    cached_at: int  # ms


@dataclass
class SessionExtras:
    inflight: list[SessionMessage] = field(default_factory=list)
    mqueue: list[SessionMessage] = field(default_factory=list)
    mqueue_dropped: int = 0
    authz: dict[tuple[str, str], AuthzEntry] = field(default_factory=dict)
    last_ts: int = 0

    def stamp(self) -> int:
        """A fresh insertion time in nanoseconds, strictly increasing per session."""
        self.last_ts = max(time.time_ns(), self.last_ts + 1)
        return self.last_ts

    def cache_authz(self, action: dict[str, Any], topic: str, result: str, now: int) -> None:
        """Cache a decision as the broker does: newest last; when full, expired entries go
        first, else the oldest one."""
        key = (repr(sorted(action.items())), topic)
        self.authz.pop(key, None)
        if len(self.authz) >= AUTHZ_CACHE_MAX:
            newest = max(e.cached_at for e in self.authz.values())
            if newest + AUTHZ_CACHE_TTL_MS <= now:
                self.authz.clear()
            else:
                del self.authz[next(iter(self.authz))]
        self.authz[key] = AuthzEntry(dict(action), topic, result, now)

    def live_authz(self, now: int) -> list[AuthzEntry]:
        """The cache after dropping expired entries (oldest first, like the broker)."""
        for key, entry in list(self.authz.items()):
            if entry.cached_at + AUTHZ_CACHE_TTL_MS > now:
                break
            del self.authz[key]
        return list(self.authz.values())


@dataclass
class ClientExtras:
    """Per client id: the session contents the shared State does not model."""

    sessions: dict[str, SessionExtras] = field(default_factory=dict)

    def of(self, clientid: str) -> SessionExtras:
        return self.sessions.setdefault(clientid, SessionExtras())

    def drop(self, clientid: str) -> None:
        self.sessions.pop(clientid, None)


def parse_bytesize(text: str) -> int | None:
    """`1MB`, `64kb`, `512`... as bytes (1024-based units); None when not a byte size."""
    match = _BYTESIZE.match(text)
    if match is None:
        return None
    return int(match.group(1)) * _UNITS[(match.group(2) or "b").lower()]


def _priority_text(priority: float) -> str:
    return "infinity" if priority == math.inf else str(int(priority))


def _inflight_pos(msg: SessionMessage) -> str:
    return str(msg.inserted_at)


def _mqueue_pos(msg: SessionMessage) -> str:
    return f"{msg.inserted_at}_{_priority_text(msg.priority)}"


def _decode_int(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise BadPosition(text)
    return int(text)


def inflight_query(
    msgs: list[SessionMessage], position: str | None, limit: int
) -> tuple[list[SessionMessage], dict[str, str]]:
    """A chunk of the in-flight window (oldest first) after `position`, and its meta."""
    ordered = sorted(msgs, key=lambda m: m.inserted_at)
    after = None if position in (None, "none") else _decode_int(str(position))
    rest = ordered if after is None else [m for m in ordered if m.inserted_at > after]
    chunk = rest[:limit]
    start = _inflight_pos(ordered[0]) if ordered else "none"
    if chunk:
        next_pos = _inflight_pos(chunk[-1])
    else:
        next_pos = "none" if after is None else str(after)
    return chunk, {"start": start, "position": next_pos}


def _decode_mqueue_pos(text: str) -> tuple[int, float]:
    ts, sep, prio = text.partition("_")
    if not sep:
        raise BadPosition(text)
    return _decode_int(ts), math.inf if prio == "infinity" else _decode_int(prio)


def mqueue_query(
    msgs: list[SessionMessage], position: str | None, limit: int
) -> tuple[list[SessionMessage], dict[str, str]]:
    """A chunk of the queue after `position`: priority queues from the highest down,
    oldest first within each, skipped as the broker skips them."""
    pos = None if position in (None, "none") else _decode_mqueue_pos(str(position))
    queues: dict[float, list[SessionMessage]] = {}
    for msg in sorted(msgs, key=lambda m: m.inserted_at):
        queues.setdefault(msg.priority, []).append(msg)
    ordered = sorted(queues.items(), key=lambda kv: -kv[0])
    start = _mqueue_pos(ordered[0][1][0]) if ordered else "none"
    if pos is not None:
        ordered = [(p, q) for p, q in ordered if p <= pos[1]]
        if ordered:
            prio, first = ordered[0]
            ordered[0] = (prio, [m for m in first if m.inserted_at > pos[0]])
    chunk: list[SessionMessage] = []
    next_pos = "none" if pos is None else f"{pos[0]}_{_priority_text(pos[1])}"
    for _prio, queue in ordered:
        taken = queue[: limit - len(chunk)]
        if taken:
            chunk.extend(taken)
            next_pos = _mqueue_pos(taken[-1])
        if len(chunk) >= limit:
            break
    return chunk, {"start": start, "position": next_pos}


def format_messages(
    msgs: list[SessionMessage], payload: str, max_bytes: int, *, queued: bool
) -> list[dict[str, Any]]:
    """The messages as the broker lists them: the first always, then as many as fit the
    payload budget (the rest are left out without notice)."""
    out: list[dict[str, Any]] = []
    total = 0
    for msg in msgs:
        item: dict[str, Any] = {
            "msgid": msg.msgid,
            "qos": msg.qos,
            "topic": msg.topic,
            "publish_at": msg.publish_at,
            "from_clientid": msg.from_clientid,
            "from_username": msg.from_username,
            "inserted_at": str(msg.inserted_at),
        }
        if queued:
            prio = msg.priority
            item["mqueue_priority"] = "infinity" if prio == math.inf else int(prio)
        if payload == "base64":
            item["payload"] = base64.b64encode(msg.payload).decode("ascii")
        elif payload == "plain":
            item["payload"] = msg.payload
        size = len(item.get("payload", b""))
        if out and total + size > max_bytes:
            break
        total += size
        out.append(item)
    for item in out:  # the whole answer is encoded at once, after the budget is applied
        if isinstance(item.get("payload"), bytes):
            try:
                item["payload"] = item["payload"].decode("utf-8")
            except UnicodeDecodeError:
                raise NotSerializable(item["msgid"]) from None
    return out
