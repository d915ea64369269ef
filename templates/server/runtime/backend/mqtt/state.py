"""The MQTT extras of the node: delayed messages, topic metrics and topic rewrite rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_COUNTERS: tuple[str, ...] = ("dropped", "in", "out", "qos0.in", "qos0.out")
_COUNTERS += ("qos1.in", "qos1.out", "qos2.in", "qos2.out")


@dataclass
class DelayedRecord:
    msgid: str
    received_ms: int
    due_ms: int
    interval: int
    topic: str
    qos: int
    payload: bytes


@dataclass
class TopicMetricsRecord:
    created_s: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTERS, 0))
    reset_s: int | None = None


@dataclass
class MqttState:
    delayed_enable: bool = True
    max_delayed_messages: int = 0
    delayed: dict[str, DelayedRecord] = field(default_factory=dict)
    topic_metrics: dict[str, TopicMetricsRecord] = field(default_factory=dict)
    rewrite_rules: list[dict[str, Any]] = field(default_factory=list)
    seen: int = 0  # how many of state.published were looked at
