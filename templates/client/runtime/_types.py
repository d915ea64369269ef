"""Small shared types: timeouts, redirects and the defaults of a client."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

Timeout = float | httpx.Timeout
# A file to upload: its bytes, (filename, bytes), or (filename, bytes, media type).
FileInput = bytes | tuple[str, bytes] | tuple[str, bytes, str]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_BASE_URL = "http://localhost:18083/api/v5"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class Redirect:
    """A 3xx answer, which the client returns rather than follows: the operations that
    declare one send a browser on (EMQX's single sign-on, to the identity provider or
    back to the dashboard), so where it points is the result."""

    status: int
    location: str
