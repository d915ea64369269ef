"""The Client object as the broker formats a client's channel information."""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from ... import models
from ..._responses import Prerendered, to_json
from ..common.clock import dt_ms
from ..state import State
from .state import ClientRecord, FormattedClient


def _format_client(state: State, client: ClientRecord) -> dict[str, Any]:
    subs = state.subs.count_of(client.clientid)
    extras = state.client_extras.of(client.clientid)
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
        "heap_size": 610 + 40 * subs,
        "mailbox_len": 0,
        "reductions": 9000 + 350 * sum(client.counters.values()),
        "subscriptions_cnt": subs,
        "subscriptions_max": "infinity",
        "inflight_cnt": len(extras.inflight),
        "inflight_max": 32,
        "mqueue_len": len(extras.mqueue),
        "mqueue_max": 1000,
        "mqueue_dropped": extras.mqueue_dropped,
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


def _formatted(state: State, client: ClientRecord) -> FormattedClient:
    cached = state.formatted.get(client.clientid)
    if cached is None or cached.record is not client:
        model = models.Client.model_validate(_format_client(state, client))
        cached = state.formatted[client.clientid] = FormattedClient(client, model)
    return cached


def format_client(
    state: State, client: ClientRecord, fields: list[models.ClientField] | None = None
) -> models.Client:
    """The client as listed; with every field, made once and reused until it changes."""
    if fields and models.ClientField.ALL not in fields:
        wanted = {str(f.value) for f in fields}
        info = {k: v for k, v in _format_client(state, client).items() if k in wanted}
        return models.Client.model_validate(info)
    return _formatted(state, client).model


class _ListedPage(models.ClientPage, Prerendered):
    """A ClientPage whose answer is put together from its clients' JSON text as cached
    (see `FormattedClient.json`) instead of serializing each client again; the text is
    the same. Any other dump goes the usual way."""

    _json: list[bytes] | None = PrivateAttr(default=None)

    def rendered_json(self) -> bytes | None:
        if self._json is None:
            return None
        # the page without its clients, by the same rules: `{"data":[],"meta":{...}}`
        empty = to_json(models.ClientPage(data=[], meta=self.meta))
        if not empty.startswith(_EMPTY_DATA):
            return None
        return b'{"data":[' + b",".join(self._json) + b"]" + empty[len(_EMPTY_DATA) :]


_EMPTY_DATA = b'{"data":[]'


def client_page(
    state: State,
    clients: list[ClientRecord],
    meta: models.PageMeta,
    fields: list[models.ClientField] | None = None,
) -> models.ClientPage:
    """A page of clients; with every field, from the clients as cached."""
    if fields and models.ClientField.ALL not in fields:
        return models.ClientPage(data=[format_client(state, c, fields) for c in clients], meta=meta)
    data: list[models.Client] = []
    texts: list[bytes] = []
    for client in clients:
        item = _formatted(state, client)
        if item.json is None:
            item.json = to_json(item.model)
        data.append(item.model)
        texts.append(item.json)
    page = _ListedPage(data=data, meta=meta)
    page._json = texts
    return page
