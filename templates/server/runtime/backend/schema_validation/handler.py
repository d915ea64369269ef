"""Schema Validation (enterprise): the validations messages must pass, in running order.

A validation is stored as the broker stores it (defaults filled in, topics a list).
Checks that name a schema are checked against the Schema Registry area
(`schema_registry/state.py`) when a validation is stored, also when it is enabled or
disabled. The stub publishes through no validation: the counters move only when a test
sets them, and reset puts them back to zero.
"""

from __future__ import annotations

import re
from typing import Any

from ... import errors, models
from ..common.processing import (
    Processing,
    find,
    metrics,
    missing_schemas_error,
    reordered,
    stored,
)
from ..state import State

_NOT_FOUND = "Validation not found"
_MODULE = "emqx_schema_validation_config"
# A check statement: SELECT without FROM; FOREACH is refused.
_SELECT = re.compile(r"^\s*select\s+\S", re.IGNORECASE | re.DOTALL)
_FROM = re.compile(r"\bfrom\b", re.IGNORECASE)


def _checked(body: models.SchemaValidation) -> dict[str, Any]:
    """The validation as stored; BAD_REQUEST where the broker's schema refuses it."""
    config = stored(body)
    seen: set[tuple[str, str]] = set()
    repeated: list[str] = []
    for check in config["checks"]:
        if check["type"] == "sql":
            sql = check["sql"]
            if re.match(r"^\s*foreach\b", sql, re.IGNORECASE):
                raise errors.bad_request("foreach_not_allowed")
            if not _SELECT.match(sql) or _FROM.search(sql):
                raise errors.bad_request(f"invalid SQL check: {sql}")
            continue
        key = (check["type"], check["schema"])
        if key in seen:
            repeated.append(f"{key[0]}:{key[1]}")
        seen.add(key)
    if repeated:
        raise errors.bad_request(f"duplicated schema checks: {', '.join(repeated)}")
    return config


class SchemaValidationApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _validations(self) -> list[Processing]:
        return self._state.schema_validation.validations

    def _get(self, name: str) -> Processing:
        at = find(self._validations, name)
        if at is None:
            raise errors.not_found(_NOT_FOUND)
        return self._validations[at]

    def _assert_schemas(self, config: dict[str, Any]) -> None:
        """The broker's check that every schema a check names is registered (and has
        the Protobuf message type), missing ones listed last first as it does."""
        registry = self._state.schema_registry
        missing: list[list[str]] = []
        for check in config["checks"]:
            if "schema" not in check:
                continue
            inner = [check["message_type"]] if "message_type" in check else []
            if not registry.schema_exists(check["schema"], inner):
                missing.insert(0, [check["schema"], *inner])
        if missing:
            raise missing_schemas_error(_MODULE, missing)

    @staticmethod
    def _answer(item: Processing) -> models.SchemaValidation:
        return models.SchemaValidation.model_validate(item.config)

    async def list_schema_validations(self) -> list[models.SchemaValidation]:
        with self._state.lock:
            return [self._answer(v) for v in self._validations]

    async def create_schema_validation(
        self, *, body: models.SchemaValidation
    ) -> models.SchemaValidation:
        with self._state.lock:
            if find(self._validations, body.name) is not None:
                raise errors.already_exists("Validation already exists")
            config = _checked(body)
            self._assert_schemas(config)
            item = Processing(config)
            self._validations.append(item)
            return self._answer(item)

    async def update_schema_validation(
        self, *, body: models.SchemaValidation
    ) -> models.SchemaValidation:
        with self._state.lock:
            item = self._get(body.name)
            config = _checked(body)
            self._assert_schemas(config)
            item.config = config
            return self._answer(item)

    async def reorder_schema_validations(self, *, body: models.ProcessingReorder) -> None:
        with self._state.lock:
            self._validations[:] = reordered(self._validations, body.order)

    async def get_schema_validation(self, *, name: str) -> models.SchemaValidation:
        with self._state.lock:
            return self._answer(self._get(name))

    async def delete_schema_validation(self, *, name: str) -> None:
        with self._state.lock:
            self._validations.remove(self._get(name))

    async def enable_schema_validation(self, *, enable: bool, name: str) -> None:
        with self._state.lock:
            item = self._get(name)
            self._assert_schemas(item.config)
            item.config["enable"] = enable

    async def get_schema_validation_metrics(self, *, name: str) -> models.ProcessingMetrics:
        with self._state.lock:
            return metrics(self._state.node, self._get(name).counters)

    async def reset_schema_validation_metrics(self, *, name: str) -> None:
        with self._state.lock:
            self._get(name).counters.reset()
