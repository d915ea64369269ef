"""The values a diff produces: a level, a direction and one Change per finding."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from generator.diagnostics import Location


class Level(enum.Enum):
    """How bad a change is for clients already in the field (oasdiff's three levels)."""

    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        return {"ERR": 3, "WARN": 2, "INFO": 1}[self.value]

    @property
    def label(self) -> str:
        return {"ERR": "breaking", "WARN": "possibly breaking", "INFO": "info"}[self.value]

    def at_least(self, other: Level) -> bool:
        return self.rank >= other.rank


class Direction(enum.Enum):
    """Who reads the changed part: the server (request) or the client (response)."""

    REQUEST = "request"
    RESPONSE = "response"
    NONE = "none"


@dataclass(frozen=True)
class Change:
    """One difference between BASE and REVISION, judged by one rule.

    `pointer` is the JSON pointer of the changed node in the bundled revision (in the
    bundled base for what was removed); `location` is the file:line in the revision
    (for a removal, of the nearest node that is still there).
    """

    id: str
    level: Level
    direction: Direction
    method: str
    path: str
    pointer: str
    message: str
    fingerprint: str
    location: Location | None = None
    why: str = ""
    # What this change breaks in code written against the generated client ("" for
    # nothing): set by client_impact from the view model, whatever the HTTP level.
    client: str = ""

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}" if self.method else ""

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "level": self.level.value,
            "direction": self.direction.value,
            "method": self.method,
            "path": self.path,
            "pointer": self.pointer,
            "message": self.message,
            "fingerprint": self.fingerprint,
            "client_impact": "breaking" if self.client else "none",
            "client": self.client,
        }

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        method_order = METHOD_ORDER.get(self.method, len(METHOD_ORDER))
        return (self.path, method_order, -self.level.rank, self.id, self.pointer, self.message)


@dataclass(frozen=True)
class Policy:
    """oasdiff's deprecation options: the days between deprecating something and its
    x-sunset, by the operation's x-stability-level (draft and alpha need none; an
    operation without a level counts as stable). 0 asks for no sunset at all."""

    beta_days: int = 0
    stable_days: int = 0

    def days(self, stability: str) -> int:
        if stability in ("draft", "alpha"):
            return 0
        return self.beta_days if stability == "beta" else self.stable_days


METHOD_ORDER = {
    m: i
    for i, m in enumerate(("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"))
}


def fingerprint(rule_id: str, method: str, path: str, key: str, detail: str = "") -> str:
    """A stable id of one change: no line numbers and no component names, so moving or
    renaming a component keeps it, and a waiver written against it keeps matching."""
    text = "\x1f".join((rule_id, method, path, key, detail))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
