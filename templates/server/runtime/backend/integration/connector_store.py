"""Connector records shared by the Connectors and Bridges areas: ids, configurations with
their defaults, secrets, and the connector as the broker answers it.

A connector is a `BridgeRecord` of kind `connector` in `State.integration`; its config
holds the wire names of its type's configuration (the update shape of its type, as the
spec's unions give it: see `type_table.py`) with every default filled in and secrets in
clear.

The stub reaches no external system. The open-source types (`http`, `mqtt`) are
`connected` when enabled; an enterprise type stays `disconnected` with the reason EMQX
gives for a target it cannot connect to, and its probe fails (400 TEST_FAILED), as EMQX
answers for a backend it cannot reach (emqx_connector_api.erl, connectors_probe: a failed
dry run answers `?BAD_REQUEST('TEST_FAILED', Reason)`).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ... import errors
from ..cluster.members import running_nodes
from ..configs.state import deobfuscate, fill, obfuscate
from ..state import State
from .state import BridgeRecord, IntegrationState, all_types

# Why an enterprise connector is not connected: the stub reaches no external system, which
# EMQX reports as a refused connection to the target.
UNREACHABLE = "econnrefused"
_NAME = re.compile(r"^[0-9a-zA-Z][-0-9a-zA-Z_]*$")
_URL = re.compile(r"^https?://[^/:\s]+(:\d{1,5})?(/\S*)?$", re.IGNORECASE)
_SERVER = re.compile(r"^[^:\s]+(:(\d{1,5}))?$")
# Fields of a connector's answer that are not configuration (EMQX drops them from bodies).
STATUS_FIELDS = ("id", "type", "name", "status", "status_reason", "node_status", "node")


def wire(body: BaseModel) -> dict[str, Any]:
    """A request body by wire names, with only the fields the caller sent."""
    return body.model_dump(mode="json", by_alias=True, exclude_unset=True)


def name_problem(name: str) -> str | None:
    """Why EMQX refuses a resource name, or None when it is valid."""
    if name == "":
        return "Name cannot be empty string"
    if len(name.encode("utf-8")) >= 255:
        return "Name length must be less than 255"
    if not _NAME.match(name):
        return (
            "Invalid name format. The name must begin with a letter or number (0-9, a-z, "
            "A-Z) and can only include underscores and hyphens as non-initial characters. "
            f"Got: {name}"
        )
    return None


def split_id(resource_id: str, known_types: Container[str]) -> tuple[str, str] | str:
    """(type, name) of `{type}:{name}`, or the reason the id is not valid."""
    parts = resource_id.split(":")
    if len(parts) != 2:
        return f"should be of pattern {{type}}:{{name}}, but got: {resource_id}"
    type_, name = parts
    if type_ not in known_types:
        return f"unknown resource type: {type_}"
    return name_problem(name) or (type_, name)


def parse_connector_id(
    integration: IntegrationState, connector_id: str, word: str = "ID"
) -> tuple[str, str]:
    """(type, name) of a connector id (a leading `connector:` is allowed); 404 NOT_FOUND
    for an id that is not valid or whose type the edition does not have, as the broker
    answers (its check before `PUT`'s handler spells it `id`)."""
    if connector_id.startswith("connector:"):
        connector_id = connector_id[len("connector:") :]
    parsed = split_id(connector_id, integration.types("connector"))
    if isinstance(parsed, str):
        raise errors.not_found(f"Invalid connector {word}, {parsed}")
    return parsed


def connector_not_found(type_: str, name: str) -> errors.ApiError:
    return errors.not_found(
        f"Connector lookup failed: connector named '{name}' of type {type_} does not exist."
    )


def _static_clientids(entries: list[Any]) -> list[dict[str, Any]]:
    """The MQTT connector's fixed client ids with bare ids in object form, checked as
    the broker checks them (400 BAD_REQUEST)."""
    out = [
        {
            **entry,
            "ids": [i if isinstance(i, Mapping) else {"clientid": i} for i in entry["ids"]],
        }
        for entry in entries
    ]
    nodes = [entry["node"] for entry in out]
    ids = [i["clientid"] for entry in out for i in entry["ids"]]
    if len(set(nodes)) != len(nodes):
        raise errors.bad_request("nodes must be unique")
    if out and not ids:
        raise errors.bad_request("must specify at least one static clientid")
    if "" in ids:
        raise errors.bad_request("clientids must be non-empty")
    if len(set(ids)) != len(ids):
        raise errors.bad_request("clientids must be unique")
    return out


def _deobfuscate_clientids(new: list[Any], old: list[Any]) -> list[Any]:
    """Secrets of fixed client ids sent as `******`, matched by node and client id."""
    before = {entry.get("node"): entry for entry in old if isinstance(entry, Mapping)}
    out = []
    for entry in new:
        old_ids = {i.get("clientid"): i for i in before.get(entry["node"], {}).get("ids", [])}
        ids = [deobfuscate(i, old_ids.get(i["clientid"])) for i in entry["ids"]]
        out.append({**entry, "ids": ids})
    return out


def connector_config(
    type_: str, data: Mapping[str, Any], old: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A connector configuration as stored: `data` (wire names) checked against the
    type's model, secrets sent as `******` taken from `old`, defaults filled in."""
    row = all_types("connector").get(type_)
    if row is None:
        raise errors.bad_request(f"unknown connector type: {type_}")
    raw = {k: v for k, v in data.items() if k not in STATUS_FIELDS}
    try:
        model = row.check_update(raw)
    except ValidationError as bad:
        fields = sorted({".".join(map(str, e["loc"])) for e in bad.errors()})
        raise errors.bad_request(
            f"the configuration does not fit the {type_} connector: {', '.join(fields)}"
        ) from None
    if "static_clientids" in raw:
        raw["static_clientids"] = _static_clientids(list(raw["static_clientids"] or []))
    if old is not None:
        clientids = raw.get("static_clientids")
        raw = deobfuscate(raw, old)
        if clientids is not None:
            raw["static_clientids"] = _deobfuscate_clientids(
                clientids, list(old.get("static_clientids") or [])
            )
    return fill(model, raw)


def connector_status(record: BridgeRecord) -> str:
    """Enabled open-source connectors of the stub are connected; disabled ones and the
    enterprise ones (whose targets the stub cannot reach) are not."""
    if not record.enable or all_types("connector").is_enterprise(record.type):
        return "disconnected"
    return "connected"


def status_reason(record: BridgeRecord) -> str | None:
    """Why an enabled connector is not connected (None when it is, or is disabled)."""
    if record.enable and connector_status(record) == "disconnected":
        return UNREACHABLE
    return None


def connector_view(state: State, record: BridgeRecord) -> dict[str, Any]:
    """A connector as the broker answers it, by wire names."""
    status = connector_status(record)
    reason = status_reason(record)
    users = state.integration.users_of(record.type, record.name)
    node_status: list[dict[str, Any]] = [
        {"node": node, "status": status} for node in running_nodes(state)
    ]
    extra: dict[str, Any] = {}
    if reason is not None:
        extra["status_reason"] = reason
        for entry in node_status:
            entry["status_reason"] = reason
    return {
        "type": record.type,
        "name": record.name,
        **obfuscate(record.config),
        "status": status,
        **extra,
        "node_status": node_status,
        "actions": sorted(u.name for u in users if u.kind == "action"),
        "sources": sorted(u.name for u in users if u.kind == "source"),
    }


def find_connector(
    integration: IntegrationState, connector_id: str, word: str = "ID"
) -> BridgeRecord:
    """The connector with this id; 404 NOT_FOUND for a bad id or an unknown connector."""
    type_, name = parse_connector_id(integration, connector_id, word)
    record = integration.connectors.get((type_, name))
    if record is None:
        raise connector_not_found(type_, name)
    return record


def unreachable(type_: str, config: dict[str, Any]) -> str | None:
    """Why a connector of this configuration could not connect in the stub, or None."""
    if all_types("connector").is_enterprise(type_):
        return UNREACHABLE
    if type_ == "http":
        url = str(config.get("url", ""))
        return None if _URL.match(url) else f"invalid_url: {url}"
    server = str(config.get("server", ""))
    match = _SERVER.match(server)
    if not match or not 0 < int(match.group(2) or 1883) < 65536:
        return f"bad_host_port: {server}"
    return None
