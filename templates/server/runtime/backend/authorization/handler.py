"""Authorization: the sources the broker asks in order (with the settings and the cache)
and the rules of the built-in database source, each part in its own module."""

from __future__ import annotations

from ..state import State
from .rules import AuthzRulesOps
from .sources import AuthzSourcesOps


class AuthorizationApi(AuthzSourcesOps, AuthzRulesOps):
    def __init__(self, state: State) -> None:
        self._state = state
