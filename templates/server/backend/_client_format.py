"""The Client object as the broker formats a client's channel information."""

from __future__ import annotations

from typing import Any

from .. import models
from ._state import ClientRecord, State
from ._time import dt_ms


def _format_client(state: State, client: ClientRecord) -> dict[str, Any]:
    subs = state.subscriptions.get(client.clientid, {})
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
        "heap_size": 610 + 40 * len(subs),
        "mailbox_len": 0,
        "reductions": 9000 + 350 * sum(client.counters.values()),
        "subscriptions_cnt": len(subs),
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


def format_client(
    state: State, client: ClientRecord, fields: list[models.ClientField] | None = None
) -> models.Client:
    info = _format_client(state, client)
    if fields and models.ClientField.ALL not in fields:
        wanted = {str(f.value) for f in fields}
        info = {k: v for k, v in info.items() if k in wanted}
    return models.Client.model_validate(info)
