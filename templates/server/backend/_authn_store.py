"""Built-in database users of an authenticator: the store shared by the Authentication,
Gateway Authentication and Gateway Listeners areas.

Passwords are kept only as salted hashes; the operations on users (listing with
`like_user_id`/`is_superuser` filters and pages, import from CSV or JSON) are the
Authentication area's and are reused by the gateway areas.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field


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


def _hash(salt: bytes, password: str) -> bytes:
    return hashlib.sha256(salt + password.encode("utf-8")).digest()


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
