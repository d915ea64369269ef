"""The OpenTelemetry integration's settings with emqx_otel_schema's defaults filled in,
as `GET /opentelemetry` answers them, and the white lists' maximum lengths they set."""

from __future__ import annotations

import copy
from typing import Any

# The defaults of emqx_otel_schema. The exporter's TLS options carry the client TLS
# defaults the stub knows (emqx_schema's ssl_client_opts).
DEFAULTS: dict[str, Any] = {
    "metrics": {"enable": False, "interval": "10s"},
    "logs": {
        "level": "warning",
        "enable": False,
        "max_queue_size": 2048,
        "exporting_timeout": "30s",
        "scheduled_delay": "1s",
    },
    "traces": {
        "enable": False,
        "max_queue_size": 2048,
        "exporting_timeout": "30s",
        "scheduled_delay": "5s",
        "filter": {
            "trace_mode": "legacy",
            "trace_all": False,
            "e2e_tracing_options": {
                "cluster_identifier": "emqxcl",
                "msg_trace_level": 0,
                "clientid_match_rules_max": 30,
                "topic_match_rules_max": 30,
                "sample_ratio": "10%",
                "client_connect_disconnect": False,
                "client_subscribe_unsubscribe": False,
                "client_messaging": False,
                "follow_traceparent": True,
            },
        },
    },
    "exporter": {
        "endpoint": "http://localhost:4317",
        "headers": {},
        "protocol": "grpc",
        "ssl_options": {
            "enable": False,
            "verify": "verify_none",
            "reuse_sessions": True,
            "depth": 10,
            "versions": ["tlsv1.3", "tlsv1.2"],
            "ciphers": [],
            "secure_renegotiate": True,
            "log_level": "notice",
            "hibernate_after": "5s",
        },
    },
}
_SECRET = "******"


def filled(settings: dict[str, Any], defaults: dict[str, Any] = DEFAULTS) -> dict[str, Any]:
    """`settings` over the defaults, part by part (a part set replaces nothing it leaves out)."""
    out = copy.deepcopy(defaults)
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and out[key]:
            out[key] = filled(value, out[key])
        else:
            out[key] = copy.deepcopy(value)
    return out


def shown(settings: dict[str, Any]) -> dict[str, Any]:
    """The answer: defaults filled in, the TLS key's password masked."""
    out = filled(settings)
    ssl = out["exporter"]["ssl_options"]
    if "password" in ssl:
        ssl["password"] = _SECRET
    return out


def whitelist_max(settings: dict[str, Any], kind: str) -> int:
    options = filled(settings)["traces"]["filter"]["e2e_tracing_options"]
    return int(options[f"{kind}_match_rules_max"])
