"""Connectors: connections to external systems that actions and sources use, kept in
`State.integration` (see `integration/connector_store.py` for ids, configurations and answers).

What differs from EMQX: no connection is made. An enabled open-source connector is
`connected` on every running node and a disabled one `disconnected`; an enterprise one
(served as "ee") is `disconnected` with a reason, as EMQX shows a connector whose target
it cannot reach; `start` always succeeds on an enabled connector. As "ce" the enterprise
types are refused as the open-source build refuses a type it does not know. A probe fails (TEST_FAILED) only when the configuration itself is not
usable: an HTTP `url` that is not `http(s)://host[:port][/path]`, or an MQTT `server`
that is not `host[:port]` with a port from 1 to 65535. A refused delete names the actions
and sources in its message as `<kind>:<type>:<name>` (EMQX prints its internal channel
ids there).
"""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from ... import errors, models
from ..cluster.members import running_nodes
from ..common.clock import now_ms
from ..integration.connector_store import (
    connector_config,
    connector_not_found,
    connector_view,
    find_connector,
    parse_connector_id,
    status_reason,
    unreachable,
    wire,
)
from ..integration.state import BridgeRecord
from ..integration.type_table import refuse_unknown_type
from ..state import State

_CONNECTOR: TypeAdapter[models.ConnectorsConnector] = TypeAdapter(models.ConnectorsConnector)


class ConnectorsApi:
    def __init__(self, state: State) -> None:
        self._state = state

    def _answer(self, record: BridgeRecord) -> models.ConnectorsConnector:
        return _CONNECTOR.validate_python(connector_view(self._state, record))

    async def list_connectors(self) -> list[models.ConnectorsConnector]:
        with self._state.lock:
            return [self._answer(r) for r in self._state.integration.connectors.values()]

    async def create_connector(
        self, *, body: models.ConnectorsConnectorCreate
    ) -> models.ConnectorsConnector:
        data = wire(body)
        type_, name = str(data["type"]), str(data["name"])
        refuse_unknown_type(self._state.integration, "connector", type_)
        with self._state.lock:
            table = self._state.integration.connectors
            if (type_, name) in table:
                raise errors.already_exists("connector already exists")
            config = connector_config(type_, data)
            record = BridgeRecord(kind="connector", type=type_, name=name, config=config)
            table[(type_, name)] = record
            return self._answer(record)

    async def get_connector(self, *, id: str) -> models.ConnectorsConnector:
        with self._state.lock:
            return self._answer(find_connector(self._state.integration, id))

    async def update_connector(
        self, *, id: str, body: models.ConnectorsConnectorUpdate
    ) -> models.ConnectorsConnector:
        with self._state.lock:
            record = find_connector(self._state.integration, id, "id")
            record.config = connector_config(record.type, wire(body), record.config)
            record.last_modified_at = now_ms()
            return self._answer(record)

    async def delete_connector(self, *, id: str) -> None:
        with self._state.lock:
            integration = self._state.integration
            record = find_connector(integration, id)
            users = integration.users_of(record.type, record.name)
            if users:
                channels = ", ".join(f"{u.kind}:{u.id}" for u in users)
                raise errors.bad_request(
                    "Cannot delete connector while there are active channels defined for "
                    f"this connector: {channels}"
                )
            del integration.connectors[(record.type, record.name)]

    async def set_connector_enabled(self, *, enable: bool, id: str) -> None:
        with self._state.lock:
            record = find_connector(self._state.integration, id)
            record.config["enable"] = enable
            record.last_modified_at = now_ms()

    def _start(self, id: str, node: str | None) -> None:
        type_, name = parse_connector_id(self._state.integration, id)
        with self._state.lock:
            if node is not None and node not in running_nodes(self._state):
                if node not in self._state.cluster.standalone:
                    raise errors.not_found(f"Invalid node name: {node}")
            record = self._state.integration.connectors.get((type_, name))
            if record is None:
                raise connector_not_found(type_, name)
            if not record.enable:
                raise errors.bad_request("Forbidden operation, connector not enabled")
            if node is not None and node not in running_nodes(self._state):
                raise errors.not_found(f"Node not found: {node}")
            reason = status_reason(record)
            if reason is not None:
                # the resource manager waits for `connected` and hands back the reason it
                # is disconnected, answered 400 (emqx_connector_api.erl:799)
                raise errors.bad_request(reason)

    async def operate_connector(self, *, id: str, operation: Literal["start"]) -> None:
        self._start(id, None)

    async def operate_connector_on_node(
        self, *, id: str, node: str, operation: Literal["start"]
    ) -> None:
        self._start(id, node)

    async def probe_connector(self, *, body: models.ConnectorsConnectorCreate) -> None:
        data = wire(body)
        type_, name = str(data["type"]), str(data["name"])
        refuse_unknown_type(self._state.integration, "connector", type_)
        with self._state.lock:
            old = self._state.integration.connectors.get((type_, name))
            try:
                config = connector_config(type_, data, old.config if old else None)
            except errors.ApiError as bad:
                raise errors.test_failed(bad.message) from None
        reason = unreachable(type_, config)
        if reason is not None:
            raise errors.test_failed(reason)
