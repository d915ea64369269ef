"""What the stub needs to know of the enterprise branches outside data integration, read
from the spec once at generate time (the integration types are in integration.py):

- for the authenticator unions, the discriminator choices that lead a body to a branch
  marked `x-emqx-edition: enterprise` (following nested unions down: SCRAM over HTTP is
  `mechanism: scram` then `backend: http`), so that the open-source stub refuses them;
- the enterprise gateways, with the listener types each takes and the defaults the broker
  fills into its configuration, and the defaults of the listener types only they use.
"""

from __future__ import annotations

from typing import Any

from generator.openapi import is_enterprise
from generator.viewmodel.model import (
    EditionTables,
    EnterpriseChoices,
    EnterpriseGateway,
    EnterpriseListener,
)

# The unions whose enterprise branches the stub refuses in the open-source build.
AUTHENTICATOR_UNIONS = ("AuthnConfig", "GatewayAuthenticator")
GATEWAY_UNION = "GatewayConf"
LISTENER_UNION = "GatewayListener"
# What a gateway's own defaults leave out: its identity and the blocks with their own API.
_GATEWAY_OWN = ("name", "listeners", "authentication")
# A listener's TLS options are filled by the stub's shared TLS defaults.
_LISTENER_OWN = ("ssl_options",)


def _name(ref: Any) -> str:
    return str(ref).rsplit("/", 1)[-1]


def _mapping(schema: dict[str, Any]) -> dict[str, str]:
    found = (schema.get("discriminator") or {}).get("mapping") or {}
    return {str(value): _name(ref) for value, ref in found.items()}


def _choices(
    schemas: dict[str, Any], union: str, seen: frozenset[str] = frozenset()
) -> list[tuple[tuple[str, str], ...]]:
    """The (field, value) paths from `union` to each enterprise branch below it."""
    schema = schemas.get(union) or {}
    field = (schema.get("discriminator") or {}).get("propertyName")
    if not field or union in seen:
        return []
    found: list[tuple[tuple[str, str], ...]] = []
    for value, target in _mapping(schema).items():
        branch = schemas.get(target) or {}
        if is_enterprise(branch):
            found.append(((str(field), value),))
        else:
            for rest in _choices(schemas, target, seen | {union}):
                found.append(((str(field), value), *rest))
    return found


def defaults_of(schemas: dict[str, Any], name: str, seen: frozenset[str] = frozenset()) -> Any:
    """Every property default of an object schema; a nested object without a default of
    its own gets the defaults of its schema (as EMQX fills in nested blocks)."""
    out: dict[str, Any] = {}
    if name in seen:
        return out
    for key, prop in ((schemas.get(name) or {}).get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        if "default" in prop:
            out[key] = prop["default"]
        elif "$ref" in prop and (schemas.get(_name(prop["$ref"])) or {}).get("type") == "object":
            nested = defaults_of(schemas, _name(prop["$ref"]), seen | {name})
            if nested:
                out[key] = nested
    return out


def _without(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key not in keys}


def _listener_types(schemas: dict[str, Any], conf: str) -> tuple[str, ...]:
    listeners = ((schemas.get(conf) or {}).get("properties") or {}).get("listeners") or {}
    items = listeners.get("items") or {}
    return tuple(_mapping(schemas.get(_name(items.get("$ref"))) or {}))


def edition_tables(document: dict[str, Any]) -> EditionTables:
    schemas: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
    authenticators = tuple(
        EnterpriseChoices(union=union, choices=tuple(_choices(schemas, union)))
        for union in AUTHENTICATOR_UNIONS
        if union in schemas
    )
    gateways = tuple(
        EnterpriseGateway(
            name=name,
            listener_types=_listener_types(schemas, conf),
            defaults=_without(defaults_of(schemas, conf), _GATEWAY_OWN),
        )
        for name, conf in _mapping(schemas.get(GATEWAY_UNION) or {}).items()
        if is_enterprise(schemas.get(conf))
    )
    listeners = tuple(
        EnterpriseListener(
            type=type_, defaults=_without(defaults_of(schemas, branch), _LISTENER_OWN)
        )
        for type_, branch in _mapping(schemas.get(LISTENER_UNION) or {}).items()
        if is_enterprise(schemas.get(branch))
    )
    return EditionTables(authenticators=authenticators, gateways=gateways, listeners=listeners)
