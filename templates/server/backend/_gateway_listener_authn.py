"""The authenticator of a gateway listener and its built-in database users:
/gateways/{name}/listeners/{id}/authentication..."""

from __future__ import annotations

from ._state import State


class GatewayListenerAuthnOps:
    _state: State
