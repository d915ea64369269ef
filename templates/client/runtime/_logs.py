"""The client's logging: the `emqx_client` logger, switched on by `EMQX_LOG`.

`EMQX_LOG=info` logs one line per request (method, URL, status, time); `EMQX_LOG=debug`
adds the headers and JSON body sent, with the Authorization header and every secret field
(see `_secrets`) shown as `**********`. Without `EMQX_LOG` the logger is left as the
application configured it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from ._secrets import HIDDEN, SECRET_FIELDS

log = logging.getLogger("emqx_client")
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


def setup_from_env() -> None:
    """Follow `EMQX_LOG` (debug or info): set the logger's level and, when neither it nor
    the root logger has a handler, log to stderr."""
    level = _LEVELS.get(os.environ.get("EMQX_LOG", "").strip().lower())
    if level is None:
        return
    log.setLevel(level)
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
        log.addHandler(handler)


def redact(value: Any) -> Any:
    """A copy of a JSON value with every secret field's value hidden, at any depth."""
    if isinstance(value, Mapping):
        return {
            k: HIDDEN if k in SECRET_FIELDS and v is not None else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: HIDDEN if k.lower() in _SECRET_HEADERS else v for k, v in headers.items()}


def tolerated(field: str, what: str) -> str:
    """What the tolerant reader noted about a field, its value hidden when the field is a
    secret (`kept as sent: '...'` would show it)."""
    name = field.rsplit(".", 1)[-1].split("[", 1)[0]
    if name in SECRET_FIELDS and what != "missing (reads as None)":
        return f"{what.split(':', 1)[0].split(' ', 1)[0]} (a secret: value not logged)"
    return what
