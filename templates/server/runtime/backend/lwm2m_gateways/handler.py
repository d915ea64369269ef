"""LwM2M Gateways: commands to LwM2M devices (read, write, observe) and the lookup of
their recorded results.

What differs from EMQX: a seeded device answers at once, from the resource values seeded
with `InMemoryBackend.set_lwm2m_resource` (a device seeded with `responsive=False` never
answers, so its results stay `reply_not_received`); EMQX sends the command over CoAP and
records the reply whenever it arrives. `observe` with `enable=true` records an `observe`
command (see the report: EMQX, which does not convert this query value, sends
`cancel-observe` for any `enable`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import models
from ..gateway_clients.state import CmdResult, GatewayClient
from ..gateway_clients.store import connected_device, seeded
from ..state import State

_NOT_RECEIVED = ("6.01", "reply_not_received")


def normal_path(path: str) -> str:
    """`3/0/7/` and `/3/0/7` name the same resource."""
    return "/" + path.strip().strip("/")


def _convert(kind: str, text: str) -> Any:
    """A written value as its data type (ValueError if it is not one)."""
    if kind in ("Integer", "Time"):
        return int(text)
    if kind == "Float":
        return float(text)
    if kind == "Boolean":
        if text.lower() in ("true", "1"):
            return True
        if text.lower() in ("false", "0"):
            return False
        raise ValueError(text)
    return text


def _read(device: GatewayClient, path: str) -> CmdResult:
    content = [
        {"path": key, "value": value}
        for key, value in device.resources.items()
        if key == path or key.startswith(path + "/")
    ]
    if not content:
        return ("4.04", "not_found", None)
    return ("2.05", "content", content)


def _write(device: GatewayClient, path: str, kind: str, text: str) -> CmdResult:
    try:
        device.resources[path] = _convert(kind, text)
    except ValueError:
        return ("4.00", "bad_request", None)
    return ("2.04", "changed", None)


class Lwm2mGatewaysApi:
    def __init__(self, state: State) -> None:
        self._state = state

    def _send(
        self, clientid: str, path: str, action: str, reply: Callable[[GatewayClient], CmdResult]
    ) -> None:
        """Record the command as sent, then the device's reply (`reply(device)`) if it
        answers."""
        with self._state.lock:
            device = connected_device(self._state, "lwm2m", clientid)
            device.record_cmd(path, action, None)
            if device.responsive:
                device.record_cmd(path, action, reply(device))

    async def lookup_lwm2m_resource(
        self, *, clientid: str, action: str, path: str
    ) -> models.Lwm2mLookupResult:
        with self._state.lock:
            device = connected_device(self._state, "lwm2m", clientid)
            result = device.cmd_records.get((normal_path(path), action))
        body: dict[str, Any] = {"clientid": clientid, "action": action, "path": path}
        if result is None:
            body["code"], body["codeMsg"] = _NOT_RECEIVED
        else:
            body["code"], body["codeMsg"], content = result
            if content is not None:
                body["content"] = content
        return models.Lwm2mLookupResult.model_validate(body)

    async def observe_lwm2m_resource(self, *, clientid: str, enable: bool, path: str) -> None:
        at = normal_path(path)
        action = "observe" if enable else "cancel-observe"
        self._send(clientid, at, action, lambda d: _read(d, at))

    async def read_lwm2m_resource(self, *, clientid: str, path: str) -> None:
        at = normal_path(path)
        self._send(clientid, at, "read", lambda d: _read(d, at))

    async def write_lwm2m_resource(
        self, *, clientid: str, path: str, type: models.Lwm2mDataType, value: str
    ) -> None:
        at = normal_path(path)
        self._send(clientid, at, "write", lambda d: _write(d, at, type.value, value))


def set_resource(state: State, clientid: str, path: str, value: Any) -> None:
    """Give a seeded LwM2M device a resource value (KeyError if the device is unknown)."""
    with state.lock:
        seeded(state, "lwm2m", clientid).resources[normal_path(path)] = value


def record_reply(
    state: State,
    clientid: str,
    path: str,
    action: str,
    code: str,
    code_msg: str,
    content: list[dict[str, Any]] | None = None,
) -> None:
    """Record a device's reply to a command, as the gateway does when one arrives."""
    with state.lock:
        device = seeded(state, "lwm2m", clientid)
        device.record_cmd(normal_path(path), action, (code, code_msg, content))
