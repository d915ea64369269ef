"""Opentelemetry (enterprise build): the client ids and topic filters end-to-end tracing
always samples (the integration's settings, `/opentelemetry`, are the Monitor tag's:
`monitor/handler.py` serves them from `settings.py` here). A new list replaces the old one whole; one longer than its maximum is
refused and the old list stays."""

from __future__ import annotations

from typing import Literal

from ... import errors, models
from ..state import State
from .settings import whitelist_max

WhitelistType = Literal["clientid", "topic"]


class OpentelemetryApi:
    """OpentelemetryHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_otel_whitelist(self, *, type: WhitelistType) -> models.OtelWhitelist:
        with self._state.lock:
            return list(self._state.otel.whitelists[type])

    async def replace_otel_whitelist(
        self, *, type: WhitelistType, body: models.OtelWhitelist
    ) -> None:
        entries = list(body)
        with self._state.lock:
            if len(entries) > whitelist_max(self._state.otel.settings, type):
                message = f"The number of '{type}' exceeds the white list maximum limit."
                raise errors.bad_request(message, status=400)
            self._state.otel.whitelists[type] = entries

    async def clear_otel_whitelist(self, *, type: WhitelistType) -> None:
        with self._state.lock:
            self._state.otel.whitelists[type] = []
