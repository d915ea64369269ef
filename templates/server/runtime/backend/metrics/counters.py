"""Metrics: the node's counters (from what happened through the stub) and statistics
(from the current state). With one node, the aggregate equals the node's values."""

from __future__ import annotations

from ... import models
from ..state import State


def counter_names() -> list[str]:
    """Every counter the broker defines: the dotted names of MetricCounters."""
    fields = models.MetricCounters.model_fields
    return [field.alias or name for name, field in fields.items()]


def counters(state: State) -> dict[str, int]:
    with state.lock:
        values = dict(state.metrics)
    return {name: values.get(name, 0) for name in counter_names()}


def stats(state: State) -> dict[str, int]:
    with state.lock:
        return state.current_stats()


class CountersApi:
    """MetricsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_metrics(
        self, *, aggregate: bool = False, node: str | None = None
    ) -> models.MetricCounters | list[models.NodeMetrics]:
        values = counters(self._state)
        if aggregate:
            return models.MetricCounters.model_validate(values)
        if node is not None and node != self._state.node:
            return []
        return [models.NodeMetrics.model_validate({"node": self._state.node, **values})]

    async def get_stats(
        self, *, aggregate: bool = False
    ) -> models.StatValues | list[models.NodeStats]:
        values = stats(self._state)
        if aggregate:
            return models.StatValues.model_validate(values)
        return [models.NodeStats.model_validate({"node": self._state.node, **values})]
