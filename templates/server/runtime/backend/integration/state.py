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

from .._edition_types import ACTION_TYPES, CONNECTOR_TYPES, SOURCE_TYPES
from ..common.clock import now_ms
from .type_table import TypeTable

Kind = Literal["connector", "action", "source"]

_TABLES: dict[str, TypeTable] = {
    "connector": TypeTable(CONNECTOR_TYPES),
    "action": TypeTable(ACTION_TYPES),
    "source": TypeTable(SOURCE_TYPES),
}


def all_types(kind: Kind) -> TypeTable:
    """Every type of a kind, whichever the edition."""
    return _TABLES[kind]


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
    # the build imitated ("ce" knows no enterprise type); State sets it
    edition: str = "ce"

    def types(self, kind: Kind) -> TypeTable:
        """The types of a kind this edition has (from the spec's unions)."""
        return _TABLES[kind].for_edition(self.edition)

    def table(self, kind: Kind) -> dict[tuple[str, str], BridgeRecord]:
        if kind == "connector":
            return self.connectors
        if kind == "action":
            return self.actions
        return self.sources

    def users_of(self, connector_type: str, connector_name: str) -> list[BridgeRecord]:
        """The actions and sources that name this connector (EMQX refuses to delete a
        connector while any exist). The connector type an action or source type runs on
        comes from the spec (most types run on the connector type of the same name)."""
        users = []
        pairs: tuple[tuple[Kind, dict[tuple[str, str], BridgeRecord]], ...] = (
            ("action", self.actions),
            ("source", self.sources),
        )
        for kind, table in pairs:
            types = self.types(kind)
            for record in table.values():
                row = types.get(record.type)
                needs = row.connector_type if row is not None else record.type
                if record.connector == connector_name and needs == connector_type:
                    users.append(record)
        return users
