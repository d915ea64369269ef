"""Gateway clients: the channels connected through the gateways (STOMP, MQTT-SN, CoAP,
LwM2M, ExProto), their subscriptions, and what LwM2M and CoAP devices answer.

Clients arrive over the gateway protocols, never through the API, so only the seeding
functions here create them. They belong to the gateway record they were seeded under:
once that gateway is unloaded (or loaded anew), its old clients are gone, as their
channels would be.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import errors
from ._gateway_state import GATEWAY_NAMES, GatewayRecord
from ._net import ntoa
from ._state import State
from ._time import dt_ms, now_ms, to_epoch_ms

# proto_name and default proto_ver per gateway, as each channel sets them.
PROTOCOLS: dict[str, tuple[str, str]] = {
    "stomp": ("STOMP", "1.2"),
    "mqttsn": ("MQTT-SN", "1.2"),
    "coap": ("CoAP", "1"),
    "lwm2m": ("LwM2M", "1.0.1"),
    "exproto": ("exproto", "1.0"),
}
# The gateway schema's default mountpoints (only LwM2M has a non-empty one).
DEFAULT_MOUNTPOINTS = {"lwm2m": "lwm2m/${endpoint_name}/"}
# What a subscription gets unless the request says otherwise (emqx_gateway_utils).
DEFAULT_SUBOPTS = {"rh": 1, "rap": 0, "nl": 0, "qos": 0}
# LwM2M keeps at most this many command results per device, oldest dropped first.
MAX_CMD_RECORDS = 100
# A CoAP device's default reply: success, the request payload echoed back.
COAP_OK = "{ok,content}"

CmdResult = tuple[str, str, list[dict[str, Any]] | None]


@dataclass
class GatewayClient:
    """One channel of a gateway. `subs` maps mounted topic filters to their options."""

    gateway: str
    clientid: str
    username: str | None
    ip_address: str
    port: int
    proto_ver: str
    keepalive: int
    clean_start: bool
    expiry_interval: int
    connected: bool
    created_at: int
    connected_at: int
    mountpoint: str
    endpoint_name: str | None = None
    lifetime: int | None = None
    responsive: bool = True
    subs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # LwM2M: resource values by path, and command results by (path, action).
    resources: dict[str, Any] = field(default_factory=dict)
    cmd_records: dict[tuple[str, str], CmdResult | None] = field(default_factory=dict)
    # CoAP: a canned reply (code, payload); None echoes the request payload.
    coap_reply: tuple[str, str | None] | None = None

    @property
    def proto_name(self) -> str:
        return PROTOCOLS[self.gateway][0]

    def mounted(self, topic: str) -> str:
        return self.mountpoint + topic

    def record_cmd(self, path: str, action: str, result: CmdResult | None) -> None:
        """Keep a command's result (None: sent, no reply yet), dropping the oldest."""
        self.cmd_records.pop((path, action), None)
        self.cmd_records[(path, action)] = result
        while len(self.cmd_records) > MAX_CMD_RECORDS:
            del self.cmd_records[next(iter(self.cmd_records))]

    def wire(self, node: str) -> dict[str, Any]:
        """The client as `format_channel_info` answers it, by wire names."""
        body: dict[str, Any] = {}
        if self.gateway == "lwm2m":
            body["endpoint_name"] = self.endpoint_name
            body["lifetime"] = self.lifetime
        body.update(
            node=node,
            clientid=self.clientid,
            username=self.username,
            mountpoint=self.mountpoint,
            proto_name=self.proto_name,
            proto_ver=self.proto_ver,
            ip_address=self.ip_address,
            port=self.port,
            is_bridge=False,
            connected_at=_rfc3339(self.connected_at),
            disconnected_at=None,
            connected=self.connected,
            keepalive=self.keepalive,
            clean_start=self.clean_start,
            expiry_interval=self.expiry_interval,
            created_at=_rfc3339(self.created_at),
            subscriptions_cnt=len(self.subs),
            subscriptions_max="infinity",
            inflight_cnt=0,
            inflight_max="infinity",
            mqueue_len=0,
            mqueue_max="infinity",
            mqueue_dropped=0,
            awaiting_rel_cnt=0,
            awaiting_rel_max="infinity",
        )
        for counter in ("recv_oct", "recv_cnt", "recv_pkt", "recv_msg"):
            body[counter] = 0
        for counter in ("send_oct", "send_cnt", "send_pkt", "send_msg"):
            body[counter] = 0
        body.update(mailbox_len=0, heap_size=4185, reductions=1000 + 500 * len(self.subs))
        return body


@dataclass
class _Bucket:
    record: GatewayRecord
    clients: dict[str, GatewayClient] = field(default_factory=dict)


@dataclass
class GatewayClientsState:
    """The clients of each loaded gateway, and the CoAP message id counter."""

    buckets: dict[str, _Bucket] = field(default_factory=dict)
    coap_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _rfc3339(ms: int) -> str:
    return dt_ms(ms).isoformat(timespec="milliseconds")


def _mount(template: str, clientid: str, username: str | None, endpoint: str | None) -> str:
    values = {"clientid": clientid, "username": username or "", "endpoint_name": endpoint or ""}
    for key, value in values.items():
        template = template.replace("${" + key + "}", value)
    return template


def clients_of(state: State, name: str) -> dict[str, GatewayClient] | None:
    """The clients of a loaded gateway (None if it is not loaded); call under the lock."""
    record = state.gateways.loaded.get(name)
    store = state.gateway_clients
    bucket = store.buckets.get(name)
    if record is None:
        store.buckets.pop(name, None)
        return None
    if bucket is None or bucket.record is not record:
        bucket = store.buckets[name] = _Bucket(record)
    return bucket.clients


def loaded_clients(state: State, name: str) -> dict[str, GatewayClient]:
    """The clients of a loaded gateway; 404 `Gateway not loaded` otherwise."""
    clients = clients_of(state, name)
    if clients is None:
        raise errors.resource_not_found("Gateway not loaded")
    return clients


def connected_device(state: State, gateway: str, clientid: str) -> GatewayClient:
    """A LwM2M or CoAP channel by client id, as the command APIs find it: 404
    CLIENT_NOT_FOUND (no message) when there is none, gateway loaded or not."""
    client = (clients_of(state, gateway) or {}).get(clientid)
    if client is None:
        raise errors.client_not_found()
    return client


def seed_client(
    state: State,
    gateway: str,
    clientid: str,
    *,
    username: str | None = None,
    ip_address: str = "127.0.0.1",
    port: int | None = None,
    proto_ver: str | None = None,
    keepalive: int = 0,
    clean_start: bool = True,
    expiry_interval: int = 0,
    connected: bool = True,
    mountpoint: str | None = None,
    endpoint_name: str | None = None,
    lifetime: int | None = None,
    responsive: bool = True,
    created_at: datetime | None = None,
) -> None:
    """Connect a client to a loaded gateway (KeyError if it is not loaded)."""
    if gateway not in GATEWAY_NAMES:
        raise KeyError(gateway)
    with state.lock:
        clients = clients_of(state, gateway)
        if clients is None:
            raise KeyError(gateway)
        record = state.gateways.loaded[gateway]
        if gateway == "lwm2m":
            endpoint_name = endpoint_name or clientid
            lifetime = 86400 if lifetime is None else lifetime
        if mountpoint is None:
            template = record.config.get("mountpoint", DEFAULT_MOUNTPOINTS.get(gateway, ""))
            mountpoint = _mount(str(template), clientid, username, endpoint_name)
        at = now_ms() if created_at is None else to_epoch_ms(created_at)
        clients.pop(clientid, None)
        clients[clientid] = GatewayClient(
            gateway=gateway,
            clientid=clientid,
            username=username,
            ip_address=ntoa(ip_address),
            port=port if port is not None else 50000 + len(clients) % 10000,
            proto_ver=proto_ver or PROTOCOLS[gateway][1],
            keepalive=keepalive,
            clean_start=clean_start,
            expiry_interval=expiry_interval,
            connected=connected,
            created_at=at,
            connected_at=at,
            mountpoint=mountpoint,
            endpoint_name=endpoint_name,
            lifetime=lifetime,
            responsive=responsive,
        )


def seeded(state: State, gateway: str, clientid: str) -> GatewayClient:
    """A seeded client (KeyError if unknown); call under the lock."""
    client = (clients_of(state, gateway) or {}).get(clientid)
    if client is None:
        raise KeyError(clientid)
    return client
