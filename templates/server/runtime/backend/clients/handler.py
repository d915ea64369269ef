"""Clients: seeding connected clients, listing and looking them up (by page or cursor),
kicking them out, subscribing or unsubscribing them on their behalf, and what their
sessions hold (see session_ops.py)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Literal

from ... import errors, models
from ..common import topic as _topic
from ..common.clock import now_ms, to_epoch_ms
from ..common.net import ntoa
from ..common.paging import MAX_LIMIT, paginate
from ..state import State
from ..subscriptions.format import format_subscription
from ..subscriptions.state import SubRecord
from .filters import ClientFilter, decode_cursor, encode_cursor
from .format import client_page, format_client
from .session_ops import SessionOpsMixin
from .state import ClientRecord

ConnState = Literal["connected", "idle", "disconnected"]


class NoLocalOnShared(ValueError):
    """No Local was asked for on a shared subscription [MQTT-3.8.3-4]."""


def seed_client(
    state: State,
    clientid: str,
    *,
    username: str | None = None,
    ip_address: str = "127.0.0.1",
    port: int | None = None,
    proto_ver: int = 5,
    proto_name: str = "MQTT",
    keepalive: int = 60,
    clean_start: bool = True,
    expiry_interval: int = 0,
    connected: bool = True,
    listener: str = "tcp:default",
    client_attrs: dict[str, str] | None = None,
    created_at: datetime | None = None,
) -> None:
    """Register a client as if it had connected (a new session replaces an old one)."""
    ip = ntoa(ip_address)
    now = now_ms()
    created = to_epoch_ms(created_at) if created_at is not None else now
    record = ClientRecord(
        clientid=clientid,
        username=username,
        ip_address=ip,
        port=port if port is not None else random.randint(49152, 65535),
        proto_name=proto_name,
        proto_ver=proto_ver,
        keepalive=keepalive,
        clean_start=clean_start,
        expiry_interval=expiry_interval,
        connected=connected,
        created_at=created,
        connected_at=max(created, now) if connected else created,
        disconnected_at=None if connected else now,
        listener=listener,
        mountpoint=None,
        is_bridge=False,
        client_attrs=dict(client_attrs or {}),
        peersni=None,
    )
    connect_size = 14 + len(clientid.encode()) + len((username or "").encode())
    record.counters.update(
        {"recv_cnt": 1, "recv_pkt": 1, "recv_oct": connect_size, "send_cnt": 1, "send_pkt": 1}
    )
    record.counters["send_oct"] = 4 if proto_ver < 5 else 8
    with state.lock:
        old = state.put_client(record)
        if clean_start or old is None:
            state.subs.reset(clientid)
            state.client_extras.drop(clientid)
            state.count("session.created")
        else:
            state.count("session.resumed")
        state.count("client.connect", "client.connack", "client.authenticate")
        state.count("client.auth.anonymous", "authentication.success")
        state.count("authentication.success.anonymous")
        state.count("packets.connect.received", "packets.connack.sent")
        state.count("packets.received", "packets.sent")
        state.count("bytes.received", by=connect_size)
        state.count("bytes.sent", by=record.counters["send_oct"])
        if connected:
            state.count("client.connected")
        state.current_stats()


def seed_subscription(
    state: State,
    clientid: str,
    topic: str,
    *,
    qos: int = 0,
    nl: int = 0,
    rap: int = 0,
    rh: int = 0,
    authorize: bool = True,
) -> SubRecord:
    """Add (or replace) a subscription of a known client. Raises KeyError for an unknown
    client, _topic.InvalidTopic for a bad filter and NoLocalOnShared. A subscription the
    client asked for itself (`authorize`) is checked, and the allow is cached; one made
    through the management API is not."""
    filter_, group = _topic.parse(topic)
    if group is not None and nl:
        raise NoLocalOnShared(topic)
    with state.lock:
        if clientid not in state.clients:
            raise KeyError(clientid)
        sub = SubRecord(clientid, topic, filter_, group, qos, nl, rap, rh)
        state.subs.add(sub)
        state.touch(clientid)
        if authorize:
            action = {"action_type": "subscribe", "qos": qos}
            state.client_extras.of(clientid).cache_authz(action, filter_, "allow", now_ms())
            state.count("client.authorize", "authorization.allow", "authorization.cache_miss")
        state.count("client.subscribe")
        state.current_stats()
        return sub


def _check_node(state: State, node: str | None) -> None:
    if node is not None and node != state.node:
        raise errors.node_down(f'bad rpc call {node}, Reason <<"invalid node">>', status=500)


class ClientsApi(SessionOpsMixin):
    """ClientsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def list_clients(
        self,
        *,
        clean_start: bool | None = None,
        clientid: list[str] | None = None,
        conn_state: ConnState | None = None,
        fields: list[models.ClientField] | None = None,
        gte_connected_at: int | str | None = None,
        gte_created_at: int | str | None = None,
        ip_address: str | None = None,
        like_clientid: str | None = None,
        like_username: str | None = None,
        limit: int = 100,
        lte_connected_at: int | str | None = None,
        lte_created_at: int | str | None = None,
        node: str | None = None,
        page: int = 1,
        proto_ver: int | None = None,
        username: list[str] | None = None,
    ) -> models.ClientPage:
        filters = ClientFilter(
            clean_start=clean_start,
            clientid=clientid,
            conn_state=conn_state,
            gte_connected_at=gte_connected_at,
            gte_created_at=gte_created_at,
            ip_address=ip_address,
            like_clientid=like_clientid,
            like_username=like_username,
            lte_connected_at=lte_connected_at,
            lte_created_at=lte_created_at,
            proto_ver=proto_ver,
            username=username,
        )
        with self._state.lock:
            matched = filters.select(list(self._state.clients.values()))
            _check_node(self._state, node)
            chunk, meta = paginate(matched, page, limit, with_count=not filters.fuzzy)
            return client_page(self._state, chunk, meta, fields)

    async def list_clients_v2(
        self,
        *,
        clean_start: bool | None = None,
        clientid: list[str] | None = None,
        conn_state: ConnState | None = None,
        cursor: str | None = None,
        fields: list[models.ClientField] | None = None,
        gte_connected_at: int | str | None = None,
        gte_created_at: int | str | None = None,
        ip_address: str | None = None,
        like_clientid: str | None = None,
        like_username: str | None = None,
        limit: int = 100,
        lte_connected_at: int | str | None = None,
        lte_created_at: int | str | None = None,
        proto_ver: int | None = None,
        username: list[str] | None = None,
    ) -> models.ClientCursorPage:
        del fields  # accepted, but the broker returns every property here
        if not 1 <= limit <= MAX_LIMIT:
            raise errors.bad_request(f"limit: must be between 1 and {MAX_LIMIT}", status=400)
        after = None if cursor is None else decode_cursor(cursor)
        filters = ClientFilter(
            clean_start=clean_start,
            clientid=clientid,
            conn_state=conn_state,
            gte_connected_at=gte_connected_at,
            gte_created_at=gte_created_at,
            ip_address=ip_address,
            like_clientid=like_clientid,
            like_username=like_username,
            lte_connected_at=lte_connected_at,
            lte_created_at=lte_created_at,
            proto_ver=proto_ver,
            username=username,
        )
        with self._state.lock:
            # The broker walks its client table, an ordered set keyed by client id.
            ordered = sorted(self._state.clients.values(), key=lambda c: c.clientid.encode())
            if after is not None:
                ordered = [c for c in ordered if c.clientid.encode() > after]
            matched = filters.select(ordered)
            chunk = matched[:limit]
            data = [format_client(self._state, c) for c in chunk]
        meta: dict[str, Any] = {"count": len(data)}
        if len(matched) > limit:
            meta["cursor"] = encode_cursor(chunk[-1].clientid)
        return models.ClientCursorPage.model_validate({"data": data, "meta": meta})

    async def get_client(self, *, clientid: str) -> models.Client:
        with self._state.lock:
            return format_client(self._state, self._client(clientid))

    def _kick(self, clientid: str) -> None:
        client = self._state.pop_client(clientid)
        assert client is not None
        dropped = self._state.subs.drop(clientid)
        self._state.client_extras.drop(clientid)
        self._state.count("client.unsubscribe", by=dropped)
        self._state.count("packets.disconnect.sent", "packets.sent", "session.terminated")
        if client.connected:
            self._state.count("client.disconnected")

    async def kick_client(self, *, clientid: str) -> None:
        with self._state.lock:
            self._client(clientid)
            self._kick(clientid)

    async def kick_clients(self, *, body: list[str]) -> None:
        with self._state.lock:
            for clientid in body:
                if clientid in self._state.clients:
                    self._kick(clientid)

    async def set_client_keepalive(
        self, *, clientid: str, body: models.ClientKeepaliveRequest
    ) -> models.Client:
        if body.interval is None:
            raise errors.bad_request("Interval Not Found", status=400)
        with self._state.lock:
            client = self._client(clientid)
            client.keepalive = body.interval
            self._state.touch(clientid)
            return format_client(self._state, client)

    async def get_sessions_count(self, *, since: int = 0) -> int:
        # Without session history (broker.session_history_retain = 0, the default),
        # `since` changes nothing: every registered session counts.
        if since < 0:
            raise errors.bad_request("since: must be a non-negative integer", status=400)
        with self._state.lock:
            return len(self._state.clients)

    async def list_client_subscriptions(self, *, clientid: str) -> list[models.Subscription]:
        with self._state.lock:
            self._client(clientid)
            subs = self._state.subs.of(clientid).values()
            return [format_subscription(self._state, s) for s in subs]

    def _subscribe(self, clientid: str, req: models.ClientSubscribeRequest) -> SubRecord:
        """Subscribe as the management API does (no authorization check); raises
        _topic.InvalidTopic or NoLocalOnShared."""
        qos = int(req.qos) if req.qos is not None else 0
        _topic.parse(req.topic)
        return seed_subscription(
            self._state,
            clientid,
            req.topic,
            qos=qos,
            nl=req.nl or 0,
            rap=req.rap or 0,
            rh=req.rh or 0,
            authorize=False,
        )

    async def subscribe_client(
        self, *, clientid: str, body: models.ClientSubscribeRequest
    ) -> models.Subscription:
        with self._state.lock:
            self._client(clientid)
            try:
                sub = self._subscribe(clientid, body)
            except _topic.InvalidTopic:
                message = f'{{invalid_topic_filter,<<"{body.topic}">>}}'
                raise errors.unknown_error(message, status=500) from None
            except NoLocalOnShared:
                message = (
                    "Invalid Subscribe options: `no_local` not allowed for shared-sub. "
                    "See [MQTT-3.8.3-4]"
                )
                raise errors.invalid_parameter(message, status=400) from None
        return format_subscription(self._state, sub, with_durable=False)

    async def subscribe_client_bulk(
        self, *, clientid: str, body: list[models.ClientSubscribeRequest]
    ) -> list[models.Subscription] | models.ClientSubscribeBulkResult:
        made: list[models.Subscription] = []
        failed: list[models.ClientSubscribeFailure] = []
        with self._state.lock:
            self._client(clientid)
            for req in body:
                try:
                    sub = self._subscribe(clientid, req)
                except (_topic.InvalidTopic, NoLocalOnShared) as exc:
                    reason = (
                        "invalid_subopts_nl"
                        if isinstance(exc, NoLocalOnShared)
                        else f'{{invalid_topic_filter,<<"{req.topic}">>}}'
                    )
                    opts = {"qos": int(req.qos), "nl": req.nl, "rap": req.rap, "rh": req.rh}
                    failed.append(
                        models.ClientSubscribeFailure(
                            data=[clientid, req.topic, opts], reason=reason
                        )
                    )
                    continue
                made.append(format_subscription(self._state, sub, with_durable=False))
        if failed:
            return models.ClientSubscribeBulkResult(succeed=made, failed=failed)
        return made

    async def unsubscribe_client(
        self, *, clientid: str, body: models.ClientUnsubscribeRequest
    ) -> None:
        item = models.ClientUnsubscribeBulkItem(topic=body.topic)
        await self.unsubscribe_client_bulk(clientid=clientid, body=[item])

    async def unsubscribe_client_bulk(
        self, *, clientid: str, body: list[models.ClientUnsubscribeBulkItem]
    ) -> None:
        with self._state.lock:
            self._client(clientid)
            for req in body:
                if req.topic is None:
                    continue
                if self._state.subs.remove(clientid, req.topic) is not None:
                    self._state.count("client.unsubscribe")
                    self._state.touch(clientid)
