"""API keys: created, read, changed and deleted with a bearer token; used as HTTP Basic
credentials (key as user name, secret as password) while enabled and not expired."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from typing import Any

from ... import errors, models
from ..common.clock import dt_s, epoch_s, now_s
from ..state import State
from .state import ApiKeyRecord

MAX_KEYS = 100
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NOT_FOUND = "Name NOT FOUND"
_NAME = re.compile("[A-Za-z]+[A-Za-z0-9_-]*")


def derive_key(name: str) -> str:
    """The key EMQX derives from a name: the first 16 hex digits of its SHA-512."""
    return hashlib.sha512(name.encode("utf-8")).hexdigest()[:16]


def new_secret() -> str:
    """32 random bytes in base62, as EMQX makes secrets."""
    number = int.from_bytes(secrets.token_bytes(32), "big")
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(reversed(digits)) or "0"


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def check_key(state: State, api_key: str, secret_key: str) -> bool:
    """Whether an API key made over HTTP accepts this secret now."""
    given = hash_secret(secret_key)
    now = now_s()
    with state.lock:
        records = [r for r in state.api_keys.values() if r.api_key == api_key]
    for record in records:
        matches = hmac.compare_digest(record.secret_hash, given)
        live = record.enable and (record.expired_at is None or record.expired_at >= now)
        if matches and live:
            return True
    return False


def key_role(state: State, api_key: str) -> str:
    """The role of an API key made over HTTP (administrator for any other key)."""
    with state.lock:
        roles = [r.role for r in state.api_keys.values() if r.api_key == api_key]
    return roles[0] if roles else "administrator"


def _expiry(value: models.ApiKeyExpiryInput | None) -> int | None:
    """Epoch seconds, or None for `infinity` (also when left out)."""
    if value is None:
        return None
    if isinstance(value, datetime | int):
        return epoch_s("expired_at", value)
    return None


def _check_role(state: State, role: models.ApiKeyRole | None, fields_set: set[str]) -> str:
    """The role to store: the one sent, else administrator (also on update, as in EMQX).
    The open-source build knows only the administrator role; the enterprise build has
    viewer and publisher too (the schema's enum refuses others)."""
    if "role" not in fields_set or role is None:
        return "administrator"
    if state.edition != "ee" and role != models.ApiKeyRole.ADMINISTRATOR:
        raise errors.bad_request('<<"Role does not exist">>', status=400)
    return str(role.value)


def _fields(record: ApiKeyRecord, edition: str = "ce") -> dict[str, Any]:
    # the enterprise build shows each key's role; the open-source build leaves it out
    extra = {"role": record.role} if edition == "ee" else {}
    return {
        **extra,
        "name": record.name,
        "api_key": record.api_key,
        "expired_at": "infinity" if record.expired_at is None else dt_s(record.expired_at),
        "created_at": dt_s(record.created_at),
        "desc": record.desc,
        "enable": record.enable,
        "expired": record.expired_at is not None and record.expired_at < now_s(),
    }


def format_key(record: ApiKeyRecord, edition: str = "ce") -> models.ApiKey:
    return models.ApiKey.model_validate(_fields(record, edition))


class ApiKeysApi:
    """ApiKeysHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _record(self, name: str) -> ApiKeyRecord:
        if not _NAME.fullmatch(name) or len(name.encode("utf-8")) > 256:
            raise errors.bad_request(f"name: {name!r} is not a valid API key name", status=400)
        record = self._state.api_keys.get(name)
        if record is None:
            raise errors.not_found(_NOT_FOUND, status=404)
        return record

    async def list_api_keys(self) -> list[models.ApiKey]:
        with self._state.lock:
            return [format_key(r, self._state.edition) for r in self._state.api_keys.values()]

    async def create_api_key(self, *, body: models.ApiKeyCreateRequest) -> models.ApiKeyWithSecret:
        role = _check_role(self._state, body.role, body.model_fields_set)
        name = body.name
        secret = new_secret()
        with self._state.lock:
            if len(self._state.api_keys) >= MAX_KEYS:
                raise errors.bad_request('"Maximum number of ApiKeys reached."', status=400)
            if name in self._state.api_keys:
                raise errors.bad_request("name_already_existed", status=400)
            record = ApiKeyRecord(
                name=name,
                api_key=derive_key(name),
                secret_hash=hash_secret(secret),
                enable=body.enable,
                desc=body.desc,
                expired_at=_expiry(body.expired_at),
                created_at=now_s(),
                role=role,
            )
            self._state.api_keys[name] = record
            fields = _fields(record, self._state.edition)
            return models.ApiKeyWithSecret.model_validate({**fields, "api_secret": secret})

    async def get_api_key(self, *, name: str) -> models.ApiKey:
        with self._state.lock:
            return format_key(self._record(name), self._state.edition)

    async def update_api_key(self, *, name: str, body: models.ApiKeyUpdateRequest) -> models.ApiKey:
        with self._state.lock:
            record = self._record(name)
            role = _check_role(self._state, body.role, body.model_fields_set)
            # Leaving out `expired_at` sets the expiry back to infinity, as in the broker.
            expired_at = _expiry(body.expired_at)  # checked before anything changes
            record.role = role
            if body.desc is not None:
                record.desc = body.desc
            if body.enable is not None:
                record.enable = body.enable
            record.expired_at = expired_at
            return format_key(record, self._state.edition)

    async def delete_api_key(self, *, name: str) -> None:
        with self._state.lock:
            self._record(name)
            del self._state.api_keys[name]
