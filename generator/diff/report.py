"""The outcome of a diff, counted apart from how it is printed: changes left after waivers,
the waived ones, stale waivers, counts by level and the exit code."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from generator.diff.model import Change, Level
from generator.diff.waivers import Waiver


@dataclass(frozen=True)
class SharedGroup:
    """One rule firing on one shared component for several operations."""

    changes: list[Change]

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def operations(self) -> list[str]:
        return sorted({c.operation for c in self.changes})

    @property
    def sample(self) -> list[Change]:
        """The changes of one operation: the same for every other one, bar the operation."""
        first = self.changes[0].operation
        return [c for c in self.changes if c.operation == first]


@dataclass(frozen=True)
class DiffReport:
    base: str
    revision: str
    changes: list[Change]
    fail_on: Level = Level.ERR
    include_info: bool = False
    http_only: bool = False  # oasdiff's semantics: the HTTP level alone decides
    waived: list[tuple[Change, Waiver]] = field(default_factory=list)
    unused_waivers: list[Waiver] = field(default_factory=list)
    expired_waivers: list[Waiver] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return [c for c in self.changes if self.include_info or self.serious(c)]

    def serious(self, change: Change) -> bool:
        """Above INFO for HTTP, or breaking the generated client."""
        return change.level is not Level.INFO or bool(change.client)

    def fails(self, change: Change) -> bool:
        """At or above --fail-on, or (unless --http-only) breaking the generated client."""
        return change.level.at_least(self.fail_on) or (bool(change.client) and not self.http_only)

    @property
    def failing(self) -> list[Change]:
        return [c for c in self.changes if self.fails(c)]

    @property
    def client_breaking(self) -> list[Change]:
        return [c for c in self.changes if c.client]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0

    def count(self, level: Level) -> int:
        return sum(1 for c in self.changes if c.level is level)

    def summary(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "revision": self.revision,
            "counts": {level.value: self.count(level) for level in Level},
            "client_breaking": len(self.client_breaking),
            "semantics": "oasdiff" if self.http_only else "client",
            "shown": len(self.shown),
            "waived": len(self.waived),
            "fail_on": self.fail_on.value,
            "failed": bool(self.failing),
            "unused_waivers": [_waiver_json(w) for w in self.unused_waivers],
            "expired_waivers": [_waiver_json(w) for w in self.expired_waivers],
        }

    def grouped(self) -> tuple[dict[str, list[Change]], list[SharedGroup]]:
        """Shown changes per operation, with those of a shared component (one rule, one
        pointer under /components/, several operations) pulled out into groups."""
        by_key: dict[tuple[str, str], list[Change]] = defaultdict(list)
        for change in self.shown:
            if change.pointer.startswith("/components/") and change.method:
                by_key[(change.id, change.pointer)].append(change)
        shared_keys = {k for k, v in by_key.items() if len({c.operation for c in v}) > 1}
        per_op: dict[str, list[Change]] = defaultdict(list)
        for change in self.shown:
            if (change.id, change.pointer) not in shared_keys:
                per_op[change.operation].append(change)
        groups = [SharedGroup(by_key[k]) for k in shared_keys]
        groups.sort(key=lambda g: (-g.first.level.rank, g.first.id, g.first.pointer))
        return dict(per_op), groups


def _waiver_json(waiver: Waiver) -> dict[str, Any]:
    return {
        "id": waiver.id,
        "method": waiver.method,
        "path": waiver.path,
        "file": waiver.location.file,
        "line": waiver.location.line,
        "expires": waiver.expires.isoformat() if waiver.expires else None,
    }
