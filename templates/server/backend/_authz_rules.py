"""The rules of the built-in database authorization source: per client, per user and
for all, under /authorization/sources/built_in_database/rules."""

from __future__ import annotations

from ._state import State


class AuthzRulesOps:
    _state: State
