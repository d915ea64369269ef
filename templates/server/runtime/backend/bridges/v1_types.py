"""The version 1 bridge types of the stub, from the generated bridge type table (the spec's
v1 bridge unions and their `x-emqx-action-type` marks), and the checks a v1 configuration
and the action or source it is stored as go through."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ... import errors
from .._edition_types import BRIDGE_TYPES
from ..integration.state import Kind, all_types
from ..integration.type_table import IntegrationTypeRow, TypeTable

ALL = TypeTable(BRIDGE_TYPES)


def v1_names(action_type: str) -> list[str]:
    """The v1 types stored as this action or source type (those the broker answers with:
    `webhook`, not its other name `http`)."""
    return [row.name for row in ALL.rows() if row.action_type == action_type and row.answer_model]


def check(row: IntegrationTypeRow, config: dict[str, Any]) -> type[BaseModel]:
    """400 BAD_REQUEST unless `config` fits the v1 shape of the type; its model."""
    try:
        return row.check_update(config)
    except ValidationError as bad:
        fields = sorted({".".join(map(str, e["loc"])) for e in bad.errors()})
        raise errors.bad_request(f"invalid bridge configuration: {', '.join(fields)}") from None


def check_channel(kind: Kind, type_: str, config: dict[str, Any]) -> None:
    """400 BAD_REQUEST unless the action or source a v1 bridge is stored as fits its type."""
    row = all_types(kind).get(type_)
    if row is None:
        raise errors.bad_request(f"unknown bridge type: {type_}")
    try:
        row.check_update(config)
    except ValidationError as bad:
        fields = sorted({".".join(map(str, e["loc"])) for e in bad.errors()})
        raise errors.bad_request(
            f"the configuration does not fit the {type_} {kind}: {', '.join(fields)}"
        ) from None


def kind_of(action_type: str) -> Kind:
    """Whether an enterprise v1 type is stored as an action or a source (the consumers)."""
    return "action" if action_type in all_types("action") else "source"


def connector_type(action_type: str) -> str:
    """The connector type the action or source a v1 bridge is stored as runs on."""
    row = all_types(kind_of(action_type)).get(action_type)
    return row.connector_type if row is not None else action_type
