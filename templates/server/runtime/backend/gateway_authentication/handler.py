"""Gateway Authentication: the authenticator of a loaded gateway and the users of its
built-in database, and the user imports of a gateway's and a listener's authenticator.

The places and the user operations are shared with the Gateway Listeners area
(`gateway_authentication/slot.py`, `gateway_authentication/users.py`); see there for what differs from EMQX."""

from __future__ import annotations

from ... import models
from ..._responses import Answer, UploadedFile
from ..state import State
from . import users as users
from .slot import Slot, config_of, gateway_slot, listener_slot, read_answer


class GatewayAuthenticationApi:
    def __init__(self, state: State) -> None:
        self._state = state

    def _slot(self, name: str) -> Slot:
        return gateway_slot(self._state, name)

    async def get_gateway_authenticator(self, *, name: str) -> models.GatewayAuthenticator | Answer:
        with self._state.lock:
            return read_answer(self._slot(name))

    async def create_gateway_authenticator(
        self, *, name: str, body: models.GatewayAuthenticator
    ) -> models.GatewayAuthenticator:
        config = config_of(body, self._state.edition)
        with self._state.lock:
            self._slot(name).create(config)
        return body

    async def update_gateway_authenticator(
        self, *, name: str, body: models.GatewayAuthenticator
    ) -> models.GatewayAuthenticator:
        config = config_of(body, self._state.edition)
        with self._state.lock:
            self._slot(name).update(config)
        return body

    async def delete_gateway_authenticator(self, *, name: str) -> None:
        with self._state.lock:
            self._slot(name).remove()

    async def list_gateway_authn_users(
        self,
        *,
        name: str,
        is_superuser: bool | None = None,
        like_user_id: str | None = None,
        limit: int = 100,
        page: int = 1,
    ) -> models.AuthnUserPage:
        with self._state.lock:
            return users.list_users(self._slot(name), page, limit, like_user_id, is_superuser)

    async def create_gateway_authn_user(
        self, *, name: str, body: models.AuthnUserCreate
    ) -> models.AuthnUser:
        with self._state.lock:
            return users.add_user(self._slot(name), body)

    async def get_gateway_authn_user(self, *, name: str, uid: str) -> models.AuthnUser:
        with self._state.lock:
            return users.get_user(self._slot(name), uid)

    async def update_gateway_authn_user(
        self, *, name: str, uid: str, body: models.AuthnUserUpdate
    ) -> models.AuthnUser:
        with self._state.lock:
            return users.update_user(self._slot(name), uid, body)

    async def delete_gateway_authn_user(self, *, name: str, uid: str) -> None:
        with self._state.lock:
            users.delete_user(self._slot(name), uid)

    async def import_gateway_authn_users(
        self, *, name: str, filename: UploadedFile | None = None
    ) -> models.AuthnImportResult:
        with self._state.lock:
            return users.import_users(self._slot(name), filename)

    async def import_gateway_listener_authn_users(
        self, *, id: str, name: str, filename: UploadedFile | None = None
    ) -> models.AuthnImportResult:
        with self._state.lock:
            return users.import_users(listener_slot(self._state, name, id), filename)
