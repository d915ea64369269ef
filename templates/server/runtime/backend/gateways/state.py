"""The gateways of the node: the store shared by the Gateways, Gateway Listeners, Gateway
Authentication, Gateway Clients, LwM2M and CoAP areas.

A gateway is loaded (it has a record here) or unloaded (it has none); a loaded gateway
keeps its own settings, its listeners, and optionally one authenticator for the whole
gateway and one per listener, each with its own built-in database users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ... import errors
from .._edition_types import ENTERPRISE_GATEWAY_LISTENERS
from ..common.authn_users import UserStore
from ..common.clock import now_ms

# The gateways the open-source build ships.
GATEWAY_NAMES = ("coap", "exproto", "lwm2m", "mqttsn", "stomp")
# ... and those only the enterprise build ships (the spec's enterprise branches).
ENTERPRISE_GATEWAYS = tuple(ENTERPRISE_GATEWAY_LISTENERS)


def gateway_names(edition: str) -> tuple[str, ...]:
    """The gateways of the build, by name."""
    return tuple(sorted(GATEWAY_NAMES + (ENTERPRISE_GATEWAYS if edition == "ee" else ())))


def require_served(edition: str, name: str) -> None:
    """The open-source build's answer to an enterprise gateway's name in a path: its
    parameter's enum lacks it (emqx_gateway_schema:gateway_names/0 keeps the gateways of
    the build), 400 as for any name it does not know."""
    if edition != "ee" and name in ENTERPRISE_GATEWAYS:
        known = [f"'{gw}'" for gw in GATEWAY_NAMES]
        raise errors.bad_request(
            f"path.name: Input should be {', '.join(known[:-1])} or {known[-1]}", status=400
        )


@dataclass
class GatewayAuthn:
    """One authenticator (its configuration by wire names) and, for the built-in
    database mechanisms, its users."""

    config: dict[str, Any]
    users: UserStore = field(default_factory=UserStore)


@dataclass
class GatewayRecord:
    """A loaded gateway: its settings by wire names (without `listeners` and
    `authentication`), its listeners by id (`{name}:{type}:{listener}`, as EMQX names
    them) and its authenticators."""

    name: str
    config: dict[str, Any]
    listeners: dict[str, dict[str, Any]] = field(default_factory=dict)
    authn: GatewayAuthn | None = None
    listener_authn: dict[str, GatewayAuthn] = field(default_factory=dict)
    created_at: int = field(default_factory=now_ms)
    started_at: int = field(default_factory=now_ms)
    # when it was last stopped, while it is stopped after having run (EMQX's stopped_at)
    stopped_at: int | None = None

    @property
    def enable(self) -> bool:
        return bool(self.config.get("enable", True))


@dataclass
class GatewaysState:
    """The loaded gateways by name."""

    loaded: dict[str, GatewayRecord] = field(default_factory=dict)
