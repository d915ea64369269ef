"""The connector, action and source types the stub serves, derived from the spec: the
generated `backend/_edition_types.py` holds one row per branch of each integration
union (see generator/viewmodel/integration.py); `TypeTable` answers what the handlers ask
of them (is it a type of this edition, which model checks its update, which connector type
an action needs), so no handler keeps a table of types by hand."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, TypeAdapter

from ...errors import ApiError
from ..configs.state import model_choices


@dataclass(frozen=True)
class IntegrationTypeRow:
    """One branch of a union: the `type`, its models, its edition, its connector type (an
    action or source) or the action or source type it is stored as (a v1 bridge)."""

    name: str
    create_model: Any  # a model class, or a union alias for a type with variants (IoTDB)
    update_model: Any
    answer_model: Any
    enterprise: bool
    connector_type: str
    action_type: str = ""  # a v1 bridge type's action (or source) type

    def check_update(self, config: dict[str, Any], name: str = "x") -> type[BaseModel]:
        """Validate a stored configuration (no `type`, no `name`) against the type's update
        shape, or its create shape when the spec has no update shape for it, and return the
        model it fits (for a type that is itself a union, such as IoTDB's drivers, the
        branch); raises pydantic's ValidationError."""
        if self.update_model is not None:
            parsed = _adapter(self.update_model).validate_python(config)
        else:
            parsed = _adapter(self.create_model).validate_python(
                {**config, "type": self.name, "name": name}
            )
        return type(parsed) if isinstance(parsed, BaseModel) else self.config_model

    @property
    def config_model(self) -> type[BaseModel]:
        """The model whose fields are the type's configuration (for a type that is itself a
        union, its first branch; `check_update` says which branch a configuration fits)."""
        return _first_model(self.update_model or self.create_model)


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _first_model(model: Any) -> type[BaseModel]:
    """A model class itself, or the first model of a union alias."""
    choices = model_choices(model)
    if not choices:
        raise TypeError(f"no model in {model!r}")
    return choices[0]


class HasTypes(Protocol):
    def types(self, kind: Any) -> TypeTable: ...


class TypeTable:
    """The types of one kind, as one edition of the broker has them: the open-source build
    ("ce") knows only the branches not marked enterprise."""

    def __init__(self, rows: tuple[IntegrationTypeRow, ...], edition: str = "ee") -> None:
        self._all = {row.name: row for row in rows}
        self.edition = edition

    def for_edition(self, edition: str) -> TypeTable:
        return TypeTable(tuple(self._all.values()), edition)

    def get(self, type_: str) -> IntegrationTypeRow | None:
        """The row of a type this edition has (None for an unknown or enterprise type in
        the open-source build)."""
        row = self._all.get(type_)
        if row is None or (row.enterprise and self.edition != "ee"):
            return None
        return row

    def __contains__(self, type_: object) -> bool:
        return isinstance(type_, str) and self.get(type_) is not None

    def names(self) -> list[str]:
        """The types of this edition, in the spec's order."""
        return [name for name in self._all if name in self]

    def is_enterprise(self, type_: str) -> bool:
        row = self._all.get(type_)
        return row is not None and row.enterprise

    def rows(self) -> list[IntegrationTypeRow]:
        return [row for row in self._all.values() if row.name in self]


# What the broker's body check says of a `type` its union does not know: the connector API
# union (emqx_connector_schema.erl:429) and the action and source API union
# (emqx_bridge_v2_schema.erl:246) throw a validation error, answered 400 BAD_REQUEST.
_UNKNOWN_REASON = {
    "connector": "unknown connector type",
    "action": "unknown bridge type",
    "source": "unknown bridge type",
}


def unknown_type_error(kind: str, type_: str) -> ApiError:
    """The open-source build's answer to a body of a type it does not have."""
    reason = {"field_name": "type", "value": type_, "reason": _UNKNOWN_REASON[kind]}
    return ApiError(400, "BAD_REQUEST", json.dumps(reason))


def refuse_unknown_type(integration: HasTypes, kind: str, type_: str) -> None:
    """400 BAD_REQUEST for a body whose `type` this edition does not have (an enterprise
    type in the open-source build)."""
    if type_ not in integration.types(kind):
        raise unknown_type_error(kind, type_)
