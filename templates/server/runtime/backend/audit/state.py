"""The audit log's entries, oldest first (as EMQX's ordered table keeps them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class AuditState:
    # each entry as `GET /audit` answers it, with `created_us` (epoch microseconds) beside
    entries: list[dict[str, Any]] = field(default_factory=list)
