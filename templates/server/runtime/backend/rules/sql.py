"""The little rule SQL the stub understands: `SELECT|FOREACH ... FROM "t1", "t2" [WHERE ...]`,
with `FROM` topics taken out by a regular expression and a simple evaluation of
`SELECT <*|fields> FROM ... [WHERE a = 'x' AND b = 1]` on a test context."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..common.topic import match

_STATEMENT = re.compile(
    r"^\s*(SELECT|FOREACH)\s+(.+?)\s+FROM\s+((?:\"[^\"]*\"|'[^']*')(?:\s*,\s*(?:\"[^\"]*\"|'[^']*'))*)"
    r"(?:\s+WHERE\s+(.+?))?\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_TOPIC = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_FIELD = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)(?:\s+as\s+([A-Za-z_]\w*))?$", re.I)
_COND = re.compile(r"^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*=\s*('[^']*'|\"[^\"]*\"|-?\d+)$")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)

# The sample values the broker fills in for a message.publish test context.
PUBLISH_DEFAULTS: dict[str, Any] = {
    "clientid": "c_emqx",
    "username": "u_emqx",
    "topic": "t/a",
    "qos": 1,
    "payload": '{"msg": "hello"}',
}


class SqlError(ValueError):
    """The statement does not parse (for the stub)."""


class NoMatch(Exception):
    """The sample event does not match the statement."""


@dataclass(frozen=True)
class Statement:
    kind: str  # "SELECT" or "FOREACH"
    fields: str
    topics: list[str]
    where: str | None


def parse(sql: str) -> Statement:
    found = _STATEMENT.match(sql)
    if found is None:
        raise SqlError(f"syntax error in SQL: {sql}")
    kind, fields, topics, where = found.groups()
    froms = [a if a else b for a, b in _TOPIC.findall(topics)]
    return Statement(kind.upper(), fields.strip(), froms, where)


def event_topic(event_type: str) -> str:
    if event_type.startswith("$bridges/"):
        return event_type
    if event_type in ("alarm_activated", "alarm_deactivated"):
        return f"$events/sys/{event_type}"
    return f"$events/{event_type}"


def _lookup(context: dict[str, Any], path: str) -> Any:
    value: Any = context
    for index, key in enumerate(path.split(".")):
        if index > 0 and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _literal(text: str) -> Any:
    if text[0] in "'\"":
        return text[1:-1]
    return int(text)


def evaluate(statement: Statement, context: dict[str, Any]) -> dict[str, Any]:
    """The columns a SELECT statement yields for a test context; NoMatch or SqlError."""
    if statement.kind != "SELECT":
        raise SqlError("the stub evaluates only SELECT statements")
    event_type = str(context.get("event_type", ""))
    columns = {k: v for k, v in context.items() if k != "event_type"}
    if event_type == "message_publish":
        topic = str(columns.get("topic", ""))
        plain = [t for t in statement.topics if not t.startswith("$events/")]
        if not any(match(topic, t) for t in plain):
            raise NoMatch
    elif event_topic(event_type) not in statement.topics and not (
        event_type.startswith("$bridges/")
        and any(t.startswith("$bridges/") for t in statement.topics)
    ):
        raise NoMatch
    if statement.where is not None:
        for cond in _AND.split(statement.where.strip()):
            found = _COND.match(cond.strip())
            if found is None:
                raise SqlError(f"the stub cannot evaluate the condition: {cond}")
            if _lookup(columns, found.group(1)) != _literal(found.group(2)):
                raise NoMatch
    if statement.fields == "*":
        return columns
    result: dict[str, Any] = {}
    for item in statement.fields.split(","):
        found = _FIELD.match(item.strip())
        if found is None:
            raise SqlError(f"the stub cannot evaluate the field: {item.strip()}")
        path, alias = found.groups()
        value = _lookup(columns, path)
        if value is not None:
            result[alias or path] = value
    return result
