"""The defaults of the enterprise gateways and of their `ws`/`wss` listeners, and which
listener types each enterprise gateway takes, read from the bundled spec (the schemas of
spec/components/ee_gateways.yaml carry the broker's defaults), so that no second table
has to follow the spec."""

from __future__ import annotations

from typing import Any

from ..common.edition_branches import enterprise_values, spec_schemas


def _target(ref: str) -> dict[str, Any]:
    found: dict[str, Any] = spec_schemas()[ref.rsplit("/", 1)[1]]
    return found


def defaults_of(schema_name: str) -> dict[str, Any]:
    """Every property default of an object schema; a nested object without a default of
    its own gets the defaults of its schema (as EMQX fills in nested blocks)."""
    out: dict[str, Any] = {}
    for key, prop in spec_schemas()[schema_name].get("properties", {}).items():
        if "default" in prop:
            out[key] = prop["default"]
        elif "$ref" in prop and _target(prop["$ref"]).get("type") == "object":
            nested = defaults_of(prop["$ref"].rsplit("/", 1)[1])
            if nested:
                out[key] = nested
    return out


def _conf_schema(gateway: str) -> str:
    mapping = spec_schemas()["GatewayConf"]["discriminator"]["mapping"]
    return str(mapping[gateway]).rsplit("/", 1)[1]


def listener_types(gateway: str) -> tuple[str, ...]:
    """The `type` values of the listener union a gateway's `listeners` holds."""
    items = spec_schemas()[_conf_schema(gateway)]["properties"]["listeners"]["items"]
    return tuple(_target(items["$ref"])["discriminator"]["mapping"])


def enterprise_gateways() -> tuple[str, ...]:
    return enterprise_values("GatewayConf")


def gateway_defaults(gateway: str) -> dict[str, Any]:
    """A gateway's own defaults (`name` and its listeners aside)."""
    filled = defaults_of(_conf_schema(gateway))
    for key in ("name", "listeners", "authentication"):
        filled.pop(key, None)
    return filled


def listener_defaults(type_: str) -> dict[str, Any]:
    """The defaults of an enterprise listener type (`ws`, `wss`) but its TLS options."""
    mapping = spec_schemas()["GatewayListener"]["discriminator"]["mapping"]
    filled = defaults_of(str(mapping[type_]).rsplit("/", 1)[1])
    filled.pop("ssl_options", None)
    return filled
