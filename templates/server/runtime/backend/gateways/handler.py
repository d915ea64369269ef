"""Gateways: the protocol gateways of the build (the enterprise one adds GB/T 32960, JT/T
808 and OCPP), listed, read, loaded, changed, enabled and disabled.

What differs from EMQX: one node; a gateway's connection counts are 0 (clients come from
the Gateway Clients seeding API and are not counted here); loading a gateway whose
listeners lack a name answers 400 where EMQX fails with 500; times are in UTC."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from ... import errors, models
from ..state import State
from .defaults import LISTENER_TYPES, REQUIRED_SAMPLE, gateway_with_defaults
from .state import GatewayAuthn, GatewayRecord, gateway_names, require_served
from .view import (
    GatewayName,
    listener_entry,
    listener_id,
    max_connections,
    running,
    set_enable,
    sorted_listeners,
    status,
    store_listener,
    times,
)

_MODELS: dict[str, Any] = {
    "coap": models.GatewayCoap,
    "exproto": models.GatewayExproto,
    "lwm2m": models.GatewayLwm2m,
    "mqttsn": models.GatewayMqttsn,
    "stomp": models.GatewayStomp,
    "gbt32960": models.GatewayGbt32960,
    "jt808": models.GatewayJt808,
    "ocpp": models.GatewayOcpp,
}
_LISTENER_NAME = re.compile(r"^[a-zA-Z][0-9a-zA-Z_-]*$")
# keys of a gateway body that are not settings
_NOT_SETTINGS = ("name", "listeners", "authentication")


def _overview(state: State, name: str) -> dict[str, Any]:
    record = state.gateways.loaded.get(name)
    if record is None:
        return {"name": name, "status": "unloaded"}
    listeners = sorted_listeners(record)
    max_conns = max_connections([config for _, config in listeners])
    return {
        "name": name,
        "status": status(record),
        **times(record),
        "max_connections": max_conns,
        "current_connections": 0,
        "listeners": [
            {
                "id": lid,
                "type": lid.split(":")[1],
                "name": lid.split(":")[2],
                "running": running(record, config),
            }
            for lid, config in listeners
        ],
        "node_status": [
            {
                "node": state.node,
                "status": status(record),
                "max_connections": max_conns,
                "current_connections": 0,
            }
        ],
    }


def _load_listeners(record: GatewayRecord, items: list[dict[str, Any]]) -> None:
    """Keep the listeners of a load request in the new gateway's record."""
    name = record.name
    for item in items:
        type_, lname = item.get("type"), item.get("name")
        if lname is None:
            raise errors.bad_request("name is required")
        if not _LISTENER_NAME.match(lname):
            raise errors.bad_request(
                f"Bad config value '\"{lname}\"' for 'name', reason: bad_listener_name"
            )
        if type_ not in LISTENER_TYPES[name]:
            raise errors.bad_request(
                f"Invalid configurations: the {name} gateway takes no {type_} listeners"
            )
        conf = {k: v for k, v in item.items() if k not in ("id", "type", "name", "running")}
        store_listener(record, listener_id(name, str(type_), lname), conf)


class GatewaysApi:
    def __init__(self, state: State) -> None:
        self._state = state

    async def list_gateways(
        self, *, status: Literal["running", "stopped", "unloaded"] | None = None
    ) -> list[models.GatewayOverview]:
        with self._state.lock:
            found = [_overview(self._state, name) for name in gateway_names(self._state.edition)]
        if status is not None:
            found = [gw for gw in found if gw["status"] == status]
        return [models.GatewayOverview.model_validate(gw) for gw in found]

    async def get_gateway(self, *, name: GatewayName) -> models.Gateway:
        require_served(self._state.edition, name)
        with self._state.lock:
            record = self._state.gateways.loaded.get(name)
            if record is None:
                data: dict[str, Any] = {"name": name, "status": "unloaded"}
            else:
                data = gateway_with_defaults(name, record.config)
                if record.authn is not None:
                    data["authentication"] = dict(record.authn.config)
                data["listeners"] = [
                    listener_entry(record, lid, config, answer=False)
                    for lid, config in sorted_listeners(record)
                ]
                data.update(name=name, status=status(record), **times(record))
        result: models.Gateway = _MODELS[name].model_validate(data)
        return result

    async def update_gateway(self, *, name: GatewayName, body: models.GatewayConfUpdate) -> None:
        require_served(self._state.edition, name)
        sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if isinstance(body, models.GatewayUpdate):  # no `name`: the path's gateway's shape
            sent = _as_conf({**sent, "name": sent.get("name", name)})
        if sent.get("name") != name:
            raise errors.bad_request(
                f"Invalid configurations: the body is for the {sent.get('name')} gateway, "
                f"not {name}"
            )
        settings = {k: v for k, v in sent.items() if k not in _NOT_SETTINGS}
        with self._state.lock:
            record = self._state.gateways.loaded.get(name)
            if record is None:
                self._load(name, sent, settings)
                return
            enable = bool(settings.pop("enable", record.enable))
            record.config.update(settings)
            set_enable(record, enable)

    def _load(self, name: str, sent: dict[str, Any], settings: dict[str, Any]) -> None:
        for key in REQUIRED_SAMPLE.get(name, {}):
            if key not in settings:
                raise errors.bad_request(
                    f"Invalid configurations: gateway.{name}.{key} is required"
                )
        record = GatewayRecord(name=name, config=settings)
        _load_listeners(record, sent.get("listeners", []))
        if sent.get("authentication") is not None:
            record.authn = GatewayAuthn(config=dict(sent["authentication"]))
        self._state.gateways.loaded[name] = record

    async def enable_gateway(self, *, enable: bool, name: GatewayName) -> None:
        require_served(self._state.edition, name)
        with self._state.lock:
            record = self._state.gateways.loaded.get(name)
            if record is None:
                raise errors.resource_not_found("NOT FOUND", status=404)
            set_enable(record, enable)


def _as_conf(sent: dict[str, Any]) -> dict[str, Any]:
    """An update body checked as the GatewayConf shape its `name` selects."""
    try:
        conf = TypeAdapter(models.GatewayConf).validate_python(sent)
    except ValidationError as bad:
        first = bad.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:])
        raise errors.bad_request(f"Bad config value {where}: {first['msg']}") from None
    dumped: dict[str, Any] = conf.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped
