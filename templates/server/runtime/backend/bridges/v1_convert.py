"""Version 1 bridges and their version 2 records: splitting a v1 configuration into a
connector and an action (or source), and merging them back into the v1 shape.

Both sides are plain dicts by wire names, as the broker's raw configuration holds them
(`emqx_action_info` and the `*_action_info` modules of the http and mqtt apps).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import errors
from ..integration.state import Kind

# v1 bridge type -> type of its action (or source) and connector.
V1_TO_V2 = {"webhook": "http", "http": "http", "mqtt": "mqtt"}
V2_TO_V1 = {"http": "webhook", "mqtt": "mqtt"}
_CONNECTOR_RESOURCE_OPTS = ("health_check_interval", "start_after_created", "start_timeout")
_ACTION_RESOURCE_OPTS = (
    "buffer_mode",
    "worker_pool_size",
    "health_check_interval",
    "resume_interval",
    "metrics_flush_interval",
    "query_mode",
    "request_ttl",
    "inflight_window",
    "max_buffer_bytes",
    "buffer_seg_bytes",
)
_SOURCE_RESOURCE_OPTS = ("health_check_interval", "resume_interval")
_HTTP_PARAMETERS = ("body", "max_retries", "method", "request_timeout")
_HTTP_ACTION_ONLY = ("direction", "local_topic", "resource_opts", *_HTTP_PARAMETERS)
_MQTT_CONNECTOR_FIELDS = (
    "enable",
    "tags",
    "description",
    "pool_size",
    "resource_opts",
    "mode",
    "server",
    "clientid_prefix",
    "static_clientids",
    "reconnect_interval",
    "proto_ver",
    "bridge_mode",
    "username",
    "password",
    "clean_start",
    "keepalive",
    "connect_timeout",
    "retry_interval",
    "max_inflight",
    "ssl",
)
_COMMON = ("enable", "description", "tags")


def _pick(data: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: data[k] for k in keys if k in data}


def _resource_opts(
    data: Mapping[str, Any], keys: tuple[str, ...], out: dict[str, Any], always: bool = False
) -> None:
    if "resource_opts" in data or always:
        out["resource_opts"] = _pick(data.get("resource_opts") or {}, keys)


def split(
    v1_type: str, config: Mapping[str, Any], connector: str
) -> tuple[dict[str, Any], Kind, dict[str, Any]]:
    """(connector configuration, `action` or `source`, its configuration) of a v1
    bridge configuration; 400 BAD_REQUEST when it cannot be split."""
    if V1_TO_V2[v1_type] == "http":
        conn = {k: v for k, v in config.items() if k not in _HTTP_ACTION_ONLY}
        _resource_opts(config, _CONNECTOR_RESOURCE_OPTS, conn)
        action = _pick(config, ("enable", "description", "local_topic"))
        _resource_opts(config, _ACTION_RESOURCE_OPTS, action)
        params = {**_pick(config, _HTTP_PARAMETERS), "path": "", "headers": {}}
        return conn, "action", {**action, "parameters": params, "connector": connector}
    egress = config.get("egress") or {}
    ingress = config.get("ingress") or {}
    if egress and ingress:
        raise errors.bad_request(
            "Upgrade not supported when ingress and egress exist in the same MQTT bridge. "
            "Please divide the egress and ingress part to separate bridges in the "
            "configuration."
        )
    if not egress and not ingress:
        raise errors.bad_request("{incompatible_bridge_v1,no_matching_action_or_source}")
    direction = egress or ingress
    conn = _pick(config, _MQTT_CONNECTOR_FIELDS)
    _resource_opts(config, _CONNECTOR_RESOURCE_OPTS, conn, always=True)
    conn["pool_size"] = direction.get("pool_size", 8)
    channel: dict[str, Any] = _pick(config, _COMMON)
    local = dict(direction.get("local") or {})
    params = {**dict(direction.get("remote") or {}), "local": local}
    if egress:
        _resource_opts(config, _ACTION_RESOURCE_OPTS, channel)
        if "topic" in local:
            channel["local_topic"] = local["topic"]
        return conn, "action", {**channel, "parameters": params, "connector": connector}
    _resource_opts(config, _SOURCE_RESOURCE_OPTS, channel)
    return conn, "source", {**channel, "parameters": params, "connector": connector}


def _join(url: str, path: str) -> str:
    if not path:
        return url
    return url.rstrip("/") + "/" + path.lstrip("/")


def merge(
    v2_type: str, kind: Kind, conn: Mapping[str, Any], channel: Mapping[str, Any]
) -> dict[str, Any]:
    """The v1 configuration of a connector and its one action or source (no defaults
    filled in)."""
    resource_opts = {**(conn.get("resource_opts") or {}), **(channel.get("resource_opts") or {})}
    params = dict(channel.get("parameters") or {})
    top = {k: v for k, v in channel.items() if k not in ("connector", "parameters")}
    if v2_type == "http":
        headers = {**(conn.get("headers") or {}), **(params.get("headers") or {})}
        rest = {k: v for k, v in params.items() if k not in ("path", "headers")}
        url = _join(str(conn.get("url", "")), str(params.get("path") or ""))
        merged = {**conn, **top, **rest, "headers": headers, "url": url}
        return {**merged, "resource_opts": resource_opts}
    local = dict(params.pop("local", None) or {})
    base = {k: v for k, v in conn.items() if k != "pool_size"}
    direction: dict[str, Any] = {"pool_size": conn.get("pool_size", 8), "remote": params}
    if kind == "action":
        if "local_topic" in channel:
            local["topic"] = channel["local_topic"]
        top.pop("local_topic", None)
        side = "egress"
    else:
        direction["remote"] = _pick(params, ("topic", "qos"))
        side = "ingress"
    if local:
        direction["local"] = local
    return {**base, **top, "resource_opts": resource_opts, side: direction}
