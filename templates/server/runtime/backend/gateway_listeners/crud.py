"""The listeners of a loaded gateway: /gateways/{name}/listeners and
/gateways/{name}/listeners/{id}.

As in EMQX, the gateway in the path only has to be loaded: a listener is looked up (and
changed or removed) in the gateway its id names. Adding and changing answer the settings
as sent; reading and listing fill in the defaults. What differs from EMQX: listeners do not
open sockets, so one runs exactly when it and its gateway are enabled, a port may be bound
twice, and connection counts are 0; changing a listener keeps its authenticator (EMQX
drops it unless the body carries it)."""

from __future__ import annotations

from typing import Any

from ... import errors, models
from ..gateways.defaults import LISTENER_TYPES
from ..gateways.state import GatewayRecord, require_served
from ..gateways.view import (
    GatewayName,
    listener_entry,
    listener_id,
    loaded,
    running,
    sorted_listeners,
    split_id,
    store_listener,
)
from ..state import State

_MODELS: dict[str, Any] = {
    "tcp": models.GatewayListenerTcp,
    "ssl": models.GatewayListenerSsl,
    "udp": models.GatewayListenerUdp,
    "dtls": models.GatewayListenerDtls,
    "ws": models.GatewayListenerWs,
    "wss": models.GatewayListenerWss,
}
# keys of a listener body that are not settings
_NOT_SETTINGS = ("id", "type", "name", "running")


def _model(entry: dict[str, Any]) -> models.GatewayListener:
    result: models.GatewayListener = _MODELS[entry["type"]].model_validate(entry)
    return result


def _settings(body: models.GatewayListener) -> dict[str, Any]:
    sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {k: v for k, v in sent.items() if k not in _NOT_SETTINGS}


def _status(record: GatewayRecord, config: dict[str, Any]) -> dict[str, Any]:
    limit = config.get("max_connections", 1024)
    return {
        "running": running(record, config),
        "max_connections": limit,
        "current_connections": 0,
    }


class GatewayListenerCrudOps:
    _state: State

    def _find(self, listener_id: str) -> tuple[GatewayRecord, dict[str, Any]] | None:
        """The listener in the gateway its id names, if that gateway has it."""
        gateway, _, _ = split_id(listener_id)
        require_served(self._state.edition, gateway)
        record = self._state.gateways.loaded.get(gateway)
        if record is None or listener_id not in record.listeners:
            return None
        return record, record.listeners[listener_id]

    async def list_gateway_listeners(self, *, name: GatewayName) -> list[models.GatewayListener]:
        with self._state.lock:
            record = loaded(self._state, name)
            out = []
            for lid, config in sorted_listeners(record):
                entry = listener_entry(record, lid, config, answer=True)
                status = _status(record, config)
                entry["status"] = status
                entry["node_status"] = [{"node": self._state.node, "status": status}]
                out.append(_model(entry))
        return out

    async def create_gateway_listener(
        self, *, name: GatewayName, body: models.GatewayListener
    ) -> models.GatewayListener:
        sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        with self._state.lock:
            record = loaded(self._state, name)
            for key in ("type", "name", "bind"):
                if key not in sent:
                    raise errors.bad_request(f"{key} is required")
            lid = listener_id(name, sent["type"], sent["name"])
            if lid in record.listeners:
                raise errors.bad_request("Listener name has occupied")
            if sent["type"] not in LISTENER_TYPES[name]:
                raise errors.bad_request(
                    f"Invalid configurations: the {name} gateway takes no {sent['type']} listeners"
                )
            settings = _settings(body)
            store_listener(record, lid, settings)
            return _model({**settings, "id": lid, "type": sent["type"], "name": sent["name"]})

    async def get_gateway_listener(self, *, id: str, name: GatewayName) -> models.GatewayListener:
        with self._state.lock:
            loaded(self._state, name)
            found = self._find(id)
            if found is None:
                raise errors.resource_not_found("Listener not found", status=404)
            record, config = found
            entry = listener_entry(record, id, config, answer=True)
            entry["running"] = running(record, config)
            return _model(entry)

    async def update_gateway_listener(
        self, *, id: str, name: GatewayName, body: models.GatewayListener
    ) -> models.GatewayListener:
        with self._state.lock:
            loaded(self._state, name)
            found = self._find(id)
            if found is None:
                raise errors.bad_request(f"Listener {id} not found")
            record, _ = found
            _, type_, lname = split_id(id)
            if body.type != type_:
                raise errors.bad_request(
                    f"Invalid configurations: listener {id} is a {type_} listener, "
                    f"the body is for {body.type}"
                )
            settings = _settings(body)
            store_listener(record, id, settings)
            return _model({**settings, "id": id, "type": type_, "name": lname})

    async def delete_gateway_listener(self, *, id: str, name: GatewayName) -> None:
        with self._state.lock:
            loaded(self._state, name)
            found = self._find(id)
            if found is None:
                raise errors.resource_not_found("Listener not found", status=404)
            record, _ = found
            del record.listeners[id]
            record.listener_authn.pop(id, None)
