"""Actions: the `ActionsHandler` over `integration/bridge_v2_ops.py` (see there for what differs from
EMQX). The types are the branches of the spec's action union (`integration/type_table.py`)."""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from ... import models
from ..integration.bridge_v2 import KindSpec, rules_with_action
from ..integration.bridge_v2_ops import BridgeV2Ops
from ..state import State

ACTIONS = KindSpec(kind="action", rules_using=rules_with_action)
_ONE: TypeAdapter[models.ActionsAction] = TypeAdapter(models.ActionsAction)
_TYPE: TypeAdapter[models.ActionsType] = TypeAdapter(models.ActionsType)


class ActionsApi:
    """ActionsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._ops = BridgeV2Ops(state, ACTIONS)

    async def list_action_types(self) -> list[models.ActionsType]:
        return [_TYPE.validate_python(t) for t in self._ops.types()]

    async def list_actions(self) -> list[models.ActionsAction]:
        return [_ONE.validate_python(a) for a in self._ops.all()]

    async def list_actions_summary(self) -> list[models.ActionsSummary]:
        return [models.ActionsSummary.model_validate(s) for s in self._ops.summaries()]

    async def create_action(self, *, body: models.ActionsActionCreate) -> models.ActionsAction:
        return _ONE.validate_python(self._ops.create(body))

    async def get_action(self, *, id: str) -> models.ActionsAction:
        return _ONE.validate_python(self._ops.get(id))

    async def update_action(
        self, *, id: str, body: models.ActionsActionUpdate
    ) -> models.ActionsAction:
        return _ONE.validate_python(self._ops.update(id, body))

    async def delete_action(self, *, id: str, also_delete_dep_actions: bool = False) -> None:
        self._ops.delete(id, also_delete_dep_actions)

    async def get_action_metrics(self, *, id: str) -> models.ActionsMetrics:
        return models.ActionsMetrics.model_validate(self._ops.metrics(id))

    async def reset_action_metrics(self, *, id: str) -> None:
        self._ops.reset_metrics(id)

    async def set_action_enabled(self, *, enable: bool, id: str) -> None:
        self._ops.set_enabled(id, enable)

    async def start_action(self, *, id: str, operation: Literal["start"]) -> None:
        self._ops.start(id)

    async def start_action_on_node(
        self, *, id: str, node: str, operation: Literal["start"]
    ) -> None:
        self._ops.start(id, node)

    async def probe_action(self, *, body: models.ActionsActionCreate) -> None:
        self._ops.probe(body)
