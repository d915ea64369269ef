"""The clients of each loaded gateway: their sessions, subscriptions and, for
LwM2M and CoAP devices, what they answer."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ..common.clock import dt_ms

PROTOCOLS: dict[str, tuple[str, str]] = {
    "stomp": ("STOMP", "1.2"),
    "mqttsn": ("MQTT-SN", "1.2"),
    "coap": ("CoAP", "1"),
    "lwm2m": ("LwM2M", "1.0.1"),
    "exproto": ("exproto", "1.0"),
    # the enterprise gateways (their channels' conninfo)
    "gbt32960": ("GBT32960", ""),
    "jt808": ("jt808", "2013"),
    "ocpp": ("OCPP", "1.6"),
}
CmdResult = tuple[str, str, list[dict[str, Any]] | None]


def _rfc3339(ms: int) -> str:
    return dt_ms(ms).isoformat(timespec="milliseconds")


# What a subscription gets unless the request says otherwise (emqx_gateway_utils).
DEFAULT_SUBOPTS = {"rh": 1, "rap": 0, "nl": 0, "qos": 0}


# LwM2M keeps at most this many command results per device, oldest dropped first.
MAX_CMD_RECORDS = 100


# A CoAP device's default reply: success, the request payload echoed back.
COAP_OK = "{ok,content}"


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
    # The gateway's record (gateways.state.GatewayRecord) these clients came with: once
    # the gateway is unloaded or loaded again, its record is another and they are gone.
    record: object
    clients: dict[str, GatewayClient] = field(default_factory=dict)


@dataclass
class GatewayClientsState:
    """The clients of each loaded gateway, and the CoAP message id counter."""

    buckets: dict[str, _Bucket] = field(default_factory=dict)
    coap_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
