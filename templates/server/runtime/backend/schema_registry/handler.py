"""Schema Registry (enterprise): schemas for encoding, decoding and checking payloads,
and the external registries (Confluent) the broker can read schemas from.

Schema names follow the broker's resource-name rule, which the spec states as a
pattern (the request check answers 400 before the handler runs); schemas list sorted by name, as the broker's configuration map
does; external registries answer as they were configured, passwords masked.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from ... import errors, models
from ..state import State
from .serde import source_problem
from .state import SchemaRecord

_SCHEMA_NOT_FOUND = "Schema not found"
_REGISTRY_NOT_FOUND = "External registry not found"
_MASK = "******"
_SCHEMA: TypeAdapter[models.RegisteredSchema] = TypeAdapter(models.RegisteredSchema)
_REGISTRY: TypeAdapter[models.ExternalRegistry] = TypeAdapter(models.ExternalRegistry)


def _record(kind: str, source: str, description: str) -> SchemaRecord:
    problem = source_problem(kind, source)
    if problem is not None:
        raise errors.bad_request(problem)
    return SchemaRecord(type=kind, source=source, description=description)


def _answer(name: str, record: SchemaRecord) -> models.RegisteredSchema:
    return _SCHEMA.validate_python(
        {
            "name": name,
            "type": record.type,
            "source": record.source,
            "description": record.description,
        }
    )


def _masked(raw: dict[str, Any]) -> models.ExternalRegistry:
    shown = dict(raw)
    auth = shown.get("auth")
    if isinstance(auth, dict) and "password" in auth:
        shown["auth"] = {**auth, "password": _MASK}
    return _REGISTRY.validate_python(shown)


def _raw(body: Any) -> dict[str, Any]:
    raw: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    raw.pop("name", None)
    return raw


class SchemaRegistryApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _schemas(self) -> dict[str, SchemaRecord]:
        return self._state.schema_registry.schemas

    @property
    def _external(self) -> dict[str, dict[str, Any]]:
        return self._state.schema_registry.external

    async def list_schemas(self) -> list[models.RegisteredSchema]:
        with self._state.lock:
            return [_answer(name, self._schemas[name]) for name in sorted(self._schemas)]

    async def create_schema(self, *, body: models.RegisteredSchema) -> models.RegisteredSchema:
        name = body.name
        with self._state.lock:
            if name in self._schemas:
                raise errors.already_exists("Schema already exists")
            record = _record(str(body.type), body.source, body.description)
            self._schemas[name] = record
            return _answer(name, record)

    async def get_schema(self, *, name: str) -> models.RegisteredSchema:
        with self._state.lock:
            record = self._schemas.get(name)
            if record is None:
                raise errors.not_found(_SCHEMA_NOT_FOUND)
            return _answer(name, record)

    async def update_schema(
        self, *, name: str, body: models.SchemaDefinition
    ) -> models.RegisteredSchema:
        with self._state.lock:
            if name not in self._schemas:
                raise errors.not_found(_SCHEMA_NOT_FOUND)
            record = _record(str(body.type), body.source, body.description)
            self._schemas[name] = record
            return _answer(name, record)

    async def delete_schema(self, *, name: str) -> None:
        with self._state.lock:
            if self._schemas.pop(name, None) is None:
                raise errors.not_found(_SCHEMA_NOT_FOUND)

    async def list_external_registries(self) -> models.ExternalRegistries:
        with self._state.lock:
            return {name: _masked(self._external[name]) for name in sorted(self._external)}

    async def create_external_registry(
        self, *, body: models.NewExternalRegistry
    ) -> models.ExternalRegistry:
        with self._state.lock:
            if body.name in self._external:
                raise errors.bad_request("External registry already exists")
            raw = _raw(body)
            self._external[body.name] = raw
            return _masked(raw)

    async def get_external_registry(self, *, name: str) -> models.ExternalRegistry:
        with self._state.lock:
            raw = self._external.get(name)
            if raw is None:
                raise errors.not_found(_REGISTRY_NOT_FOUND)
            return _masked(raw)

    async def update_external_registry(
        self, *, name: str, body: models.ExternalRegistry
    ) -> models.ExternalRegistry:
        with self._state.lock:
            current = self._external.get(name)
            if current is None:
                raise errors.not_found(_REGISTRY_NOT_FOUND)
            raw = _raw(body)
            auth, old_auth = raw.get("auth"), current.get("auth")
            if isinstance(auth, dict) and auth.get("password") == _MASK:
                if isinstance(old_auth, dict) and "password" in old_auth:
                    raw["auth"] = {**auth, "password": old_auth["password"]}
            self._external[name] = raw
            return _masked(raw)

    async def delete_external_registry(self, *, name: str) -> None:
        with self._state.lock:
            self._external.pop(name, None)  # the broker answers 204 for an unknown name
