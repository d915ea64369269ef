"""The data-integration store shared by the Connectors, Actions, Sources and Bridges areas.

Connectors, actions and sources are kept apart (each kind has its own namespace of
`{type}:{name}` ids, as in EMQX). An action or a source names its connector in its
`connector` field; a v1 bridge is a connector plus an action (or a source) of the same
type and name, so the Bridges area reads and writes the same records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from ..common.clock import now_ms

Kind = Literal["connector", "action", "source"]


@dataclass
class BridgeRecord:
    """One connector, action or source, its configuration by wire names (without `type`
    and `name`, which are the key), when it was made and changed, and its counters."""

    kind: Kind
    type: str
    name: str
    config: dict[str, Any]
    created_at: int = field(default_factory=now_ms)
    last_modified_at: int = field(default_factory=now_ms)
    metrics: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def id(self) -> str:
        return f"{self.type}:{self.name}"

    @property
    def enable(self) -> bool:
        return bool(self.config.get("enable", True))

    @property
    def connector(self) -> str | None:
        """The name of the connector an action or source uses (None for a connector)."""
        value = self.config.get("connector")
        return value if isinstance(value, str) else None


@dataclass
class IntegrationState:
    """Every connector, action and source of the node, each in creation order."""

    connectors: dict[tuple[str, str], BridgeRecord] = field(default_factory=dict)
    actions: dict[tuple[str, str], BridgeRecord] = field(default_factory=dict)
    sources: dict[tuple[str, str], BridgeRecord] = field(default_factory=dict)

    def table(self, kind: Kind) -> dict[tuple[str, str], BridgeRecord]:
        if kind == "connector":
            return self.connectors
        if kind == "action":
            return self.actions
        return self.sources

    def users_of(self, connector_type: str, connector_name: str) -> list[BridgeRecord]:
        """The actions and sources that name this connector (EMQX refuses to delete a
        connector while any exist). In the open-source build an action or source has the
        type of its connector (`http`, `mqtt`)."""
        return [
            record
            for table in (self.actions, self.sources)
            for record in table.values()
            if record.connector == connector_name and record.type == connector_type
        ]
