"""The rule engine's settings and its rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_DEFAULT_SETTINGS: dict[str, Any] = {
    "ignore_sys_message": True,
    "jq_function_default_timeout": 10000,
    "jq_implementation_module": "jq_nif",
}


@dataclass
class RuleRecord:
    id: str
    name: str
    sql: str
    actions: list[Any]
    enable: bool
    description: str
    metadata: dict[str, Any]
    froms: list[str]
    created_at: int
    last_modified_at: int


@dataclass
class RulesState:
    settings: dict[str, Any] = field(default_factory=lambda: dict(_DEFAULT_SETTINGS))
    rules: dict[str, RuleRecord] = field(default_factory=dict)
