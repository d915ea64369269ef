"""The cluster links as the configuration holds them (`cluster.links`), in creation order,
each with its forwarding counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORWARDING_COUNTERS = (
    "matched",
    "success",
    "failed",
    "dropped",
    "retried",
    "queuing",
    "inflight",
)
FORWARDING_RATES = ("rate", "rate_last5m", "rate_max")


def zero_forwarding() -> dict[str, int | float]:
    """The forwarding metrics of a link that has forwarded nothing."""
    return {
        **{name: 0 for name in FORWARDING_COUNTERS},
        **{name: 0.0 for name in FORWARDING_RATES},
    }


@dataclass
class LinkRecord:
    # the raw configuration with defaults filled in, the password in clear
    config: dict[str, Any]
    forwarding: dict[str, int | float] = field(default_factory=zero_forwarding)


@dataclass
class ClusterLinksState:
    links: dict[str, LinkRecord] = field(default_factory=dict)
