"""Listeners: the MQTT listeners of the node (tcp, ssl, ws, wss, quic), created, changed,
started, stopped and deleted through the API and kept in the configuration's `listeners`
root (`State.configs`), where `PUT /configs` sees them too.

A fresh node has `tcp:default`, `ssl:default`, `ws:default` and `wss:default`, all
running. A listener's current connections are the connected clients seeded with its id
as their `listener`. Starting a listener on a port another running listener holds fails
as it does on a real node.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ... import errors, models
from ..common.hocon import deep_merge
from ..configs.state import LISTENER_MODELS, ConfigStore, fill_listener
from ..state import State

_LISTENER: TypeAdapter[models.Listener] = TypeAdapter(models.Listener)
_NOT_FOUND = "Listener id not found"
_TYPES = tuple(LISTENER_MODELS)
_WILDCARDS = frozenset({"", "0.0.0.0", "[::]", "::"})
_NAME = re.compile(r"^[A-Za-z0-9]+[A-Za-z0-9_-]*$")


def _wire(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True, exclude_unset=True)


def parse_id(listener_id: str) -> tuple[str, str]:
    """(type, name) of `<type>:<name>`; 400 BAD_REQUEST for another form, as the broker's
    check of the `id` parameter answers."""
    type_, sep, name = listener_id.partition(":")
    if not sep or type_ not in _TYPES:
        raise errors.bad_request(f"id: {{invalid_listener_id,'{listener_id}'}}")
    return type_, name


def format_bind(bind: Any) -> str:
    """The bind as EMQX answers it: `ip:port`, `[ipv6]:port`, or `:port` for a port."""
    text = str(bind).strip()
    if text.isdigit():
        return f":{text}"
    return text


def _address(bind: Any) -> tuple[str, int]:
    host, _, port = format_bind(bind).rpartition(":")
    return host, int(port) if port.isdigit() else 0


class ListenersApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _store(self) -> ConfigStore:
        return self._state.configs

    def _all(self) -> dict[str, dict[str, dict[str, Any]]]:
        listeners: dict[str, dict[str, dict[str, Any]]] = self._store.roots.setdefault(
            "listeners", {}
        )
        return listeners

    def _listed(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """(id, type, name, conf) of every listener, by type then name."""
        return [
            (f"{t}:{n}", t, n, conf)
            for t, group in sorted(self._all().items())
            for n, conf in sorted(group.items())
        ]

    def _find(self, listener_id: str) -> tuple[str, str, dict[str, Any]]:
        type_, name = parse_id(listener_id)
        conf = self._all().get(type_, {}).get(name)
        if conf is None:
            raise errors.bad_listener_id(_NOT_FOUND, status=404)
        return type_, name, conf

    def _connections(self, listener_id: str) -> int:
        if not self._store.running.get(listener_id, False):
            return 0
        clients = self._state.clients.values()
        return sum(1 for c in clients if c.connected and c.listener == listener_id)

    def _status(self, listener_id: str, conf: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "running": self._store.running.get(listener_id, False),
            "max_connections": conf.get("max_connections", "infinity"),
            "current_connections": self._connections(listener_id),
        }

    def _view(self, listener_id: str) -> models.Listener:
        type_, _, conf = self._find(listener_id)
        data = copy.deepcopy(conf)
        data.update(
            {
                "id": listener_id,
                "type": type_,
                "bind": format_bind(conf.get("bind", "")),
                "running": self._store.running.get(listener_id, False),
                "current_connections": self._connections(listener_id),
                "max_connections": conf.get("max_connections", "infinity"),
            }
        )
        return _LISTENER.validate_python(data)

    def _check_port(self, listener_id: str, type_: str, conf: Mapping[str, Any]) -> None:
        """A listener cannot start on a port another running listener of the same
        transport holds (QUIC listens on UDP, the others on TCP)."""
        host, port = _address(conf.get("bind", ""))
        for other_id, other_type, _, other in self._listed():
            if other_id == listener_id or not self._store.running.get(other_id, False):
                continue
            if (other_type == "quic") != (type_ == "quic"):
                continue
            other_host, other_port = _address(other.get("bind", ""))
            same_host = host == other_host or host in _WILDCARDS or other_host in _WILDCARDS
            if port == other_port and same_host:
                raise errors.bad_request(
                    f"{{failed_to_start,'{listener_id}',{{listen_error,eaddrinuse,{port}}}}}"
                )

    def _store_conf(self, listener_id: str, type_: str, name: str, conf: dict[str, Any]) -> None:
        if conf.get("enable", True):
            self._check_port(listener_id, type_, conf)
        self._all().setdefault(type_, {})[name] = conf
        self._store.running[listener_id] = bool(conf.get("enable", True))

    def _create(self, type_: str, name: str, data: Mapping[str, Any]) -> models.Listener:
        if not _NAME.match(name):
            # A listener is a key of the `listeners.<type>` map: HOCON refuses other keys.
            raise errors.bad_request(
                f"invalid_map_key: listener name {name!r} must match {_NAME.pattern}"
            )
        listener_id = f"{type_}:{name}"
        with self._state.lock:
            if name in self._all().get(type_, {}):
                raise errors.bad_listener_id("Already Exist")
            self._store_conf(listener_id, type_, name, fill_listener(type_, data))
            return self._view(listener_id)

    # -- listing ------------------------------------------------------------------------

    async def list_listeners(
        self, *, type: models.ListenerType | None = None
    ) -> list[models.ListenerSummary]:
        wanted = type.value if type is not None else None
        out = []
        with self._state.lock:
            for listener_id, type_, name, conf in self._listed():
                if wanted is not None and type_ != wanted:
                    continue
                status = self._status(listener_id, conf)
                out.append(
                    models.ListenerSummary.model_validate(
                        {
                            "id": listener_id,
                            "type": type_,
                            "name": name,
                            "enable": conf.get("enable", True),
                            "number": 1,
                            "bind": format_bind(conf.get("bind", "")),
                            "acceptors": conf.get("acceptors", 16),
                            "status": status,
                            "node_status": [{"node": self._state.node, "status": status}],
                        }
                    )
                )
        return out

    async def get_listeners_status(self) -> list[models.ListenerTypeStatus]:
        groups: dict[str, dict[str, Any]] = {}
        with self._state.lock:
            for listener_id, type_, _, conf in self._listed():
                status = self._status(listener_id, conf)
                node_status = {"node": self._state.node, "status": status}
                group = groups.get(type_)
                if group is None:
                    groups[type_] = {
                        "type": type_,
                        "enable": conf.get("enable", True),
                        "ids": [listener_id],
                        "status": dict(status),
                        "node_status": [node_status],
                    }
                    continue
                total = group["status"]
                if total["running"] != status["running"]:
                    total["running"] = "inconsistent"
                if "infinity" in (total["max_connections"], status["max_connections"]):
                    total["max_connections"] = "infinity"
                else:
                    total["max_connections"] += status["max_connections"]
                total["current_connections"] += status["current_connections"]
                group["ids"] = sorted({*group["ids"], listener_id})
                group["node_status"].insert(0, node_status)
        return [models.ListenerTypeStatus.model_validate(g) for _, g in sorted(groups.items())]

    # -- one listener -------------------------------------------------------------------

    async def get_listener(self, *, id: str) -> models.Listener:
        with self._state.lock:
            return self._view(id)

    async def create_listener(self, *, body: models.ListenerCreate) -> models.Listener:
        data = _wire(body)
        # An empty name is refused by HOCON in _create (400 BAD_REQUEST invalid_map_key),
        # as EMQX's create/3 answers it (emqx_mgmt_api_listeners.erl, v5.8.9).
        return self._create(str(data["type"]), str(data["name"]), data)

    async def create_listener_with_id(self, *, id: str, body: models.Listener) -> models.Listener:
        # The id in the path is checked for its form only; the body's id decides.
        parse_id(id)
        data = _wire(body)
        type_, name = parse_id(str(data["id"]))
        if type_ != data["type"]:
            raise errors.bad_request("listener_type_inconsistent")
        return self._create(type_, name, data)

    async def update_listener(self, *, id: str, body: models.ListenerUpdate) -> models.Listener:
        parse_id(id)
        data = _wire(body)
        body_type, _ = parse_id(str(data["id"]))
        if body_type != data["type"]:
            raise errors.bad_request("listener_type_inconsistent")
        if data["id"] != id:
            raise errors.bad_listener_id("Path and body's listener id not match")
        with self._state.lock:
            type_, name, prev = self._find(id)
            merged = deep_merge(prev, data)
            if "limiter" in data:
                merged["limiter"] = data["limiter"]
            self._store_conf(id, type_, name, fill_listener(type_, merged))
            return self._view(id)

    async def delete_listener(self, *, id: str) -> None:
        with self._state.lock:
            type_, name, _ = self._find(id)
            del self._all()[type_][name]
            self._store.running.pop(id, None)

    # -- start, stop, restart -----------------------------------------------------------

    def _act(self, listener_id: str, enable: bool) -> None:
        with self._state.lock:
            type_, name, conf = self._find(listener_id)
            self._store_conf(listener_id, type_, name, {**conf, "enable": enable})

    async def start_listener(self, *, id: str) -> None:
        self._act(id, True)

    async def stop_listener(self, *, id: str) -> None:
        self._act(id, False)

    async def restart_listener(self, *, id: str) -> None:
        self._act(id, True)
