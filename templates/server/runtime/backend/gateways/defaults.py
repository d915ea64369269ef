"""The defaults EMQX fills into gateway and gateway listener configurations when it
answers them (apps/emqx_gateway*/src/*_schema.erl, v5.8.9), and which listener types each
gateway takes. The enterprise gateways' and their `ws`/`wss` listeners' come from the
table generated from the spec (`backend/_edition_types.py`)."""

from __future__ import annotations

import copy
from typing import Any

from .._edition_types import (
    ENTERPRISE_GATEWAY_DEFAULTS,
    ENTERPRISE_GATEWAY_LISTENERS,
    ENTERPRISE_LISTENER_DEFAULTS,
)

# Listener types each open-source gateway takes (tcp_listeners, udp_listeners,
# tcp_udp_listeners in emqx_gateway_schema).
LISTENER_TYPES: dict[str, tuple[str, ...]] = {
    "stomp": ("tcp", "ssl"),
    "mqttsn": ("udp", "dtls"),
    "coap": ("udp", "dtls"),
    "lwm2m": ("udp", "dtls"),
    "exproto": ("tcp", "ssl", "udp", "dtls"),
    **ENTERPRISE_GATEWAY_LISTENERS,
}

_COMMON: dict[str, Any] = {
    "enable": True,
    "enable_stats": True,
    "idle_timeout": "30s",
    "mountpoint": "",
}
_TRANSLATOR = {"qos": 0}
_GATEWAY: dict[str, dict[str, Any]] = {
    "stomp": {"frame": {"max_headers": 10, "max_headers_length": 1024, "max_body_length": 65536}},
    "mqttsn": {
        "gateway_id": 1,
        "broadcast": False,
        "enable_qos3": True,
        "subs_resume": False,
        "predefined": [],
    },
    "coap": {
        "heartbeat": "30s",
        "connection_required": False,
        "notify_type": "qos",
        "subscribe_qos": "coap",
        "publish_qos": "coap",
    },
    "lwm2m": {
        "mountpoint": "lwm2m/${endpoint_name}/",
        "lifetime_min": "15s",
        "lifetime_max": "86400s",
        "qmode_time_window": "22s",
        "auto_observe": False,
        "update_msg_publish_condition": "contains_object_list",
        "translators": {
            key: dict(_TRANSLATOR)
            for key in ("command", "response", "notify", "register", "update")
        },
    },
    "exproto": {"handler": {"service_name": "ConnectionUnaryHandler"}},
    **ENTERPRISE_GATEWAY_DEFAULTS,
}

# What a gateway needs that has no default (loading without it is refused); also what a
# test's load_gateway without settings gets, so that the answers are complete.
REQUIRED_SAMPLE: dict[str, dict[str, Any]] = {
    "lwm2m": {
        "xml_dir": "/etc/emqx/lwm2m_xml",
        "translators": {
            "command": {"topic": "dn/#"},
            "response": {"topic": "up/resp"},
            "notify": {"topic": "up/notify"},
            "register": {"topic": "up/resp"},
            "update": {"topic": "up/update"},
        },
    },
    "exproto": {
        "server": {"bind": "0.0.0.0:9100"},
        "handler": {"address": "http://127.0.0.1:9001"},
    },
}

_TLS: dict[str, Any] = {
    "cacertfile": "${EMQX_ETC_DIR}/certs/cacert.pem",
    "cacerts": False,
    "certfile": "${EMQX_ETC_DIR}/certs/cert.pem",
    "keyfile": "${EMQX_ETC_DIR}/certs/key.pem",
    "verify": "verify_none",
    "reuse_sessions": True,
    "depth": 10,
    "versions": ["tlsv1.3", "tlsv1.2"],
    "ciphers": [],
    "secure_renegotiate": True,
    "log_level": "notice",
    "hibernate_after": "5s",
    "fail_if_no_peer_cert": False,
    "honor_cipher_order": True,
    "client_renegotiation": True,
    "handshake_timeout": "15s",
    "user_lookup_fun": "emqx_tls_psk:lookup",
    "gc_after_handshake": False,
    "enable_crl_check": False,
}
_LISTENER_COMMON: dict[str, Any] = {
    "enable": True,
    "max_connections": 1024,
    "max_conn_rate": 1000,
    "enable_authn": True,
    "access_rules": [],
}
_TCP: dict[str, Any] = {
    "acceptors": 16,
    "proxy_protocol": False,
    "proxy_protocol_timeout": "3s",
    "tcp_options": {
        "active_n": 100,
        "backlog": 1024,
        "send_timeout": "15s",
        "send_timeout_close": True,
        "buffer": "4KB",
        "high_watermark": "1MB",
        "nodelay": True,
        "nolinger": False,
        "reuseaddr": True,
        "keepalive": "none",
    },
}
_UDP: dict[str, Any] = {"udp_options": {"active_n": 100, "reuseaddr": True}}
_LISTENER: dict[str, dict[str, Any]] = {
    "tcp": {**_LISTENER_COMMON, **_TCP},
    "ssl": {**_LISTENER_COMMON, **_TCP, "ssl_options": _TLS},
    "udp": {**_LISTENER_COMMON, **_UDP},
    "dtls": {
        **_LISTENER_COMMON,
        **_UDP,
        "acceptors": 16,
        "dtls_options": {**_TLS, "versions": ["dtlsv1.2"]},
    },
    "ws": {**_LISTENER_COMMON, **_TCP, **ENTERPRISE_LISTENER_DEFAULTS["ws"]},
    "wss": {**_LISTENER_COMMON, **_TCP, **ENTERPRISE_LISTENER_DEFAULTS["wss"], "ssl_options": _TLS},
}


def merge_defaults(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` over `defaults`, nested blocks merged key by key (lists are values)."""
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_defaults(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def gateway_with_defaults(name: str, config: dict[str, Any]) -> dict[str, Any]:
    filled = merge_defaults({**_COMMON, **_GATEWAY.get(name, {})}, config)
    if name == "lwm2m" and isinstance(config.get("translators"), dict):
        # only the translators configured get their QoS default
        filled["translators"] = {
            key: {**_TRANSLATOR, **value} for key, value in config["translators"].items()
        }
    return filled


def listener_with_defaults(type_: str, config: dict[str, Any]) -> dict[str, Any]:
    return merge_defaults(_LISTENER.get(type_, _LISTENER_COMMON), config)
