"""Authorization sources, settings and cache: the operations on /authorization/sources,
/authorization/settings and /authorization/cache."""

from __future__ import annotations

from ._state import State


class AuthzSourcesOps:
    _state: State
