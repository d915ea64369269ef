"""Authorization: the sources the broker asks in order (with the settings and the cache)
and the rules of the built-in database source, each part in its own module."""

from __future__ import annotations

from ._authz_rules import AuthzRulesOps
from ._authz_sources import AuthzSourcesOps
from ._state import State


class AuthorizationApi(AuthzSourcesOps, AuthzRulesOps):
    def __init__(self, state: State) -> None:
        self._state = state
