"""Built-in database users of an authenticator: the store shared by the Authentication,
Gateway Authentication and Gateway Listeners areas.

Passwords are kept only as salted hashes. The user operations (create, read, change,
delete, list with `like_user_id`/`is_superuser` filters and pages, import from CSV or
JSON) raise the errors EMQX's authentication API answers with, so every area that serves
users answers alike.

What differs from EMQX: every password is hashed with salted SHA-256 whatever the
authenticator's `password_hash_algorithm`; a plain import always gives a new salt, so an
existing user re-imported with `type=plain` counts as `override`, never `skipped`.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ... import errors, models
from .paging import paginate


@dataclass
class AuthnUserRecord:
    user_id: str
    is_superuser: bool = False
    salt: bytes = field(default=b"", repr=False)
    password_hash: bytes = field(default=b"", repr=False)

    def set_password(self, password: str) -> None:
        self.salt = os.urandom(16)
        self.password_hash = _hash(self.salt, password)

    def check_password(self, password: str) -> bool:
        return hmac.compare_digest(self.password_hash, _hash(self.salt, password))

    def to_model(self) -> models.AuthnUser:
        return models.AuthnUser(user_id=self.user_id, is_superuser=self.is_superuser)


def _hash(salt: bytes, password: str) -> bytes:
    return hashlib.sha256(salt + password.encode("utf-8")).digest()


def _user_not_found() -> errors.ApiError:
    return errors.not_found("User not found", status=404)


@dataclass
class UserStore:
    """The users of one built-in database authenticator, in creation order."""

    users: dict[str, AuthnUserRecord] = field(default_factory=dict)

    def get(self, user_id: str) -> AuthnUserRecord | None:
        return self.users.get(user_id)

    def put(self, record: AuthnUserRecord) -> None:
        self.users[record.user_id] = record

    def remove(self, user_id: str) -> AuthnUserRecord | None:
        return self.users.pop(user_id, None)

    def __len__(self) -> int:
        return len(self.users)

    # -- the API's user operations ------------------------------------------------------

    def add(self, user_id: str, password: str, is_superuser: bool = False) -> models.AuthnUser:
        """`POST .../users`: 409 ALREADY_EXISTS when the id is taken."""
        if user_id in self.users:
            raise errors.already_exists("User already exists", status=409)
        record = AuthnUserRecord(user_id, is_superuser)
        record.set_password(password)
        self.users[user_id] = record
        return record.to_model()

    def find(self, user_id: str) -> models.AuthnUser:
        """`GET .../users/{user_id}`: 404 NOT_FOUND for an unknown user."""
        record = self.users.get(user_id)
        if record is None:
            raise _user_not_found()
        return record.to_model()

    def change(
        self, user_id: str, password: str | None, is_superuser: bool | None = None
    ) -> models.AuthnUser:
        """`PUT .../users/{user_id}`: a new password and/or superuser flag."""
        record = self.users.get(user_id)
        if record is None:
            raise _user_not_found()
        if password is not None:
            record.set_password(password)
        if is_superuser is not None:
            record.is_superuser = is_superuser
        return record.to_model()

    def delete(self, user_id: str) -> None:
        """`DELETE .../users/{user_id}`: 404 NOT_FOUND for an unknown user."""
        if self.users.pop(user_id, None) is None:
            raise _user_not_found()

    def page(
        self,
        page: int,
        limit: int,
        like_user_id: str | None = None,
        is_superuser: bool | None = None,
    ) -> models.AuthnUserPage:
        """`GET .../users`: one page of the users matching every filter given."""
        matching = [
            record.to_model()
            for record in self.users.values()
            if (like_user_id is None or like_user_id in record.user_id)
            and (is_superuser is None or record.is_superuser == is_superuser)
        ]
        data, meta = paginate(matching, page, limit)
        return models.AuthnUserPage(data=data, meta=meta)

    def import_users(
        self, users: Sequence[dict[str, Any]], password_type: str
    ) -> models.AuthnImportResult:
        """`POST .../import_users`: add or replace users given as dicts of wire names
        (`user_id`, `password` or `password_hash` and `salt`, `is_superuser`). Every user
        is checked before any is stored, as EMQX converts the whole list first."""
        converted = [_convert(user, password_type) for user in users]
        if not converted:
            raise errors.bad_request("empty_users", status=400)
        counts = {"success": 0, "override": 0, "skipped": 0, "failed": 0}
        for record in converted:
            old = self.users.get(record.user_id)
            if old is None:
                counts["success"] += 1
            elif (old.password_hash, old.salt, old.is_superuser) == (
                record.password_hash,
                record.salt,
                record.is_superuser,
            ):
                counts["skipped"] += 1
                continue
            else:
                counts["override"] += 1
            self.users[record.user_id] = record
        return models.AuthnImportResult(total=len(converted), **counts)


def _convert(user: Any, password_type: str) -> AuthnUserRecord:
    if not isinstance(user, dict) or not isinstance(user.get("user_id"), str):
        raise errors.bad_request("bad_format", status=400)
    superuser = user.get("is_superuser") in (True, "true")
    record = AuthnUserRecord(user["user_id"], superuser)
    if password_type == "plain":
        password = user.get("password")
        if not isinstance(password, str):
            raise errors.bad_request('"plain_import_requires_password_field"', status=400)
        record.set_password(password)
    else:
        password_hash = user.get("password_hash")
        if not isinstance(password_hash, str):
            raise errors.bad_request('"hash_import_requires_password_hash_field"', status=400)
        record.password_hash = password_hash.encode("utf-8")
        record.salt = str(user.get("salt") or "").encode("utf-8")
    return record


def parse_user_file(filename: str, data: bytes) -> list[dict[str, Any]]:
    """The users of an uploaded file: a `.json` array or a `.csv` table with a header row.
    400 BAD_REQUEST (with EMQX's reason) for other names or contents that do not parse."""
    extension = os.path.splitext(filename)[1]
    if extension == ".json":
        try:
            users = json.loads(data)
        except ValueError:
            raise errors.bad_request("bad_json", status=400) from None
        if not isinstance(users, list):
            raise errors.bad_request("unknown_file_format", status=400)
        return users
    if extension == ".csv":
        text = data.decode("utf-8", errors="replace")
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    if not extension:
        raise errors.bad_request("unknown_file_format", status=400)
    raise errors.bad_request(f'{{unsupported_file_format,<<"{extension}">>}}', status=400)
