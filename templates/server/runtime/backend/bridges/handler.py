"""Bridges: the version 1 data bridge API over the connectors, actions and sources of
`State.integration`. A v1 bridge `webhook:<name>` is the action `http:<name>` and the
connector it uses; `mqtt:<name>` is the action (egress) or source (ingress) `mqtt:<name>`
and its connector; an enterprise bridge (`kafka:<name>`, `redis_single:<name>`...) is the
action or source its type is stored as (the spec's `x-emqx-action-type`, read into the
generated bridge type table) and its connector. An action or source is a v1 bridge only
while its connector serves nothing else.

The open-source build ("ce") refuses a body of an enterprise type as its body check does
for a type it does not know (emqx_bridge_schema.erl, `bridge_api_union`: 400 BAD_REQUEST
"unknown bridge type"). An enterprise bridge never connects in the stub: it answers
`disconnected` with the reason of an unreachable target, its probe fails with 400
TEST_FAILED and `start`/`restart` with 400, as for its connector.

What differs from EMQX: nothing is connected, so `start`, `stop` and `restart` only check
the bridge and the node; a bridge is `connected` while it and its connector are enabled.
Counters never move by themselves. The creation body is checked against the spec (EMQX
only checks it when storing the configuration); `http` is created as `webhook`, as EMQX
does, but refused by the probe, and a body without `type` or `name` is answered with
400 (EMQX's handler fails on it with 500).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import TypeAdapter

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
    UNREACHABLE,
    connector_config,
    name_problem,
    split_id,
    unreachable,
    wire,
)
from ..integration.state import BridgeRecord, Kind, all_types
from ..integration.type_table import IntegrationTypeRow, TypeTable, unknown_type_error
from ..state import State
from . import v1_convert, v1_ee
from .v1_types import ALL, check, check_channel, connector_type, kind_of, v1_names

_BRIDGE: TypeAdapter[models.BridgesBridge] = TypeAdapter(models.BridgesBridge)
_OPEN_SOURCE = ("http", "mqtt")  # action types of the open-source v1 bridges (v1_convert)
_COUNTERS = tuple(models.BridgesMetricCounters.model_fields)
_DIRECTIONS = ("egress", "ingress")
_NON_COMPAT = "bridge already exists as non Bridge V1 compatible action"
Found = tuple[BridgeRecord, BridgeRecord]  # (action or source, its connector)


def _not_found(type_: str, name: str) -> errors.ApiError:
    return errors.not_found(
        f"Bridge lookup failed: bridge named '{name}' of type {type_} does not exist."
    )


class BridgesApi:
    def __init__(self, state: State) -> None:
        self._state = state

    # -- types and lookups --------------------------------------------------------------

    @property
    def _types(self) -> TypeTable:
        """The v1 bridge types of the edition imitated."""
        return ALL.for_edition(self._state.integration.edition)

    def _row(self, v1_type: str) -> IntegrationTypeRow:
        """The row of a v1 type of a body; the open-source build refuses an enterprise type
        as a type it does not know."""
        row = self._types.get(v1_type)
        if row is None:
            raise unknown_type_error("action", v1_type)
        return row

    def _parse_id(self, bridge_id: str) -> tuple[str, str]:
        """(action type, name) of a v1 bridge id; 404 NOT_FOUND when it is not valid."""
        if bridge_id.startswith("bridge:"):
            bridge_id = bridge_id[len("bridge:") :]
        parsed = split_id(bridge_id, self._types)
        if isinstance(parsed, str):
            raise errors.not_found(f"Invalid bridge ID, {parsed}")
        row = self._types.get(parsed[0])
        assert row is not None
        return row.action_type, parsed[1]

    def _channel(self, type_: str, name: str) -> BridgeRecord | None:
        integration = self._state.integration
        return integration.actions.get((type_, name)) or integration.sources.get((type_, name))

    def _connector_of(self, channel: BridgeRecord) -> BridgeRecord | None:
        """The connector of an action or source when it serves only that one."""
        integration = self._state.integration
        row = all_types(channel.kind).get(channel.type)
        conn_type = row.connector_type if row is not None else channel.type
        conn = integration.connectors.get((conn_type, channel.connector or ""))
        if conn is None or integration.users_of(conn.type, conn.name) != [channel]:
            return None
        return conn

    def _find(self, bridge_id: str, non_compat: errors.ApiError | None = None) -> Found:
        """The bridge's records; 404 when missing, `non_compat` (default 404) when the
        action is not a v1 bridge."""
        type_, name = self._parse_id(bridge_id)
        channel = self._channel(type_, name)
        if channel is None:
            raise _not_found(type_, name)
        conn = self._connector_of(channel)
        if conn is None:
            raise non_compat or _not_found(type_, name)
        return channel, conn

    def _v1_type(self, channel: BridgeRecord, conn: BridgeRecord) -> str | None:
        """The v1 type of an action or source, None when it has none in this edition."""
        names = [n for n in v1_names(channel.type) if n in self._types]
        if not names:
            return None
        if (
            channel.kind == "source"
            and channel.type != "mqtt"
            and kind_of(channel.type) != "source"
        ):
            return None  # a source of a type whose v1 bridge sends (RabbitMQ)
        return v1_ee.v1_type_of(names, conn.config)

    def _view(self, channel: BridgeRecord, conn: BridgeRecord) -> models.BridgesBridge:
        v1_type = self._v1_type(channel, conn)
        assert v1_type is not None
        row = self._row(v1_type)
        if channel.type in _OPEN_SOURCE:
            v1 = v1_convert.merge(channel.type, channel.kind, conn.config, channel.config)
        else:
            v1 = v1_ee.merge(v1_type, conn.config, channel.config)
        model = row.config_model
        # The direction a bridge does not have stays out (`fill` would make it up).
        filled = fill(model, v1)
        config = obfuscate({k: v for k, v in filled.items() if k in v1 or k not in _DIRECTIONS})
        enabled = channel.enable and conn.enable
        unreached = enabled and all_types("connector").is_enterprise(conn.type)
        status = "connected" if enabled and not unreached else "disconnected"
        node: dict[str, Any] = {"status": status}
        reason: dict[str, Any] = {}
        if unreached:
            node["status_reason"] = reason["status_reason"] = UNREACHABLE
        nodes = running_nodes(self._state)
        return _BRIDGE.validate_python(
            {
                "type": v1_type,
                "name": channel.name,
                **config,
                "status": status,
                **reason,
                "node_status": [{"node": n, **node} for n in nodes],
            }
        )

    # -- create, read, change, delete ---------------------------------------------------

    def _split(
        self, row: IntegrationTypeRow, data: dict[str, Any], conn_name: str
    ) -> tuple[dict[str, Any], Kind, dict[str, Any]]:
        if row.action_type in _OPEN_SOURCE:
            return v1_convert.split(row.action_type, data, conn_name)
        kind = kind_of(row.action_type)
        conn, channel = v1_ee.split(row.name, row.action_type, kind, data, conn_name)
        return conn, kind, channel

    def _store(
        self, row: IntegrationTypeRow, name: str, data: dict[str, Any], found: Found | None
    ) -> BridgeRecord:
        """Split a v1 configuration and store its connector and action or source."""
        integration = self._state.integration
        type_ = row.action_type
        data = {k: v for k, v in data.items() if k not in ("type", "name")}
        check(row, data)
        conn_type_name = connector_type(type_)
        if found is None:
            conn_name, n = name, 1
            while (conn_type_name, conn_name) in integration.connectors:
                n += 1
                conn_name = f"{name}_{n}"
        else:
            conn_name = found[1].name
        conn_conf, kind, channel_conf = self._split(row, data, conn_name)
        old = found[1].config if found else None
        conn_conf = connector_config(conn_type_name, conn_conf, old)
        if type_ not in _OPEN_SOURCE:
            check_channel(kind, type_, channel_conf)
        if found is not None:
            channel, conn = found
            integration.table(channel.kind).pop((type_, name))
            conn.config, conn.last_modified_at = conn_conf, now_ms()
        else:
            conn = BridgeRecord(
                kind="connector", type=conn_type_name, name=conn_name, config=conn_conf
            )
            integration.connectors[(conn_type_name, conn_name)] = conn
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
                conn = self._connector_of(channel) if v1_names(channel.type) else None
                if conn is not None and self._v1_type(channel, conn) is not None:
                    out.append(self._view(channel, conn))
            return out

    async def create_bridge(self, *, body: models.BridgesBridgeCreate) -> models.BridgesBridge:
        data = wire(body)
        row = self._row(str(data["type"]))
        type_, name = row.action_type, str(data["name"])
        with self._state.lock:
            problem = name_problem(name)
            if problem is not None:
                raise errors.bad_request(problem)
            existing = self._channel(type_, name)
            if existing is not None:
                compatible = self._connector_of(existing) is not None
                raise errors.already_exists("bridge already exists" if compatible else _NON_COMPAT)
            record = self._store(row, name, data, None)
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
            channel, conn = found
            v1_type = self._v1_type(channel, conn)
            assert v1_type is not None
            record = self._store(self._row(v1_type), channel.name, wire(body), found)
            return self._view(record, conn)

    def _dependent_rules(self, channel: BridgeRecord) -> tuple[list[str], list[str]]:
        """(ids the rules may name the bridge by, the rules that use it)."""
        if channel.kind == "source":
            return [], rules_with_source(self._state, channel.id)
        ids = [channel.id, *(f"{v1}:{channel.name}" for v1 in v1_names(channel.type))]
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
        type_, name = self._parse_id(id)
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
        type_, name = self._parse_id(id)
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

    def _operate(self, id: str, node: str | None, operation: str) -> None:
        type_, name = self._parse_id(id)
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
            conn = self._connector_of(channel)
            unreached = conn is not None and all_types("connector").is_enterprise(conn.type)
            if unreached and operation != "stop":
                # its connector cannot reach the target: starting it hands back the reason
                raise errors.bad_request(UNREACHABLE)

    async def operate_bridge(
        self, *, id: str, operation: Literal["start", "stop", "restart"]
    ) -> None:
        self._operate(id, None, operation)

    async def operate_bridge_on_node(
        self, *, id: str, node: str, operation: Literal["start", "stop", "restart"]
    ) -> None:
        self._operate(id, node, operation)

    async def probe_bridge(self, *, body: models.BridgesBridgeCreate) -> None:
        data = wire(body)
        if data["type"] == "http":  # the probe's schema check knows only `webhook`
            raise errors.bad_request("unknown bridge type: http")
        row = self._row(str(data["type"]))
        type_, name = row.action_type, str(data["name"])
        with self._state.lock:
            channel = self._channel(type_, name)
            conn = self._connector_of(channel) if channel else None
            config_in = {k: v for k, v in data.items() if k not in ("type", "name")}
            try:
                check(row, config_in)
                conn_conf, _, _ = self._split(row, config_in, name)
                config = connector_config(
                    connector_type(type_), conn_conf, conn.config if conn else None
                )
            except errors.ApiError as bad:
                raise errors.test_failed(bad.message) from None
        reason = unreachable(connector_type(type_), config)
        if reason is not None:
            raise errors.test_failed(reason)
