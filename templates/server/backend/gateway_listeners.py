"""Gateway Listeners: the listeners of a loaded gateway and the authenticator of each
listener, each part in its own module."""

from __future__ import annotations

from ._gateway_listener_authn import GatewayListenerAuthnOps
from ._gateway_listener_crud import GatewayListenerCrudOps
from ._state import State


class GatewayListenersApi(GatewayListenerCrudOps, GatewayListenerAuthnOps):
    def __init__(self, state: State) -> None:
        self._state = state
