"""The registered schemas and the external registries, as the broker stores them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SchemaRecord:
    """One registered schema (the broker's checked configuration: `description`
    filled in)."""

    type: str
    source: str
    description: str = ""


@dataclass
class SchemaRegistryState:
    """Schemas by name, and external registries by name as they were configured
    (raw: only the fields sent, secrets in clear)."""

    schemas: dict[str, SchemaRecord] = field(default_factory=dict)
    external: dict[str, dict[str, Any]] = field(default_factory=dict)

    def schema_exists(self, name: str, inner: list[str] | None = None) -> bool:
        """Whether `name` is a registered schema (and, for Protobuf, whether it
        declares the message type `inner[0]`): what validations and transformations
        check when they name a schema."""
        record = self.schemas.get(name)
        if record is None:
            return False
        if not inner:
            return True
        if record.type != "protobuf":
            return False
        return re.search(rf"\bmessage\s+{re.escape(inner[0])}\b", record.source) is not None
