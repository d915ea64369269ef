"""Bridges: the version 1 data bridge API over the connectors, actions and sources of
`State.integration`. A v1 bridge `webhook:<name>` is the action `http:<name>` and the
connector it uses; `mqtt:<name>` is the action (egress) or source (ingress) `mqtt:<name>`
and its connector. An action or source is a v1 bridge only while its connector serves
nothing else.

What differs from EMQX: nothing is connected, so `start`, `stop` and `restart` only check
the bridge and the node; a bridge is `connected` while it and its connector are enabled.
Counters never move by themselves. The creation body is checked against the spec (EMQX
only checks it when storing the configuration); `http` is created as `webhook`, as EMQX
does, but refused by the probe, and a body without `type` or `name` is answered with
400 (EMQX's handler fails on it with 500).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError

from ... import errors, models
from ..cluster.members import running_nodes
from ..common.clock import now_ms
from ..configs.state import fill, obfuscate
from ..integration.bridge_v2 import (
    remove_from_rules,
    rules_with_action,
    rules_with_source,
)
from ..integration.bridge_v2_ops import RulesDependError
from ..integration.connector_store import (
    connector_config,
    name_problem,
    split_id,
    unreachable,
    wire,
)
from ..integration.state import BridgeRecord
from ..state import State
from .v1_convert import V1_TO_V2, V2_TO_V1, merge, split

_BRIDGE: TypeAdapter[models.BridgesBridge] = TypeAdapter(models.BridgesBridge)
_V1_MODELS: dict[str, type[BaseModel]] = {
    "http": models.BridgesWebhookUpdate,
    "mqtt": models.BridgesMqttUpdate,
}
_COUNTERS = tuple(models.BridgesMetricCounters.model_fields)
_DIRECTIONS = ("egress", "ingress")
_NON_COMPAT = "bridge already exists as non Bridge V1 compatible action"
Found = tuple[BridgeRecord, BridgeRecord]  # (action or source, its connector)


def _parse_id(bridge_id: str) -> tuple[str, str]:
    """(action type, name) of a v1 bridge id; 404 NOT_FOUND when it is not valid."""
    if bridge_id.startswith("bridge:"):
        bridge_id = bridge_id[len("bridge:") :]
    parsed = split_id(bridge_id, V1_TO_V2)
    if isinstance(parsed, str):
        raise errors.not_found(f"Invalid bridge ID, {parsed}")
    return V1_TO_V2[parsed[0]], parsed[1]


def _not_found(type_: str, name: str) -> errors.ApiError:
    return errors.not_found(
        f"Bridge lookup failed: bridge named '{name}' of type {type_} does not exist."
    )


def _check(type_: str, config: dict[str, Any]) -> None:
    """400 BAD_REQUEST unless `config` fits the v1 model of the type."""
    try:
        _V1_MODELS[type_].model_validate(config)
    except ValidationError as bad:
        fields = sorted({".".join(map(str, e["loc"])) for e in bad.errors()})
        raise errors.bad_request(f"invalid bridge configuration: {', '.join(fields)}") from None


class BridgesApi:
    def __init__(self, state: State) -> None:
        self._state = state

    # -- lookups ------------------------------------------------------------------------

    def _channel(self, type_: str, name: str) -> BridgeRecord | None:
        integration = self._state.integration
        return integration.actions.get((type_, name)) or integration.sources.get((type_, name))

    def _connector_of(self, channel: BridgeRecord) -> BridgeRecord | None:
        """The connector of an action or source when it serves only that one."""
        integration = self._state.integration
        conn = integration.connectors.get((channel.type, channel.connector or ""))
        if conn is None or integration.users_of(conn.type, conn.name) != [channel]:
            return None
        return conn

    def _find(self, bridge_id: str, non_compat: errors.ApiError | None = None) -> Found:
        """The bridge's records; 404 when missing, `non_compat` (default 404) when the
        action is not a v1 bridge."""
        type_, name = _parse_id(bridge_id)
        channel = self._channel(type_, name)
        if channel is None:
            raise _not_found(type_, name)
        conn = self._connector_of(channel)
        if conn is None:
            raise non_compat or _not_found(type_, name)
        return channel, conn

    def _view(self, channel: BridgeRecord, conn: BridgeRecord) -> models.BridgesBridge:
        v1 = merge(channel.type, channel.kind, conn.config, channel.config)
        # The direction a bridge does not have stays out (`fill` would make it up).
        filled = fill(_V1_MODELS[channel.type], v1)
        config = obfuscate({k: v for k, v in filled.items() if k in v1 or k not in _DIRECTIONS})
        status = "connected" if channel.enable and conn.enable else "disconnected"
        nodes = running_nodes(self._state)
        return _BRIDGE.validate_python(
            {
                "type": V2_TO_V1[channel.type],
                "name": channel.name,
                **config,
                "status": status,
                "node_status": [{"node": node, "status": status} for node in nodes],
            }
        )

    # -- create, read, change, delete ---------------------------------------------------

    def _store(
        self, type_: str, name: str, data: dict[str, Any], found: Found | None
    ) -> BridgeRecord:
        """Split a v1 configuration and store its connector and action or source."""
        integration = self._state.integration
        data = {k: v for k, v in data.items() if k not in ("type", "name")}
        _check(type_, data)
        if found is None:
            conn_name, n = name, 1
            while (type_, conn_name) in integration.connectors:
                n += 1
                conn_name = f"{name}_{n}"
        else:
            conn_name = found[1].name
        conn_conf, kind, channel_conf = split(type_, data, conn_name)
        old = found[1].config if found else None
        conn_conf = connector_config(type_, conn_conf, old)
        if found is not None:
            channel, conn = found
            integration.table(channel.kind).pop((type_, name))
            conn.config, conn.last_modified_at = conn_conf, now_ms()
        else:
            conn = BridgeRecord(kind="connector", type=type_, name=conn_name, config=conn_conf)
            integration.connectors[(type_, conn_name)] = conn
        record = BridgeRecord(kind=kind, type=type_, name=name, config=channel_conf)
        if found is not None:
            record.created_at, record.metrics = found[0].created_at, found[0].metrics
        integration.table(kind)[(type_, name)] = record
        return record

    async def list_bridges(self) -> list[models.BridgesBridge]:
        with self._state.lock:
            integration = self._state.integration
            out = []
            for channel in [*integration.actions.values(), *integration.sources.values()]:
                conn = self._connector_of(channel) if channel.type in V2_TO_V1 else None
                if conn is not None and (channel.kind == "action" or channel.type == "mqtt"):
                    out.append(self._view(channel, conn))
            return out

    async def create_bridge(self, *, body: models.BridgesBridgeCreate) -> models.BridgesBridge:
        data = wire(body)
        type_, name = V1_TO_V2[str(data["type"])], str(data["name"])
        with self._state.lock:
            problem = name_problem(name)
            if problem is not None:
                raise errors.bad_request(problem)
            existing = self._channel(type_, name)
            if existing is not None:
                compatible = self._connector_of(existing) is not None
                raise errors.already_exists("bridge already exists" if compatible else _NON_COMPAT)
            record = self._store(type_, name, data, None)
            conn = self._connector_of(record)
            assert conn is not None
            return self._view(record, conn)

    async def get_bridge(self, *, id: str) -> models.BridgesBridge:
        with self._state.lock:
            return self._view(*self._find(id))

    async def update_bridge(
        self, *, id: str, body: models.BridgesBridgeUpdate
    ) -> models.BridgesBridge:
        with self._state.lock:
            found = self._find(id, errors.already_exists(_NON_COMPAT))
            channel = found[0]
            record = self._store(channel.type, channel.name, wire(body), found)
            return self._view(record, found[1])

    def _dependent_rules(self, channel: BridgeRecord) -> tuple[list[str], list[str]]:
        """(ids the rules may name the bridge by, the rules that use it)."""
        if channel.kind == "source":
            return [], rules_with_source(self._state, channel.id)
        ids = [channel.id, f"{V2_TO_V1[channel.type]}:{channel.name}"]
        users = {rid for bid in ids for rid in rules_with_action(self._state, bid)}
        return ids, sorted(users)

    async def delete_bridge(self, *, id: str, also_delete_dep_actions: bool = False) -> None:
        with self._state.lock:
            channel, conn = self._find(id, errors.bad_request(_NON_COMPAT))
            ids, rules = self._dependent_rules(channel)
            if rules and not also_delete_dep_actions:
                raise RulesDependError("bridge", rules)
            for bid in ids:
                remove_from_rules(self._state, bid, rules)
            integration = self._state.integration
            integration.table(channel.kind).pop((channel.type, channel.name))
            integration.connectors.pop((conn.type, conn.name))

    # -- counters -----------------------------------------------------------------------

    async def get_bridge_metrics(self, *, id: str) -> models.BridgesMetrics:
        type_, name = _parse_id(id)
        with self._state.lock:
            channel = self._channel(type_, name)
            if channel is None or self._connector_of(channel) is None:
                zero = dict.fromkeys(_COUNTERS, 0)
                return models.BridgesMetrics.model_validate({"metrics": zero, "node_metrics": []})
            mine = {key: channel.metrics.get(key, 0) for key in _COUNTERS}
            nodes = [
                {
                    "node": node,
                    "metrics": mine if node == self._state.node else dict.fromkeys(_COUNTERS, 0),
                }
                for node in running_nodes(self._state)
            ]
            return models.BridgesMetrics.model_validate({"metrics": mine, "node_metrics": nodes})

    async def reset_bridge_metrics(self, *, id: str) -> None:
        type_, name = _parse_id(id)
        with self._state.lock:
            channel = self._channel(type_, name)
            if channel is None:
                raise errors.bad_request(f"{{config_not_found,[actions,{type_},{name}]}}")
            if channel.enable:
                channel.metrics.clear()

    # -- enable and operations ----------------------------------------------------------

    async def set_bridge_enabled(self, *, enable: bool, id: str) -> None:
        with self._state.lock:
            channel, conn = self._find(id, errors.bad_request(_NON_COMPAT))
            for record in (channel, conn):
                record.config["enable"] = enable
                record.last_modified_at = now_ms()

    def _operate(self, id: str, node: str | None) -> None:
        type_, name = _parse_id(id)
        with self._state.lock:
            channel = self._channel(type_, name)
            if channel is None:
                raise _not_found(type_, name)
            if not channel.enable:
                raise errors.bad_request("Forbidden operation, bridge not enabled")
            if node is not None and node not in running_nodes(self._state):
                if node in self._state.cluster.standalone:
                    raise errors.not_found(f"Node not found: {node}")
                raise errors.not_found(f"Invalid node name: {node}")

    async def operate_bridge(
        self, *, id: str, operation: Literal["start", "stop", "restart"]
    ) -> None:
        self._operate(id, None)

    async def operate_bridge_on_node(
        self, *, id: str, node: str, operation: Literal["start", "stop", "restart"]
    ) -> None:
        self._operate(id, node)

    async def probe_bridge(self, *, body: models.BridgesBridgeCreate) -> None:
        data = wire(body)
        if data["type"] == "http":  # the probe's schema check knows only `webhook`
            raise errors.bad_request("unknown bridge type: http")
        type_, name = V1_TO_V2[str(data["type"])], str(data["name"])
        with self._state.lock:
            channel = self._channel(type_, name)
            conn = self._connector_of(channel) if channel else None
            try:
                _check(type_, {k: v for k, v in data.items() if k not in ("type", "name")})
                conn_conf, _, _ = split(type_, data, name)
                conn_conf.pop("type", None)
                conn_conf.pop("name", None)
                config = connector_config(type_, conn_conf, conn.config if conn else None)
            except errors.ApiError as bad:
                raise errors.test_failed(bad.message) from None
        reason = unreachable(type_, config)
        if reason is not None:
            raise errors.test_failed(reason)
