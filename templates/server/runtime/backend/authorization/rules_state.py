"""The table of the built-in database authorization source: one rule list per user name,
one per client id and one for all clients, as EMQX's `emqx_authz_mnesia` keeps them.

A rule is stored the way the broker normalizes it: every rule carries its QoS levels and
its retain condition, and a `subscribe` rule keeps no retain condition (it reads back as
`all`). Lists by user name and by client id come out in byte order of the name, as the
broker's ordered table gives them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ... import models

Kind = Literal["username", "clientid"]
ALL_QOS = (0, 1, 2)
DEFAULT_MAX_RULES = 100  # the source's `max_rules` default


@dataclass(frozen=True)
class StoredRule:
    permission: str
    action: str
    topic: str
    qos: tuple[int, ...] = ALL_QOS
    retain: bool | str = "all"

    def wire(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "permission": self.permission,
            "action": self.action,
            "qos": list(self.qos),
            "retain": self.retain,
        }


def normalize(rule: models.AuthzRulesRule) -> StoredRule:
    """A rule as sent, in the form the store keeps it."""
    action = str(rule.action.value)
    retain: bool | str = rule.retain if isinstance(rule.retain, bool) else "all"
    return StoredRule(
        permission=str(rule.permission.value),
        action=action,
        topic=rule.topic,
        qos=tuple(int(q) for q in rule.qos),
        retain="all" if action == "subscribe" else retain,
    )


def normalize_all(rules: Iterable[models.AuthzRulesRule]) -> list[StoredRule]:
    return [normalize(rule) for rule in rules]


@dataclass
class AuthzRulesState:
    """The rules table: one rule list per user name and per client id, and the rules
    for all. The source they belong to is in the Authorization sources' state."""

    by_name: dict[Kind, dict[str, list[StoredRule]]] = field(
        default_factory=lambda: {"username": {}, "clientid": {}}
    )
    for_all: list[StoredRule] | None = None

    def records(self, kind: Kind) -> dict[str, list[StoredRule]]:
        return self.by_name[kind]

    def sorted_names(self, kind: Kind) -> list[str]:
        return sorted(self.by_name[kind], key=lambda name: name.encode("utf-8"))

    def purge(self) -> None:
        """Delete every record: what purging the rules (or removing the source) does."""
        for table in self.by_name.values():
            table.clear()
        self.for_all = None
