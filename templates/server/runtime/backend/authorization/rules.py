"""The rules of the built-in database authorization source: per client, per user and
for all, under /authorization/sources/built_in_database/rules.

What differs from EMQX: the rules are kept but no MQTT request is ever authorized with
them; bodies the broker's handler would crash on (a rule or record without a field it
needs) are refused by the stub's body check with 400 instead, except a PUT whose body
names another record than its path, answered with 500 as the broker does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ... import errors, models
from ..common.paging import paginate
from ..state import State
from .rules_state import (
    DEFAULT_MAX_RULES,
    AuthzRulesState,
    Kind,
    StoredRule,
    normalize_all,
)

SOURCE_TYPE = "built_in_database"
# What the handlers name each kind of record in their messages.
_ERR_WHO: dict[Kind, str] = {"username": "User", "clientid": "Client"}
_DELETE_NOT_FOUND: dict[Kind, str] = {
    "username": "Username Not Found",
    "clientid": "ClientID Not Found",
}
_Named = models.AuthzRulesForUsername | models.AuthzRulesForClientid


def _wire_rules(rules: Sequence[StoredRule]) -> list[dict[str, Any]]:
    return [rule.wire() for rule in rules]


def _name_of(record: _Named) -> str:
    if isinstance(record, models.AuthzRulesForUsername):
        return record.username
    return record.clientid


class AuthzRulesOps:
    _state: State

    # -- The source these rules belong to ------------------------------------------

    def _builtin_database_source(self) -> Mapping[str, Any] | None:
        """The configured `built_in_database` source (its stored settings: `enable`,
        `max_rules`), or None when there is none (a fresh broker has only `file`)."""
        for source in self._state.authz_sources.sources:
            if source["type"] == SOURCE_TYPE:
                return source
        return None

    def _source(self) -> Mapping[str, Any]:
        """The source, or the 404 every operation here answers when it is missing."""
        source = self._builtin_database_source()
        if source is None:
            raise errors.not_found(f"Not found: {SOURCE_TYPE}", status=404)
        return source

    def _max_rules(self) -> int:
        return int(self._source().get("max_rules", DEFAULT_MAX_RULES))

    @property
    def _table(self) -> AuthzRulesState:
        return self._state.authz_rules

    # -- Shared by the user-name and client-id operations ---------------------------

    def _page(
        self, kind: Kind, like: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], models.PageMeta]:
        with self._state.lock:
            self._source()
            records = self._table.records(kind)
            names = [n for n in self._table.sorted_names(kind) if like is None or like in n]
            found = [{kind: n, "rules": _wire_rules(records[n])} for n in names]
        return paginate(found, page, limit, with_count=like is None)

    def _create(self, kind: Kind, body: Sequence[_Named]) -> None:
        with self._state.lock:
            max_rules = self._max_rules()
            records = self._table.records(kind)
            for record in body:
                name = _name_of(record)
                if name in records:
                    raise errors.already_exists(
                        f"{_ERR_WHO[kind]} '{name}' already exist", status=409
                    )
                if len(record.rules) > max_rules:
                    raise errors.bad_request(
                        f"The rules length of {_ERR_WHO[kind]} '{name}' exceeds the maximum limit.",
                        status=400,
                    )
            for record in body:
                records[_name_of(record)] = normalize_all(record.rules)

    def _get(self, kind: Kind, name: str) -> dict[str, Any]:
        with self._state.lock:
            self._source()
            rules = self._table.records(kind).get(name)
            if rules is None:
                raise errors.not_found("Not Found", status=404)
            return {kind: name, "rules": _wire_rules(rules)}

    def _put(self, kind: Kind, name: str, body: _Named) -> None:
        with self._state.lock:
            max_rules = self._max_rules()
            if _name_of(body) != name:
                # The broker's handler only matches a body naming the path's record.
                raise errors.internal_error(
                    f"the body names {kind} '{_name_of(body)}', the path '{name}'",
                    status=500,
                )
            if len(body.rules) > max_rules:
                raise errors.bad_request("The rules length exceeds the maximum limit.", status=400)
            self._table.records(kind)[name] = normalize_all(body.rules)

    def _delete(self, kind: Kind, name: str) -> None:
        with self._state.lock:
            self._source()
            if self._table.records(kind).pop(name, None) is None:
                raise errors.not_found(_DELETE_NOT_FOUND[kind], status=404)

    # -- /rules/users -------------------------------------------------------------------

    async def list_authorization_user_rules(
        self, *, like_username: str | None = None, limit: int = 100, page: int = 1
    ) -> models.AuthzRulesUsernamePage:
        data, meta = self._page("username", like_username, page, limit)
        return models.AuthzRulesUsernamePage.model_validate({"data": data, "meta": meta})

    async def create_authorization_user_rules(
        self, *, body: list[models.AuthzRulesForUsername]
    ) -> None:
        self._create("username", body)

    async def get_authorization_user_rules(
        self, *, username: str
    ) -> models.AuthzRulesForUsernameStored:
        return models.AuthzRulesForUsernameStored.model_validate(self._get("username", username))

    async def update_authorization_user_rules(
        self, *, username: str, body: models.AuthzRulesForUsername
    ) -> None:
        self._put("username", username, body)

    async def delete_authorization_user_rules(self, *, username: str) -> None:
        self._delete("username", username)

    # -- /rules/clients -----------------------------------------------------------------

    async def list_authorization_client_rules(
        self, *, like_clientid: str | None = None, limit: int = 100, page: int = 1
    ) -> models.AuthzRulesClientidPage:
        data, meta = self._page("clientid", like_clientid, page, limit)
        return models.AuthzRulesClientidPage.model_validate({"data": data, "meta": meta})

    async def create_authorization_client_rules(
        self, *, body: list[models.AuthzRulesForClientid]
    ) -> None:
        self._create("clientid", body)

    async def get_authorization_client_rules(
        self, *, clientid: str
    ) -> models.AuthzRulesForClientidStored:
        return models.AuthzRulesForClientidStored.model_validate(self._get("clientid", clientid))

    async def update_authorization_client_rules(
        self, *, clientid: str, body: models.AuthzRulesForClientid
    ) -> None:
        self._put("clientid", clientid, body)

    async def delete_authorization_client_rules(self, *, clientid: str) -> None:
        self._delete("clientid", clientid)

    # -- /rules/all and /rules ----------------------------------------------------------

    async def get_authorization_rules_for_all(self) -> models.AuthzRulesForAllStored:
        with self._state.lock:
            self._source()
            rules = self._table.for_all or []
            return models.AuthzRulesForAllStored.model_validate({"rules": _wire_rules(rules)})

    async def set_authorization_rules_for_all(self, *, body: models.AuthzRulesForAll) -> None:
        with self._state.lock:
            if len(body.rules) > self._max_rules():
                raise errors.bad_request(
                    "The length of rules exceeds the maximum limit.", status=400
                )
            self._table.for_all = normalize_all(body.rules)

    async def clear_authorization_rules_for_all(self) -> None:
        with self._state.lock:
            self._source()
            self._table.for_all = []

    async def purge_authorization_rules(self) -> None:
        with self._state.lock:
            if self._source().get("enable", True):
                raise errors.bad_request(
                    f"'{SOURCE_TYPE}' type source must be disabled before purge.", status=400
                )
            self._table.purge()
