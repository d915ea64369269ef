"""The stored authorization sources and settings, and how a source is kept and shown.

A source is kept in its JSON form (wire names) with every default filled in and its
secrets in clear, as the broker's raw configuration holds it; answers are built from that
form with the secrets replaced by `******`. The `file` source keeps its rules text, which
the broker would write to `acl.conf` in its data directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from ... import errors, models

REDACTED = "******"
_SECRET_KEYS = frozenset({"password", "secret", "token", "bind_password", "private_key"})
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization"})
# types whose connection settings include TLS options (default: TLS off)
_WITH_SSL = frozenset({"http", "redis", "mysql", "postgresql", "mongodb", "ldap"})

# The rules of the broker's default acl.conf (its comments left out).
DEFAULT_FILE_RULES = (
    '{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.\n'
    '{allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.\n'
    '{deny, all, subscribe, ["$SYS/#", {eq, "#"}, {eq, "+/#"}]}.\n'
    "{allow, all}.\n"
)

_SOURCE: TypeAdapter[Any] = TypeAdapter(models.AuthzSource)


def default_settings() -> dict[str, Any]:
    return {
        "no_match": "allow",
        "deny_action": "ignore",
        "cache": {"enable": True, "max_size": 32, "ttl": "1m", "excludes": []},
    }


@dataclass
class AuthzSourcesState:
    """The sources in the order they are asked (JSON form, secrets in clear), the
    settings, and how often each node's decision cache was cleared."""

    sources: list[dict[str, Any]] = field(
        default_factory=lambda: [{"type": "file", "enable": True, "rules": DEFAULT_FILE_RULES}]
    )
    settings: dict[str, Any] = field(default_factory=default_settings)
    cache_cleared: int = 0

    def types(self) -> list[str]:
        return [str(source["type"]) for source in self.sources]

    def find(self, type_: str) -> dict[str, Any]:
        """The stored source of this type, or the broker's 404."""
        for source in self.sources:
            if source["type"] == type_:
                return source
        raise errors.not_found(f"Not found: {type_}")


def stored_form(body: Any) -> dict[str, Any]:
    """A request body as the broker stores it: every default filled in (TLS off when no
    TLS options were sent), fields left unset without a default left out."""
    data: dict[str, Any] = body.model_dump(by_alias=True, mode="json", exclude_none=True)
    if data["type"] in _WITH_SSL and "ssl" not in data:
        data["ssl"] = {"enable": False}
    if isinstance(data.get("servers"), list):  # the broker joins a list of servers
        data["servers"] = ",".join(data["servers"])
    if "headers" in data:  # the broker keeps header names in lower case
        data["headers"] = {str(k).lower(): v for k, v in data["headers"].items()}
    filled: dict[str, Any] = _SOURCE.validate_python(data).model_dump(
        by_alias=True, mode="json", exclude_none=True
    )
    return filled


def _redact(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        if key == "headers":
            return {k: REDACTED if k.lower() in _SECRET_HEADERS else v for k, v in value.items()}
        return {k: _redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if key in _SECRET_KEYS and isinstance(value, str):
        return REDACTED
    return value


def answer_of(stored: dict[str, Any]) -> Any:
    """The model answered for a stored source: secrets shown as `******`."""
    return _SOURCE.validate_python(_redact(stored))


def keep_secrets(new: Any, old: Any) -> Any:
    """A new configuration where every secret sent as `******` takes the stored value
    at the same place, as the broker does on a replace."""
    if isinstance(new, dict) and isinstance(old, dict):
        return {k: keep_secrets(v, old.get(k)) for k, v in new.items()}
    if new == REDACTED and isinstance(old, str):
        return old
    return new


_TERM_END = re.compile(r"\.(\s|$)")


def check_file_rules(text: str) -> None:
    """A light check of the `file` source's rules (the broker compiles each term): every
    term, comments left out, is an `{allow, ...}` or `{deny, ...}` tuple ending with a dot
    and with balanced brackets. Refused with the broker's 400 otherwise."""
    body = "\n".join(line.split("%", 1)[0] for line in text.splitlines())
    rest = body.strip()
    line = 1
    while rest:
        match = _TERM_END.search(rest)
        term = rest[: match.start()].strip() if match else rest
        if (
            match is None
            or not re.match(r"^\{\s*(allow|deny)\s*,", term)
            or not term.endswith("}")
            or not _balanced(term)
        ):
            raise errors.bad_request(f"{{bad_acl_file_content,{{{line},erl_parse,bad_term}}}}")
        line += rest[: match.end()].count("\n")
        rest = rest[match.end() :].strip()


def _balanced(term: str) -> bool:
    depth = 0
    in_string = False
    for ch in term:
        if ch == '"':
            in_string = not in_string
        elif not in_string and ch in "{[":
            depth += 1
        elif not in_string and ch in "}]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not in_string
