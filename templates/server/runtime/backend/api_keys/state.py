"""The API keys made through the API (their secrets kept only as hashes)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApiKeyRecord:
    name: str
    api_key: str
    secret_hash: bytes = field(repr=False)
    enable: bool
    desc: str
    expired_at: int | None  # epoch seconds, None: infinity
    created_at: int
    role: str = "administrator"  # the enterprise build's roles: administrator, viewer, publisher
