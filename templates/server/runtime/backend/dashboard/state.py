"""STATE DOC"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TokenRecord:
    username: str
    expires_at: float = field(repr=False)


@dataclass
class UserRecord:
    salt: bytes = field(repr=False)
    password_hash: bytes = field(repr=False)
    description: str = ""
