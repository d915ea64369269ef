"""Authorization sources, settings and cache: the operations on /authorization/sources,
/authorization/settings and /authorization/cache.

The stub asks no source: it keeps their configuration, order and settings. A source
that needs a server (HTTP, Redis, MySQL, ...) counts as connected, and every counter
stays at zero. A fresh stub has the broker's default: one `file` source with the rules
of the default `acl.conf`.
"""

from __future__ import annotations

from typing import Any

from ... import errors, models
from ..state import State
from .source_order import moved, reordered, status_of
from .state import (
    AuthzSourcesState,
    answer_of,
    check_file_rules,
    keep_secrets,
    stored_form,
)


def _type_name(type_: models.AuthzSourceType | str) -> str:
    return type_.value if isinstance(type_, models.AuthzSourceType) else str(type_)


def _checked(body: Any) -> dict[str, Any]:
    """The stored form of a request body, after the checks the broker makes on it."""
    stored = stored_form(body)
    if stored["type"] == "file":
        check_file_rules(stored["rules"])
    if stored.get("method") == "get" and "content-type" in stored["headers"]:
        # the broker's header check for `get` (names are compared in lower case)
        raise errors.bad_request("do_not_include_content_type")
    return stored


class AuthzSourcesOps:
    _state: State

    @property
    def _authz(self) -> AuthzSourcesState:
        return self._state.authz_sources

    async def list_authorization_sources(self) -> models.AuthzSourceList:
        with self._state.lock:
            return models.AuthzSourceList(
                sources=[answer_of(source) for source in self._authz.sources]
            )

    async def create_authorization_source(self, *, body: models.AuthzSource) -> None:
        stored = _checked(body)
        with self._state.lock:
            if stored["type"] in self._authz.types():
                raise errors.bad_request(f"{{duplicated_authz_source_type,{stored['type']}}}")
            self._authz.sources.insert(0, stored)

    async def get_authorization_source(self, *, type: models.AuthzSourceType) -> models.AuthzSource:
        with self._state.lock:
            return answer_of(self._authz.find(_type_name(type)))  # type: ignore[no-any-return]

    async def update_authorization_source(
        self, *, type: models.AuthzSourceType, body: models.AuthzSource
    ) -> None:
        name = _type_name(type)
        with self._state.lock:
            old = self._authz.find(name)
            if body.type != name:
                raise errors.bad_request("Type mismatch")
            stored = _checked(body)
            new = keep_secrets(stored, old)
            at = self._authz.types().index(name)
            self._authz.sources[at] = new

    async def delete_authorization_source(self, *, type: models.AuthzSourceType) -> None:
        name = _type_name(type)
        with self._state.lock:
            source = self._authz.find(name)
            self._authz.sources.remove(source)
            if name == "built_in_database" and source.get("enable", True):
                # the broker drops the table of an enabled built-in database source
                self._state.authz_rules.purge()

    async def get_authorization_source_status(
        self, *, type: models.AuthzSourceType
    ) -> models.AuthzSourceStatus:
        name = _type_name(type)
        with self._state.lock:
            self._authz.find(name)
            return status_of(name, self._state.node)

    async def move_authorization_source(
        self, *, type: models.AuthzSourceType, body: models.AuthzSourcePosition
    ) -> None:
        name = _type_name(type)
        with self._state.lock:
            self._authz.find(name)
            self._apply_order(moved(self._authz.types(), name, body.position))

    async def reorder_authorization_sources(
        self, *, body: list[models.AuthzSourceOrderItem]
    ) -> None:
        order = [_type_name(item.type) for item in body]
        with self._state.lock:
            self._apply_order(reordered(self._authz.types(), order))

    def _apply_order(self, types: list[str]) -> None:
        by_type = {source["type"]: source for source in self._authz.sources}
        self._authz.sources[:] = [by_type[t] for t in types]

    async def clean_authorization_cache(self) -> None:
        with self._state.lock:
            self._authz.cache_cleared += 1

    async def get_authorization_settings(self) -> models.AuthzSettings:
        with self._state.lock:
            return models.AuthzSettings.model_validate(self._authz.settings)

    async def update_authorization_settings(
        self, *, body: models.AuthzSettingsUpdate
    ) -> models.AuthzSettings:
        settings = body.model_dump(by_alias=True, mode="json", exclude_none=True)
        settings.setdefault("cache", {})
        # every field is written: what was left out takes its default, not its old value
        filled = models.AuthzSettings.model_validate(
            {
                **settings,
                "cache": models.AuthzCacheSettings.model_validate(settings["cache"]).model_dump(
                    mode="json"
                ),
            }
        )
        with self._state.lock:
            self._authz.settings = filled.model_dump(by_alias=True, mode="json")
            return models.AuthzSettings.model_validate(self._authz.settings)
