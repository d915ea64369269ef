"""Gateway Listeners: the listeners of a loaded gateway and the authenticator of each
listener, each part in its own module."""

from __future__ import annotations

from ..state import State
from .authn import GatewayListenerAuthnOps
from .crud import GatewayListenerCrudOps


class GatewayListenersApi(GatewayListenerCrudOps, GatewayListenerAuthnOps):
    def __init__(self, state: State) -> None:
        self._state = state
