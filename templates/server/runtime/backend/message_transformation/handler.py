"""Message Transformation (enterprise): the transformations published messages go
through, in running order, and a dry run of one transformation on one message.

A transformation is stored as the broker stores it (defaults filled in, topics a list,
operations as written); an operation's key must name a field operations may write and
its value must parse as a variform expression (`variform.py`). The dry run is
`dryrun.py`. The stub publishes through no transformation: the counters move only when
a test sets them, and reset puts them back to zero.
"""

from __future__ import annotations

from typing import Any

from ... import errors, models
from ..common.processing import Processing, find, metrics, reordered, stored
from ..state import State
from .dryrun import compiled, key_path, run

_NOT_FOUND = "Transformation not found"
_NONE = {"type": "none"}


def _checked(body: models.MessageTransformation) -> dict[str, Any]:
    """The transformation as stored; BAD_REQUEST where the broker's schema refuses it."""
    config = stored(body)
    config.setdefault("payload_decoder", dict(_NONE))
    config.setdefault("payload_encoder", dict(_NONE))
    config.setdefault("operations", [])
    for operation in config["operations"]:
        key_path(operation["key"])
        compiled(operation["value"])
    return config


class MessageTransformationApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _transformations(self) -> list[Processing]:
        return self._state.message_transformation.transformations

    def _get(self, name: str) -> Processing:
        at = find(self._transformations, name)
        if at is None:
            raise errors.not_found(_NOT_FOUND)
        return self._transformations[at]

    @staticmethod
    def _answer(item: Processing) -> models.MessageTransformation:
        return models.MessageTransformation.model_validate(item.config)

    async def list_message_transformations(self) -> list[models.MessageTransformation]:
        with self._state.lock:
            return [self._answer(t) for t in self._transformations]

    async def create_message_transformation(
        self, *, body: models.MessageTransformation
    ) -> models.MessageTransformation:
        with self._state.lock:
            if find(self._transformations, body.name) is not None:
                raise errors.already_exists("Transformation already exists")
            item = Processing(_checked(body))
            self._transformations.append(item)
            return self._answer(item)

    async def update_message_transformation(
        self, *, body: models.MessageTransformation
    ) -> models.MessageTransformation:
        with self._state.lock:
            item = self._get(body.name)
            item.config = _checked(body)
            return self._answer(item)

    async def dryrun_message_transformation(
        self, *, body: models.TransformationDryrun
    ) -> models.TransformationDryrunResult:
        transformation = _checked(body.transformation)
        message = body.message.model_dump(mode="json", by_alias=True, exclude_none=True)
        with self._state.lock:
            result = run(
                transformation,
                message,
                self._state.node,
                self._state.schema_registry.schema_exists,
            )
        return models.TransformationDryrunResult.model_validate(result)

    async def reorder_message_transformations(self, *, body: models.ProcessingReorder) -> None:
        with self._state.lock:
            self._transformations[:] = reordered(self._transformations, body.order)

    async def get_message_transformation(self, *, name: str) -> models.MessageTransformation:
        with self._state.lock:
            return self._answer(self._get(name))

    async def delete_message_transformation(self, *, name: str) -> None:
        with self._state.lock:
            self._transformations.remove(self._get(name))

    async def enable_message_transformation(self, *, enable: bool, name: str) -> None:
        with self._state.lock:
            self._get(name).config["enable"] = enable

    async def get_message_transformation_metrics(self, *, name: str) -> models.ProcessingMetrics:
        with self._state.lock:
            return metrics(self._state.node, self._get(name).counters)

    async def reset_message_transformation_metrics(self, *, name: str) -> None:
        with self._state.lock:
            self._get(name).counters.reset()
