"""The thirteen operations of actions and of sources, written once: `BridgeV2Ops` works on
one kind's table of `State.integration` and answers with wire-name dictionaries, which
`actions` and `sources` turn into their models.

What differs from EMQX: there is one node and no remote system. An action or source is
`connected` when it and its connector are enabled, `disconnected` ("Not installed")
otherwise; `start` and the probe succeed whenever the connector exists and is enabled;
counters stay at zero (nothing flows through). The types, their models and the connector
type each runs on come from the spec (`type_table.py`). An enterprise type's connector
never connects, so its channel stays `disconnected` ("Not installed"), `start` answers 400
BAD_REQUEST and the probe 400 TEST_FAILED with the connector's reason; the open-source build
refuses an enterprise type's body as an unknown type (400 BAD_REQUEST)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from ... import errors
from ..common.clock import now_ms
from ..state import State
from .bridge_v2 import (
    KindSpec,
    answer,
    connector_of,
    metrics,
    name_problem,
    not_found,
    parse_id,
    remove_from_rules,
    summary,
)
from .connector_store import UNREACHABLE
from .state import BridgeRecord, all_types
from .type_table import unknown_type_error

# what EMQX drops from a body before storing it
_NOT_STORED = ("id", "type", "name", "status", "status_reason", "node_status", "node")


class RulesDependError(errors.ApiError):
    """400 BAD_REQUEST with the ids of the rules that use the action or source."""

    def __init__(self, kind: str, rules: list[str]) -> None:
        super().__init__(
            400, "BAD_REQUEST", f"Cannot delete {kind} while active rules are depending on it"
        )
        self.rules = rules

    def body(self) -> dict[str, Any]:
        return {**super().body(), "rules": self.rules}


def _raw(body: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return data


def _unknown_parameters(model: type[BaseModel], config: dict[str, Any]) -> list[str]:
    """Fields of `parameters` the type's shape does not have."""
    field = model.model_fields.get("parameters")
    shape = getattr(field, "annotation", None)
    given = config.get("parameters")
    if not isinstance(given, dict) or not isinstance(shape, type):
        return []
    if not issubclass(shape, BaseModel):
        return []
    known = {f.alias or name for name, f in shape.model_fields.items()}
    return sorted(set(given) - known)


class BridgeV2Ops:
    """The operations of one kind (actions or sources) over the shared state."""

    def __init__(self, state: State, spec: KindSpec) -> None:
        self._state = state
        self._spec = spec

    @property
    def _table(self) -> dict[tuple[str, str], BridgeRecord]:
        return self._state.integration.table(self._spec.kind)

    def _find(self, bridge_id: str) -> BridgeRecord:
        type_, name = parse_id(bridge_id)
        record = self._table.get((type_, name))
        if record is None:
            raise not_found(type_, name)
        return record

    def _check_connector(self, type_: str, name: str, config: dict[str, Any]) -> None:
        if connector_of(self._state, type_, config, self._spec.kind) is None:
            reason = {
                "reason": "connector_not_found_or_wrong_type",
                "connector_name": config.get("connector"),
                "bridge_name": name,
                "bridge_type": type_,
            }
            raise errors.bad_request(json.dumps(reason), status=400)

    def _config(self, type_: str, raw: dict[str, Any]) -> dict[str, Any]:
        """The body as stored, after checking it against the type's shape."""
        tspec = self._spec.type(self._state, type_)
        if tspec is None:
            raise unknown_type_error(self._spec.kind, type_)
        config = {k: v for k, v in raw.items() if k not in _NOT_STORED}
        config.pop("created_at", None)
        config.pop("last_modified_at", None)
        try:
            tspec.row.check_update(config)
        except ValidationError as bad:
            first = bad.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise errors.bad_request(f"{where}: {first['msg']}", status=400) from None
        unknown = _unknown_parameters(tspec.row.config_model, config)
        if unknown:
            raise errors.bad_request(
                json.dumps({"reason": "unknown_fields", "unknown": unknown}), status=400
            )
        return config

    # -- operations ----------------------------------------------------------------------

    def types(self) -> list[str]:
        return self._state.integration.types(self._spec.kind).names()

    def all(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return [answer(self._spec, self._state, r) for r in self._table.values()]

    def summaries(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return [summary(self._spec, self._state, r) for r in self._table.values()]

    def create(self, body: BaseModel) -> dict[str, Any]:
        raw = _raw(body)
        type_, name = str(raw["type"]), str(raw["name"])
        with self._state.lock:
            if (type_, name) in self._table:
                raise errors.already_exists("bridge already exists", status=400)
            problem = name_problem(name)
            if problem is not None:
                raise errors.bad_request(
                    json.dumps({"kind": "validation_error", "reason": problem}), status=400
                )
            config = self._config(type_, raw)
            self._check_connector(type_, name, config)
            record = BridgeRecord(kind=self._spec.kind, type=type_, name=name, config=config)
            self._table[(type_, name)] = record
            return answer(self._spec, self._state, record)

    def get(self, bridge_id: str) -> dict[str, Any]:
        with self._state.lock:
            return answer(self._spec, self._state, self._find(bridge_id))

    def update(self, bridge_id: str, body: BaseModel) -> dict[str, Any]:
        with self._state.lock:
            record = self._find(bridge_id)
            config = self._config(record.type, _raw(body))
            self._check_connector(record.type, record.name, config)
            record.config = config
            record.last_modified_at = now_ms()
            return answer(self._spec, self._state, record)

    def delete(self, bridge_id: str, also_delete_dep_actions: bool) -> None:
        with self._state.lock:
            record = self._find(bridge_id)
            rules = self._spec.rules_using(self._state, record.id)
            if rules and not also_delete_dep_actions:
                raise RulesDependError(self._spec.kind, rules)
            remove_from_rules(self._state, record.id, rules)
            del self._table[(record.type, record.name)]

    def metrics(self, bridge_id: str) -> dict[str, Any]:
        type_, name = parse_id(bridge_id)
        with self._state.lock:
            return metrics(self._state, self._table.get((type_, name)))

    def reset_metrics(self, bridge_id: str) -> None:
        type_, name = parse_id(bridge_id)
        with self._state.lock:
            record = self._table.get((type_, name))
            if record is None:
                # EMQX's handler matches `ok` against `{error, not_found}` and crashes
                raise errors.internal_error(
                    "{badmatch,{error,not_found}}",
                    status=500,
                )
            if record.enable:
                record.metrics.clear()

    def set_enabled(self, bridge_id: str, enable: bool) -> None:
        with self._state.lock:
            record = self._find(bridge_id)
            record.config["enable"] = enable
            record.last_modified_at = now_ms()

    def start(self, bridge_id: str, node: str | None = None) -> None:
        if node is not None and node != self._state.node:
            parse_id(bridge_id)
            raise errors.not_found(f"Invalid node name: {node}", status=404)
        with self._state.lock:
            record = self._find(bridge_id)
            connector = connector_of(self._state, record.type, record.config, self._spec.kind)
            if connector is None:
                raise not_found(record.type, record.name)
            if not (record.enable and connector.enable):
                raise errors.bad_request("Forbidden operation, bridge not enabled", status=400)
            if all_types("connector").is_enterprise(connector.type):
                # its connector cannot reach the target: the channel does not come up
                raise errors.bad_request(UNREACHABLE, status=400)

    def probe(self, body: BaseModel) -> None:
        raw = _raw(body)
        type_ = str(raw["type"])
        with self._state.lock:
            config = self._config(type_, raw)
            connector = connector_of(self._state, type_, config, self._spec.kind)
            if connector is None:
                raise errors.test_failed(
                    f'Connector <<"{config.get("connector")}">> not found', status=400
                )
            if all_types("connector").is_enterprise(connector.type):
                # the connector's target is out of reach, so the channel cannot be added
                raise errors.test_failed(UNREACHABLE, status=400)
