"""Actions and sources, whichever the kind: ids, defaults, the answered shapes and the rules
that use one. `bridge_v2_ops.py` holds the operations; `actions` and `sources` only bind a
`KindSpec` to their Protocol.

Records live in `State.integration` (see `state.py`): the configuration as the body
gave it, by wire names, without `type` and `name`. Defaults are filled in when answering,
as EMQX fills in its raw configuration.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ... import errors
from ..configs.state import fields_by_alias, fill, fitting, model_choices
from ..state import State
from .state import BridgeRecord, Kind, all_types
from .type_table import IntegrationTypeRow

_NAME = re.compile(r"^[0-9a-zA-Z][-0-9a-zA-Z_]*$")
# v1 bridge type names the id parser upgrades to their action type, as EMQX does
_V1_TYPES = {"webhook": "http"}
# every counter an action or source answers with (the float ones are rates)
COUNTERS = (
    "dropped",
    "dropped.other",
    "dropped.expired",
    "dropped.queue_full",
    "dropped.resource_not_found",
    "dropped.resource_stopped",
    "matched",
    "queuing",
    "queuing_bytes",
    "retried",
    "late_reply",
    "failed",
    "inflight",
    "success",
    "rate",
    "rate_last5m",
    "rate_max",
    "received",
)
_RATES = {"rate", "rate_last5m", "rate_max"}
# nested settings whose own defaults are filled in too (other maps, like HTTP headers,
# are taken whole)
_STRUCTS = {"local"}


@dataclass(frozen=True)
class TypeSpec:
    """One action or source type: its row of the spec's union (models, edition, connector
    type), and the defaults the broker fills into its `parameters` and `resource_opts`
    (read from the type's configuration model)."""

    row: IntegrationTypeRow
    parameters: dict[str, Any]
    resource_opts: dict[str, Any]


@functools.cache
def type_spec(kind: Kind, type_: str) -> TypeSpec | None:
    """The spec of a type of either edition (None for a type the spec does not have)."""
    row = all_types(kind).get(type_)
    if row is None:
        return None
    filled = fill(row.config_model, {"parameters": {}, "resource_opts": {}})
    parameters, resource_opts = filled.get("parameters"), filled.get("resource_opts")
    return TypeSpec(
        row,
        parameters if isinstance(parameters, dict) else {},
        resource_opts if isinstance(resource_opts, dict) else {},
    )


@dataclass(frozen=True)
class KindSpec:
    """Actions or sources: the kind and which rules use one of them (its types come from
    the spec, see `type_table.py`)."""

    kind: Kind
    rules_using: Callable[[State, str], list[str]]

    def type(self, state: State, type_: str) -> TypeSpec | None:
        """The type as the edition served has it (None for one it does not have)."""
        if type_ not in state.integration.types(self.kind):
            return None
        return type_spec(self.kind, type_)


def rules_with_action(state: State, bridge_id: str) -> list[str]:
    """Rules naming the action's id among their actions (as strings)."""
    return sorted(rid for rid, rule in state.rules.rules.items() if bridge_id in rule.actions)


def rules_with_source(state: State, bridge_id: str) -> list[str]:
    """Rules reading from the source (`$bridges/<id>` or `$sources/<id>` in `FROM`)."""
    topics = {f"$bridges/{bridge_id}", f"$sources/{bridge_id}"}
    return sorted(rid for rid, rule in state.rules.rules.items() if topics.intersection(rule.froms))


def remove_from_rules(state: State, bridge_id: str, rule_ids: list[str]) -> None:
    """What `also_delete_dep_actions` does: drop the id from those rules' actions."""
    for rid in rule_ids:
        rule = state.rules.rules[rid]
        rule.actions = [a for a in rule.actions if a != bridge_id]


def parse_id(bridge_id: str) -> tuple[str, str]:
    """`{type}:{name}` (an optional `bridge:` prefix dropped), or 404 as EMQX answers a
    malformed id."""
    raw = bridge_id.removeprefix("bridge:")
    parts = raw.split(":")
    if len(parts) != 2:
        raise errors.not_found(
            f"Invalid bridge ID, should be of pattern {{type}}:{{name}}, but got: {raw}",
            status=404,
        )
    type_, name = parts
    problem = name_problem(name)
    if problem is not None:
        raise errors.not_found(f"Invalid bridge ID, {problem}", status=404)
    return _V1_TYPES.get(type_, type_), name


def name_problem(name: str) -> str | None:
    if name == "":
        return "Name cannot be empty string"
    if len(name) >= 255:
        return "Name length must be less than 255"
    if not _NAME.match(name):
        return (
            "Invalid name format. The name must begin with a letter or number (0-9, a-z,"
            " A-Z) and can only include underscores and hyphens as non-initial"
            f" characters. Got: {name}"
        )
    return None


def not_found(type_: str, name: str) -> errors.ApiError:
    return errors.not_found(
        f"Bridge lookup failed: bridge named '{name}' of type {type_} does not exist.",
        status=404,
    )


def connector_type(kind: Kind, record_type: str) -> str:
    """The connector type an action or source type runs on (from the spec)."""
    row = all_types(kind).get(record_type)
    return row.connector_type if row is not None else record_type


def connector_of(
    state: State, record_type: str, config: dict[str, Any], kind: Kind = "action"
) -> BridgeRecord | None:
    name = config.get("connector")
    if not isinstance(name, str):
        return None
    return state.integration.connectors.get((connector_type(kind, record_type), name))


def parameter_defaults(tspec: TypeSpec, given: Any) -> dict[str, Any]:
    """The defaults of a type's `parameters` for the shape `given` has: a type whose
    parameters are one of several shapes (S3's direct or aggregated uploads) gets those of
    the shape the union picks for `given`."""
    info = fields_by_alias(tspec.row.config_model).get("parameters")
    choices = model_choices(info.annotation) if info is not None else []
    if info is None or len(choices) < 2 or not isinstance(given, dict):
        return tspec.parameters
    return _defaults_of(fitting(info.annotation, given, choices[0]))


@functools.cache
def _defaults_of(model: Any) -> dict[str, Any]:
    return fill(model, {})


def _filled(defaults: dict[str, Any], given: Any) -> Any:
    if not isinstance(given, dict):
        return copy.deepcopy(given)
    out = {key: copy.deepcopy(value) for key, value in defaults.items() if key not in given}
    for key, value in given.items():
        below = defaults.get(key)
        if key in _STRUCTS and isinstance(below, dict):
            out[key] = _filled(below, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def status_of(state: State, record: BridgeRecord) -> tuple[str, str]:
    """(status, reason): connected when it and its connector are enabled; otherwise the
    channel is not installed, which EMQX shows as disconnected. An enterprise type's
    connector never connects in the stub, so its channel is not installed either."""
    connector = connector_of(state, record.type, record.config, record.kind)
    if (
        record.enable
        and connector is not None
        and connector.enable
        and not all_types("connector").is_enterprise(connector.type)
    ):
        return "connected", ""
    return "disconnected", "Not installed"


def answer(spec: KindSpec, state: State, record: BridgeRecord) -> dict[str, Any]:
    """The record as GET answers it: settings with defaults, state, rules."""
    tspec = type_spec(spec.kind, record.type)
    config = dict(record.config)
    config.setdefault("enable", True)
    config.setdefault("description", "")
    if tspec is not None:
        given = config.get("parameters", {})
        config["parameters"] = _filled(parameter_defaults(tspec, given), given)
        config["resource_opts"] = _filled(tspec.resource_opts, config.get("resource_opts", {}))
    status, reason = status_of(state, record)
    return {
        **config,
        "created_at": record.created_at,
        "last_modified_at": record.last_modified_at,
        "type": record.type,
        "name": record.name,
        "status": status,
        "status_reason": reason,
        "error": reason,
        "node_status": [{"node": state.node, "status": status, "status_reason": reason}],
        "rules": spec.rules_using(state, record.id),
    }


def summary(spec: KindSpec, state: State, record: BridgeRecord) -> dict[str, Any]:
    status, reason = status_of(state, record)
    return {
        "type": record.type,
        "name": record.name,
        "description": str(record.config.get("description", "")),
        "enable": record.enable,
        "created_at": record.created_at,
        "last_modified_at": record.last_modified_at,
        "status": status,
        "status_reason": reason,
        "node_status": [{"node": state.node, "status": status, "status_reason": reason}],
        "rules": spec.rules_using(state, record.id),
    }


def counters(record: BridgeRecord | None) -> dict[str, Any]:
    values = record.metrics if record is not None else {}
    return {
        name: float(values.get(name, 0)) if name in _RATES else int(values.get(name, 0))
        for name in COUNTERS
    }


def metrics(state: State, record: BridgeRecord | None) -> dict[str, Any]:
    """Summed and per-node counters; zeros for an id that names nothing (EMQX does not look
    the id up)."""
    values = counters(record)
    return {"metrics": values, "node_metrics": [{"node": state.node, "metrics": values}]}
