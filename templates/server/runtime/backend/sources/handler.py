"""Sources: the `SourcesHandler` over `integration/bridge_v2_ops.py` (see there for what differs from
EMQX). The types are the branches of the spec's source union (`integration/type_table.py`)."""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from ... import models
from ..integration.bridge_v2 import KindSpec, rules_with_source
from ..integration.bridge_v2_ops import BridgeV2Ops
from ..state import State

SOURCES = KindSpec(kind="source", rules_using=rules_with_source)
_ONE: TypeAdapter[models.SourcesSource] = TypeAdapter(models.SourcesSource)
_TYPE: TypeAdapter[models.SourcesType] = TypeAdapter(models.SourcesType)


class SourcesApi:
    """SourcesHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._ops = BridgeV2Ops(state, SOURCES)

    async def list_source_types(self) -> list[models.SourcesType]:
        return [_TYPE.validate_python(t) for t in self._ops.types()]

    async def list_sources(self) -> list[models.SourcesSource]:
        return [_ONE.validate_python(s) for s in self._ops.all()]

    async def list_sources_summary(self) -> list[models.ActionsSummary]:
        return [models.ActionsSummary.model_validate(s) for s in self._ops.summaries()]

    async def create_source(self, *, body: models.SourcesSourceCreate) -> models.SourcesSource:
        return _ONE.validate_python(self._ops.create(body))

    async def get_source(self, *, id: str) -> models.SourcesSource:
        return _ONE.validate_python(self._ops.get(id))

    async def update_source(
        self, *, id: str, body: models.SourcesSourceUpdate
    ) -> models.SourcesSource:
        return _ONE.validate_python(self._ops.update(id, body))

    async def delete_source(self, *, id: str, also_delete_dep_actions: bool = False) -> None:
        self._ops.delete(id, also_delete_dep_actions)

    async def get_source_metrics(self, *, id: str) -> models.ActionsMetrics:
        return models.ActionsMetrics.model_validate(self._ops.metrics(id))

    async def reset_source_metrics(self, *, id: str) -> None:
        self._ops.reset_metrics(id)

    async def set_source_enabled(self, *, enable: bool, id: str) -> None:
        self._ops.set_enabled(id, enable)

    async def start_source(self, *, id: str, operation: Literal["start"]) -> None:
        self._ops.start(id)

    async def start_source_on_node(
        self, *, id: str, node: str, operation: Literal["start"]
    ) -> None:
        self._ops.start(id, node)

    async def probe_source(self, *, body: models.SourcesSourceCreate) -> None:
        self._ops.probe(body)
