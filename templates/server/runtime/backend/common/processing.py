"""What schema validations and message transformations share: an ordered list of named
configurations, EMQX's reorder check, counters and their answer, and the checks the
broker's schema makes on the fields both have (topics, defaults)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ... import errors, models


@dataclass
class Counters:
    """Messages matched by a validation or transformation, and how they fared."""

    matched: int = 0
    succeeded: int = 0
    failed: int = 0

    def reset(self) -> None:
        self.matched = self.succeeded = self.failed = 0


@dataclass
class Processing:
    """One validation or transformation: its configuration as the broker answers it
    (defaults filled in, `topics` a list) and its counters."""

    config: dict[str, Any]
    counters: Counters = field(default_factory=Counters)

    @property
    def name(self) -> str:
        name: str = self.config["name"]
        return name


class ReorderError(errors.ApiError):
    """400 BAD_REQUEST listing the unknown, the left-out and the repeated names."""

    def __init__(self, not_found: list[str], not_reordered: list[str], duplicated: list[str]):
        super().__init__(400, "BAD_REQUEST", "Bad request")
        self.lists = {
            "not_found": not_found,
            "not_reordered": not_reordered,
            "duplicated": duplicated,
        }

    def body(self) -> dict[str, Any]:
        return {**super().body(), **self.lists}


class _Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=_Named)


def reordered(items: list[T], order: Iterable[str]) -> list[T]:
    """`items` in the order `order` names them; ReorderError unless it names each
    exactly once (EMQX's check: unknown, repeated and left-out names)."""
    remaining = list(items)
    result: list[T] = []
    seen: set[str] = set()
    not_found: list[str] = []
    duplicated: list[str] = []
    for name in order:
        if name in seen:
            if name not in duplicated:
                duplicated.append(name)
            continue
        at = next((i for i, item in enumerate(remaining) if item.name == name), None)
        if at is None:
            if name not in not_found:
                not_found.append(name)
            continue
        seen.add(name)
        result.append(remaining.pop(at))
    if remaining or not_found or duplicated:
        raise ReorderError(not_found, [item.name for item in remaining], duplicated)
    return result


def find(items: list[T], name: str) -> int | None:
    """The position of the item called `name`, or None."""
    return next((i for i, item in enumerate(items) if item.name == name), None)


def metrics(node: str, counters: Counters) -> models.ProcessingMetrics:
    """The metrics answer of a one-node cluster (rates stay at zero in the stub)."""
    values = {
        "matched": counters.matched,
        "succeeded": counters.succeeded,
        "failed": counters.failed,
        "rate": 0,
        "rate_last5m": 0,
        "rate_max": 0,
    }
    return models.ProcessingMetrics.model_validate(
        {"metrics": values, "node_metrics": [{"node": node, "metrics": values}]}
    )


def prometheus_rows(items: list[Processing]) -> list[tuple[str, bool, int, int, int]]:
    """Per item, what the Prometheus collector reports: name, enable, matched,
    succeeded, failed (for Monitor's enterprise endpoints)."""
    return [
        (
            item.name,
            bool(item.config.get("enable", True)),
            item.counters.matched,
            item.counters.succeeded,
            item.counters.failed,
        )
        for item in items
    ]


def stored(body: Any) -> dict[str, Any]:
    """A validation or transformation body as the broker stores and answers it: the
    defaults of the fields both have filled in and `topics` as a list; BAD_REQUEST for
    repeated topic filters."""
    config: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    topics = config["topics"]
    config["topics"] = topics = [topics] if isinstance(topics, str) else topics
    repeated = sorted({t for t in topics if topics.count(t) > 1})
    if repeated:
        raise errors.bad_request(f"duplicated topics: {', '.join(repeated)}")
    config.setdefault("enable", True)
    config.setdefault("description", "")
    config["log_failure"] = {"level": "info", **config.get("log_failure", {})}
    return config


def missing_schemas_error(module: str, missing: list[list[str]]) -> errors.ApiError:
    """400 BAD_REQUEST for checks naming schemas the registry lacks, worded as the
    broker prints its config-update error (Erlang terms)."""
    paths = ",".join("[" + ",".join(f'<<"{p}">>' for p in path) + "]" for path in missing)
    return errors.bad_request(f"{{post_config_update,{module},#{{missing_schemas => [{paths}]}}}}")
