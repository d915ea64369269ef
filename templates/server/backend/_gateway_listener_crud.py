"""The listeners of a loaded gateway: /gateways/{name}/listeners and
/gateways/{name}/listeners/{id}."""

from __future__ import annotations

from ._state import State


class GatewayListenerCrudOps:
    _state: State
