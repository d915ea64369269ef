"""End-to-end tracing's white lists and their maximum lengths (the defaults of
`opentelemetry.traces.filter.e2e_tracing_options`)."""

from __future__ import annotations

from dataclasses import dataclass, field


def _lists() -> dict[str, list[str]]:
    return {"clientid": [], "topic": []}


def _maxima() -> dict[str, int]:
    return {"clientid": 30, "topic": 30}


@dataclass
class OtelState:
    whitelists: dict[str, list[str]] = field(default_factory=_lists)
    whitelist_max: dict[str, int] = field(default_factory=_maxima)
