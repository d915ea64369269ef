"""The Clients operations on what a session holds (authorization cache, in-flight window,
message queue), and the seeding helpers that fill it, as a mixin of ClientsApi."""

from __future__ import annotations

from typing import Any, Literal

from ... import errors, models
from ..common import topic as _topic
from ..common.clock import now_ms
from ..common.paging import MAX_LIMIT
from ..state import State
from .queues import (
    INFLIGHT_MAX,
    MQUEUE_MAX,
    BadPosition,
    NotSerializable,
    SessionMessage,
    format_messages,
    inflight_query,
    mqueue_query,
    parse_bytesize,
)
from .state import ClientRecord

_CLIENT_NOT_FOUND = "Client ID not found"
PayloadMode = Literal["none", "base64", "plain"]


class SessionOpsMixin:
    """Needs `_state` and `_client()` from the class it is mixed into."""

    _state: State

    def _client(self, clientid: str) -> ClientRecord:
        client = self._state.clients.get(clientid)
        if client is None:
            raise errors.clientid_not_found(_CLIENT_NOT_FOUND, status=404)
        return client

    # -- Seeding (reach them as `backend.handlers().clients`) ----------------------------

    def deliver(
        self,
        clientid: str,
        topic: str,
        payload: bytes | str = b"",
        *,
        qos: int = 1,
        from_clientid: str = "publisher",
        from_username: str | None = None,
        priority: float = 0,
    ) -> str:
        """Hand a message to a seeded client's session as the broker would: QoS 1/2 to a
        connected client goes in flight while the window has room, QoS 0 to a connected
        client is sent at once, anything else is queued (the oldest message of the same
        priority is dropped when the queue is full). Returns `inflight`, `sent` or
        `mqueue`; KeyError for an unknown client."""
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        with self._state.lock:
            client = self._state.clients[clientid]
            session = self._state.client_extras.of(clientid)
            if client.connected and qos == 0:
                return "sent"
            self._state.touch(clientid)
            msg = SessionMessage(
                msgid=self._state.message_ids.next(),
                topic=topic,
                qos=qos,
                payload=data,
                publish_at=now_ms(),
                from_clientid=from_clientid,
                from_username=from_username,
                inserted_at=session.stamp(),
                priority=priority,
            )
            if client.connected and len(session.inflight) < INFLIGHT_MAX:
                session.inflight.append(msg)
                return "inflight"
            same = [m for m in session.mqueue if m.priority == priority]
            if len(session.mqueue) >= MQUEUE_MAX and same:
                session.mqueue.remove(same[0])
                session.mqueue_dropped += 1
                self._state.count("delivery.dropped", "delivery.dropped.queue_full")
            session.mqueue.append(msg)
            return "mqueue"

    def cache_authz(
        self,
        clientid: str,
        action_type: Literal["publish", "subscribe"],
        topic: str,
        *,
        result: Literal["allow", "deny"] = "allow",
        qos: int = 0,
        retain: bool = False,
    ) -> None:
        """Record an authorization decision in a seeded client's cache, as a PUBLISH or
        SUBSCRIBE checked by the broker would (KeyError for an unknown client)."""
        action: dict[str, Any] = {"action_type": action_type, "qos": qos}
        if action_type == "publish":
            action["retain"] = retain
        real, _group = _topic.parse(topic) if action_type == "subscribe" else (topic, None)
        with self._state.lock:
            if clientid not in self._state.clients:
                raise KeyError(clientid)
            self._state.client_extras.of(clientid).cache_authz(action, real, result, now_ms())
            self._state.count("client.authorize", f"authorization.{result}")

    # -- Operations ---------------------------------------------------------------------

    async def list_client_authz_cache(self, *, clientid: str) -> list[models.ClientAuthzCacheEntry]:
        with self._state.lock:
            self._client(clientid)
            entries = self._state.client_extras.of(clientid).live_authz(now_ms())
            return [
                models.ClientAuthzCacheEntry.model_validate(
                    {
                        "access": e.action,
                        "topic": e.topic,
                        "result": e.result,
                        "updated_time": e.cached_at,
                    }
                )
                for e in entries
            ]

    async def clear_client_authz_cache(self, *, clientid: str) -> None:
        with self._state.lock:
            self._client(clientid)
            self._state.client_extras.of(clientid).authz.clear()

    def _messages(
        self,
        clientid: str,
        *,
        queued: bool,
        limit: int,
        max_payload_bytes: str,
        payload: PayloadMode,
        position: str | None,
    ) -> dict[str, Any]:
        if not 1 <= limit <= MAX_LIMIT:
            raise errors.bad_request(f"limit: must be between 1 and {MAX_LIMIT}", status=400)
        budget = parse_bytesize(max_payload_bytes)
        if budget is None or budget <= 0:
            message = f"max_payload_bytes: {max_payload_bytes!r} is not a byte size above 0"
            raise errors.bad_request(message, status=400)
        with self._state.lock:
            self._client(clientid)
            session = self._state.client_extras.of(clientid)
            try:
                if queued:
                    chunk, meta = mqueue_query(session.mqueue, position, limit)
                else:
                    chunk, meta = inflight_query(session.inflight, position, limit)
            except BadPosition:
                raise errors.invalid_parameter("position_limit_invalid", status=400) from None
            try:
                data = format_messages(chunk, payload, budget, queued=queued)
            except NotSerializable:
                message = "Some message payloads are not JSON serializable"
                raise errors.invalid_parameter(message, status=400) from None
        return {"data": data, "meta": meta}

    async def list_client_inflight_messages(
        self,
        *,
        clientid: str,
        limit: int = 100,
        max_payload_bytes: str = "1MB",
        payload: PayloadMode = "base64",
        position: str | None = None,
    ) -> models.ClientInflightPage:
        body = self._messages(
            clientid,
            queued=False,
            limit=limit,
            max_payload_bytes=max_payload_bytes,
            payload=payload,
            position=position,
        )
        return models.ClientInflightPage.model_validate(body)

    async def list_client_mqueue_messages(
        self,
        *,
        clientid: str,
        limit: int = 100,
        max_payload_bytes: str = "1MB",
        payload: PayloadMode = "base64",
        position: str | None = None,
    ) -> models.ClientMqueuePage:
        body = self._messages(
            clientid,
            queued=True,
            limit=limit,
            max_payload_bytes=max_payload_bytes,
            payload=payload,
            position=position,
        )
        return models.ClientMqueuePage.model_validate(body)
