"""Findings are values: a level, a stable id, a message and where (file:line, JSON pointer).

Nothing in the pipeline raises for a problem in the user's spec; it returns findings and
the CLI decides the exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Finding:
    level: Level
    id: str
    message: str
    location: Location | None = None
    pointer: str = ""

    def format(self) -> str:
        where = str(self.location) if self.location else "<spec>"
        pointer = f" [{self.pointer}]" if self.pointer else ""
        return f"{where}: {self.level.value}: {self.id}: {self.message}{pointer}"

    def sort_key(self) -> tuple[str, int, str, str]:
        loc = self.location or Location("")
        return (loc.file, loc.line, self.pointer, self.id)


@dataclass
class Findings:
    """An ordered collection of findings with counts by level."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.items.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.items.extend(findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(sorted(self.items, key=Finding.sort_key))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self if f.level is Level.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def error(id: str, message: str, location: Location | None = None, pointer: str = "") -> Finding:
    return Finding(Level.ERROR, id, message, location, pointer)


def warning(id: str, message: str, location: Location | None = None, pointer: str = "") -> Finding:
    return Finding(Level.WARNING, id, message, location, pointer)
