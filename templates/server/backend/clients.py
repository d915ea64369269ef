"""Clients: seeding connected clients, listing and looking them up, kicking them out, and
subscribing or unsubscribing them on their behalf."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Literal

from .. import errors, models
from . import _topic
from ._net import ntoa
from ._paging import paginate
from ._state import ClientRecord, State, SubRecord
from ._time import dt_ms, now_ms, to_epoch_ms

_CLIENT_NOT_FOUND = "Client ID not found"


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
        old = state.clients.pop(clientid, None)
        if clean_start or old is None:
            state.subscriptions[clientid] = {}
            state.count("session.created")
        else:
            state.count("session.resumed")
        state.clients[clientid] = record
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
    state: State, clientid: str, topic: str, *, qos: int = 0, nl: int = 0, rap: int = 0, rh: int = 0
) -> SubRecord:
    """Add (or replace) a subscription of a known client. Raises KeyError for an unknown
    client, _topic.InvalidTopic for a bad filter and NoLocalOnShared."""
    filter_, group = _topic.parse(topic)
    if group is not None and nl:
        raise NoLocalOnShared(topic)
    with state.lock:
        if clientid not in state.clients:
            raise KeyError(clientid)
        sub = SubRecord(clientid, topic, filter_, group, qos, nl, rap, rh)
        state.subscriptions.setdefault(clientid, {})[topic] = sub
        state.count("client.subscribe")
        state.current_stats()
        return sub


def format_subscription(
    state: State, sub: SubRecord, *, with_durable: bool = True
) -> models.Subscription:
    data: dict[str, Any] = {
        "topic": _topic.share_topic(sub.filter, sub.group),
        "clientid": sub.clientid,
        "node": state.node,
        "qos": sub.qos,
        "nl": sub.nl,
        "rap": sub.rap,
        "rh": sub.rh,
    }
    if with_durable:
        data["durable"] = False
    return models.Subscription.model_validate(data)


def _format_client(state: State, client: ClientRecord) -> dict[str, Any]:
    subs = state.subscriptions.get(client.clientid, {})
    info: dict[str, Any] = {
        "clientid": client.clientid,
        "username": client.username,
        "node": state.node,
        "ip_address": client.ip_address,
        "port": client.port,
        "proto_name": client.proto_name,
        "proto_ver": client.proto_ver,
        "keepalive": client.keepalive,
        "clean_start": client.clean_start,
        "connected": client.connected,
        "is_expired": False,
        "created_at": dt_ms(client.created_at),
        "connected_at": dt_ms(client.connected_at),
        "expiry_interval": client.expiry_interval,
        "listener": client.listener,
        "mountpoint": client.mountpoint,
        "is_bridge": client.is_bridge,
        "is_persistent": False,
        "durable": False,
        "enable_authn": True,
        "client_attrs": dict(client.client_attrs),
        "peersni": client.peersni,
        "auth_expire_at": None,
        "heap_size": 610 + 40 * len(subs),
        "mailbox_len": 0,
        "reductions": 9000 + 350 * sum(client.counters.values()),
        "subscriptions_cnt": len(subs),
        "subscriptions_max": "infinity",
        "inflight_cnt": 0,
        "inflight_max": 32,
        "mqueue_len": 0,
        "mqueue_max": 1000,
        "mqueue_dropped": 0,
        "awaiting_rel_cnt": 0,
        "awaiting_rel_max": 100,
    }
    if client.disconnected_at is not None:
        info["disconnected_at"] = dt_ms(client.disconnected_at)
    for direction in ("recv", "send"):
        for name in ("cnt", "oct", "pkt", "msg"):
            info[f"{direction}_{name}"] = client.counters[f"{direction}_{name}"]
        for qos in ("qos0", "qos1", "qos2", "dropped"):
            info[f"{direction}_msg.{qos}"] = client.counters[f"{direction}_msg.{qos}"]
    info["recv_msg.dropped.await_pubrel_timeout"] = 0
    for reason in ("expired", "queue_full", "too_large"):
        info[f"send_msg.dropped.{reason}"] = 0
    return info


def format_client(
    state: State, client: ClientRecord, fields: list[models.ClientField] | None = None
) -> models.Client:
    info = _format_client(state, client)
    if fields and models.ClientField.ALL not in fields:
        wanted = {str(f.value) for f in fields}
        info = {k: v for k, v in info.items() if k in wanted}
    return models.Client.model_validate(info)


def _time_ms(name: str, value: int | str | None) -> int | None:
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


def _check_node(state: State, node: str | None) -> None:
    if node is not None and node != state.node:
        raise errors.node_down(f'bad rpc call {node}, Reason <<"invalid node">>', status=500)


class ClientsApi:
    """ClientsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _client(self, clientid: str) -> ClientRecord:
        client = self._state.clients.get(clientid)
        if client is None:
            raise errors.clientid_not_found(_CLIENT_NOT_FOUND, status=404)
        return client

    async def list_clients(
        self,
        *,
        clean_start: bool | None = None,
        clientid: list[str] | None = None,
        conn_state: Literal["connected", "idle", "disconnected"] | None = None,
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
        ip: str | None = None
        if ip_address is not None:
            try:
                ip = ntoa(ip_address)
            except ValueError:
                message = (
                    f"the ip_address parameter expected type is ip, but the value is {ip_address}"
                )
                raise errors.invalid_parameter(message, status=400) from None
        _check_node(self._state, node)
        like_clientid = None if clientid else like_clientid
        like_username = None if username else like_username
        bounds = [
            (
                "created_at",
                _time_ms("gte_created_at", gte_created_at),
                _time_ms("lte_created_at", lte_created_at),
            ),
            (
                "connected_at",
                _time_ms("gte_connected_at", gte_connected_at),
                _time_ms("lte_connected_at", lte_connected_at),
            ),
        ]

        def keep(c: ClientRecord) -> bool:
            state_of = "connected" if c.connected else "disconnected"
            checks = [
                clientid is None or c.clientid in clientid,
                username is None or (c.username is not None and c.username in username),
                ip is None or c.ip_address == ip,
                conn_state is None or conn_state == state_of,
                clean_start is None or c.clean_start == clean_start,
                proto_ver is None or c.proto_ver == proto_ver,
                like_clientid is None or like_clientid in c.clientid,
                like_username is None or like_username in (c.username or ""),
            ]
            for attr, low, high in bounds:
                value: int = getattr(c, attr)
                checks.append(low is None or value >= low)
                checks.append(high is None or value <= high)
            return all(checks)

        with self._state.lock:
            matched = [c for c in self._state.clients.values() if keep(c)]
            fuzzy = like_clientid is not None or like_username is not None
            chunk, meta = paginate(matched, page, limit, with_count=not fuzzy)
            data = [format_client(self._state, c, fields) for c in chunk]
        return models.ClientPage(data=data, meta=meta)

    async def get_client(self, *, clientid: str) -> models.Client:
        with self._state.lock:
            return format_client(self._state, self._client(clientid))

    async def kick_client(self, *, clientid: str) -> None:
        with self._state.lock:
            client = self._client(clientid)
            del self._state.clients[clientid]
            subs = self._state.subscriptions.pop(clientid, {})
            self._state.count("client.unsubscribe", by=len(subs))
            self._state.count("packets.disconnect.sent", "packets.sent", "session.terminated")
            if client.connected:
                self._state.count("client.disconnected")

    async def list_client_subscriptions(self, *, clientid: str) -> list[models.Subscription]:
        with self._state.lock:
            self._client(clientid)
            subs = self._state.subscriptions.get(clientid, {}).values()
            return [format_subscription(self._state, s) for s in subs]

    async def subscribe_client(
        self, *, clientid: str, body: models.ClientSubscribeRequest
    ) -> models.Subscription:
        qos = int(body.qos) if body.qos is not None else 0
        nl, rap, rh = body.nl or 0, body.rap or 0, body.rh or 0
        with self._state.lock:
            self._client(clientid)
            try:
                _topic.parse(body.topic)
            except _topic.InvalidTopic:
                message = f'{{invalid_topic_filter,<<"{body.topic}">>}}'
                raise errors.unknown_error(message, status=500) from None
            try:
                sub = seed_subscription(
                    self._state, clientid, body.topic, qos=qos, nl=nl, rap=rap, rh=rh
                )
            except NoLocalOnShared:
                message = (
                    "Invalid Subscribe options: `no_local` not allowed for shared-sub. "
                    "See [MQTT-3.8.3-4]"
                )
                raise errors.invalid_parameter(message, status=400) from None
        return format_subscription(self._state, sub, with_durable=False)

    async def unsubscribe_client(
        self, *, clientid: str, body: models.ClientUnsubscribeRequest
    ) -> None:
        with self._state.lock:
            self._client(clientid)
            subs = self._state.subscriptions.setdefault(clientid, {})
            if subs.pop(body.topic, None) is not None:
                self._state.count("client.unsubscribe")
