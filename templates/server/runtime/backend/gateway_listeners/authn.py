"""The authenticator of a gateway listener and its built-in database users:
/gateways/{name}/listeners/{id}/authentication...

The places and the user operations are shared with the Gateway Authentication area
(`gateway_authentication/slot.py`, `gateway_authentication/users.py`); see there for what differs from EMQX."""

from __future__ import annotations

from ... import models
from ..._responses import Answer
from ..gateway_authentication import users as users
from ..gateway_authentication.slot import Slot, config_of, listener_slot, read_answer
from ..state import State


class GatewayListenerAuthnOps:
    _state: State

    def _listener_slot(self, name: str, id: str) -> Slot:
        return listener_slot(self._state, name, id)

    async def get_gateway_listener_authenticator(
        self, *, id: str, name: str
    ) -> models.GatewayAuthenticator | Answer:
        with self._state.lock:
            return read_answer(self._listener_slot(name, id))

    async def create_gateway_listener_authenticator(
        self, *, id: str, name: str, body: models.GatewayAuthenticator
    ) -> models.GatewayAuthenticator:
        config = config_of(body, self._state.edition)
        with self._state.lock:
            self._listener_slot(name, id).create(config)
        return body

    async def update_gateway_listener_authenticator(
        self, *, id: str, name: str, body: models.GatewayAuthenticator
    ) -> models.GatewayAuthenticator:
        config = config_of(body, self._state.edition)
        with self._state.lock:
            self._listener_slot(name, id).update(config)
        return body

    async def delete_gateway_listener_authenticator(self, *, id: str, name: str) -> None:
        with self._state.lock:
            self._listener_slot(name, id).remove()

    async def list_gateway_listener_authn_users(
        self, *, id: str, name: str, limit: int = 100, page: int = 1
    ) -> models.AuthnUserPage:
        with self._state.lock:
            return users.list_users(self._listener_slot(name, id), page, limit)

    async def create_gateway_listener_authn_user(
        self, *, id: str, name: str, body: models.AuthnUserCreate
    ) -> models.AuthnUser:
        with self._state.lock:
            return users.add_user(self._listener_slot(name, id), body)

    async def get_gateway_listener_authn_user(
        self, *, id: str, name: str, uid: str
    ) -> models.AuthnUser:
        with self._state.lock:
            return users.get_user(self._listener_slot(name, id), uid)

    async def update_gateway_listener_authn_user(
        self, *, id: str, name: str, uid: str, body: models.AuthnUserUpdate
    ) -> models.AuthnUser:
        with self._state.lock:
            return users.update_user(self._listener_slot(name, id), uid, body)

    async def delete_gateway_listener_authn_user(self, *, id: str, name: str, uid: str) -> None:
        with self._state.lock:
            users.delete_user(self._listener_slot(name, id), uid)
