"""The users of a gateway's or a gateway listener's authenticator: the user operations
both areas share, on the slot's built-in database (see `slot.py`), through the
Authentication area's `UserStore`.

The checks come in EMQX's order: the authenticator must exist (404), then the body's
own checks, then the authenticator must keep users (only a password-based built-in
database does; any other answers `unsupported_operation`), then the user. Imports take
only pre-hashed passwords, as EMQX's gateway import does.
"""

from __future__ import annotations

from ... import errors, models
from ..._responses import UploadedFile
from ..common.authn_config import keeps_users
from ..common.authn_users import UserStore, parse_user_file
from .slot import Slot


def _store(slot: Slot, *, importing: bool = False) -> UserStore:
    authn = slot.required()
    if not keeps_users(authn.config) or authn.config.get("mechanism") != "password_based":
        if importing:
            raise errors.bad_request("Operation not supported in this authentication type")
        raise errors.bad_request("User error: unsupported_operation")
    return authn.users


def list_users(
    slot: Slot,
    page: int,
    limit: int,
    like_user_id: str | None = None,
    is_superuser: bool | None = None,
) -> models.AuthnUserPage:
    return _store(slot).page(page, limit, like_user_id=like_user_id, is_superuser=is_superuser)


def add_user(slot: Slot, body: models.AuthnUserCreate) -> models.AuthnUser:
    slot.required()
    if body.user_id == "":
        raise errors.bad_request("User error: invalid_user_id")
    return _store(slot).add(body.user_id, body.password, body.is_superuser)


def get_user(slot: Slot, uid: str) -> models.AuthnUser:
    return _store(slot).find(uid)


def update_user(slot: Slot, uid: str, body: models.AuthnUserUpdate) -> models.AuthnUser:
    """Only what the body carries changes: a flag left out stays as it was."""
    superuser = body.is_superuser if "is_superuser" in body.model_fields_set else None
    return _store(slot).change(uid, body.password, superuser)


def delete_user(slot: Slot, uid: str) -> None:
    _store(slot).delete(uid)


def import_users(slot: Slot, upload: UploadedFile | None) -> models.AuthnImportResult:
    slot.required()
    if upload is None:
        raise errors.bad_request("Missing required parameter: filename")
    store = _store(slot, importing=True)
    return store.import_users(parse_user_file(upload.filename, upload.content), "hash")
