"""What the Gateways and Gateway Listeners operations share: finding a loaded gateway,
parsing listener ids, whether a gateway and its listeners run, and formatting them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

from ... import errors
from ..common.clock import now_ms
from ..state import State
from .defaults import listener_with_defaults
from .state import GatewayAuthn, GatewayRecord, require_served

# The gateway names a path takes (the handlers' parameter type); the open-source build
# refuses the last three (`state.require_served`).
GatewayName = Literal["coap", "exproto", "gbt32960", "jt808", "lwm2m", "mqttsn", "ocpp", "stomp"]


def rfc3339(ms: int) -> str:
    """Epoch milliseconds as EMQX shows gateway times (RFC 3339, milliseconds)."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds")


def status(record: GatewayRecord) -> str:
    return "running" if record.enable else "stopped"


def set_enable(record: GatewayRecord, enable: bool) -> None:
    """Start or stop the gateway as `enable` says, stamping the time as EMQX does."""
    was = record.enable
    record.config["enable"] = enable
    if enable and not was:
        record.started_at = now_ms()
        record.stopped_at = None
    elif was and not enable:
        record.stopped_at = now_ms()


def times(record: GatewayRecord) -> dict[str, str]:
    out = {"created_at": rfc3339(record.created_at)}
    if record.enable:
        out["started_at"] = rfc3339(record.started_at)
    elif record.stopped_at is not None:
        out["stopped_at"] = rfc3339(record.stopped_at)
    return out


def loaded(state: State, name: str) -> GatewayRecord:
    """The loaded gateway, or EMQX's 404 for a gateway that is not."""
    require_served(state.edition, name)
    record = state.gateways.loaded.get(name)
    if record is None:
        raise errors.resource_not_found("Gateway not loaded", status=404)
    return record


def split_id(listener_id: str) -> tuple[str, str, str]:
    """`{gateway}:{type}:{name}` into its parts, or EMQX's 404 for another form."""
    parts = listener_id.split(":")
    if len(parts) != 3:
        raise errors.resource_not_found(f"Listener not found: {listener_id}", status=404)
    return parts[0], parts[1], parts[2]


def listener_id(gateway: str, type_: str, name: str) -> str:
    return f"{gateway}:{type_}:{name}"


def running(record: GatewayRecord, config: dict[str, Any]) -> bool:
    return record.enable and bool(config.get("enable", True))


_PORT = re.compile(r"^\d+$")


def format_bind(bind: Any) -> str:
    """`bind` as EMQX lists it: `:port` for a bare port, else as configured."""
    text = str(bind)
    return f":{text}" if _PORT.match(text) else text


def listener_entry(
    record: GatewayRecord, lid: str, config: dict[str, Any], *, answer: bool
) -> dict[str, Any]:
    """A listener with its defaults filled in, its id, type and name; `answer` formats
    `bind` as the listener operations do (the gateway's own answer keeps it as set)."""
    _, type_, name = split_id(lid)
    entry = listener_with_defaults(type_, config)
    authn = record.listener_authn.get(lid)
    if authn is not None:
        entry["authentication"] = dict(authn.config)
    if answer and "bind" in entry:
        entry["bind"] = format_bind(entry["bind"])
    entry.update(id=lid, type=type_, name=name)
    return entry


def store_listener(record: GatewayRecord, lid: str, settings: dict[str, Any]) -> None:
    """Keep a listener's settings; an `authentication` among them becomes the listener's
    authenticator (kept apart, where the listener authentication operations find it)."""
    conf = dict(settings)
    authn = conf.pop("authentication", None)
    record.listeners[lid] = conf
    if authn is not None:
        record.listener_authn[lid] = GatewayAuthn(config=dict(authn))


def sorted_listeners(record: GatewayRecord) -> list[tuple[str, dict[str, Any]]]:
    """The gateway's listeners by type, then name, as EMQX lists them."""
    return sorted(record.listeners.items(), key=lambda item: tuple(item[0].split(":")[1:]))


def max_connections(configs: list[dict[str, Any]]) -> int | str:
    """The listeners' connection limits summed; `infinity` when one has none."""
    total = 0
    for config in configs:
        value = config.get("max_connections", 1024)
        if value == "infinity":
            return "infinity"
        total += int(value)
    return total
