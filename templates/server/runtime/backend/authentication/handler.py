"""Authentication: the global chain of authenticators, their status and order, and the
users of the built-in database ones (see `state.py`, `common/authn_config.py`, `common/authn_users.py`).

What differs from EMQX: authenticators never reach their backends, so each one reports
`connected` with counters at zero; settings the broker fills in from nested defaults
(TLS options of a backend without `ssl`, for instance) are left out when not sent; every
password is hashed with salted SHA-256 whatever the configured algorithm."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import TypeAdapter

from ... import errors, models
from ..._responses import UploadedFile
from ..common.authn_config import (
    answer_form,
    authenticator_id,
    keep_secrets,
    status,
    stored_form,
)
from ..common.authn_users import parse_user_file
from ..common.edition_branches import refuse_enterprise_authenticator
from ..state import State
from .state import AuthnState

_CONFIG: TypeAdapter[Any] = TypeAdapter(models.AuthnConfig)


def _model(answer: dict[str, Any]) -> models.AuthnConfig:
    parsed: models.AuthnConfig = _CONFIG.validate_python(answer)
    return parsed


class AuthenticationApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _authn(self) -> AuthnState:
        return self._state.authn

    # -- authenticators -----------------------------------------------------------------

    async def list_authenticators(self) -> list[models.AuthnConfig]:
        with self._state.lock:
            return [_model(answer_form(record.config)) for record in self._authn.chain]

    async def create_authenticator(self, *, body: models.AuthnConfig) -> models.AuthnConfig:
        config = stored_form(body)
        refuse_enterprise_authenticator(self._state.edition, "AuthnConfig", config)
        with self._state.lock:
            record = self._authn.add(config)
            return _model(answer_form(record.config, masked=False))

    async def get_authenticator(self, *, id: str) -> models.AuthnConfig:
        with self._state.lock:
            return _model(answer_form(self._authn.get(id).config))

    async def update_authenticator(self, *, id: str, body: models.AuthnConfig) -> None:
        sent = stored_form(body)
        refuse_enterprise_authenticator(self._state.edition, "AuthnConfig", sent)
        with self._state.lock:
            record = self._authn.get(id)
            config = keep_secrets(sent, record.config)
            if authenticator_id(config) != id:
                raise errors.bad_request("Change of authentication type is not allowed", status=400)
            record.config = config

    async def delete_authenticator(self, *, id: str) -> None:
        with self._state.lock:
            self._authn.remove(id)

    async def get_authenticator_status(self, *, id: str) -> models.AuthnStatus:
        with self._state.lock:
            return status(self._authn.get(id).config, self._state.node)

    async def move_authenticator(self, *, id: str, position: str) -> None:
        with self._state.lock:
            self._authn.move(id, position)

    async def reorder_authenticators(self, *, body: list[models.AuthnOrderItem]) -> None:
        with self._state.lock:
            self._authn.reorder([item.id for item in body])

    # -- users --------------------------------------------------------------------------

    async def list_authenticator_users(
        self,
        *,
        id: str,
        is_superuser: bool | None = None,
        like_user_id: str | None = None,
        limit: int = 100,
        page: int = 1,
    ) -> models.AuthnUserPage:
        with self._state.lock:
            users = self._authn.with_users(id)
            return users.page(page, limit, like_user_id=like_user_id, is_superuser=is_superuser)

    async def create_authenticator_user(
        self, *, id: str, body: models.AuthnUserCreate
    ) -> models.AuthnUser:
        with self._state.lock:
            users = self._authn.with_users(id)
            return users.add(body.user_id, body.password, body.is_superuser)

    async def get_authenticator_user(self, *, id: str, user_id: str) -> models.AuthnUser:
        with self._state.lock:
            return self._authn.with_users(id).find(user_id)

    async def update_authenticator_user(
        self, *, id: str, user_id: str, body: models.AuthnUserUpdate
    ) -> models.AuthnUser:
        superuser = body.is_superuser if "is_superuser" in body.model_fields_set else None
        with self._state.lock:
            return self._authn.with_users(id).change(user_id, body.password, superuser)

    async def delete_authenticator_user(self, *, id: str, user_id: str) -> None:
        with self._state.lock:
            self._authn.with_users(id).delete(user_id)

    async def import_authenticator_users(
        self,
        *,
        id: str,
        type: Literal["plain", "hash"] = "hash",
        body: list[models.AuthnImportUser] | None = None,
        filename: UploadedFile | None = None,
    ) -> models.AuthnImportResult:
        with self._state.lock:
            self._authn.require_chain()
            record = self._authn.get(id)
            if (
                record.config.get("mechanism") != "password_based"
                or record.config.get("backend") != "built_in_database"
            ):
                raise errors.bad_request(
                    "Operation not supported in this authentication type", status=400
                )
            if filename is not None:
                users = parse_user_file(filename.filename, filename.content)
            else:
                users = [
                    user.model_dump(mode="json", by_alias=True, exclude_unset=True)
                    for user in body or []
                ]
            return record.users.import_users(users, type)
