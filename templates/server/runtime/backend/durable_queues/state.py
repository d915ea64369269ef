"""The declared durable queues by id, whether the feature is on, and which queues
subscribers are using (tests set both through `InMemoryBackend`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DurableQueueRecord:
    id: str
    group: str
    topic: str
    created_at: int  # milliseconds since the epoch
    start_time: int


@dataclass
class DurableQueuesState:
    enabled: bool = False  # as a node without durable sessions
    queues: dict[str, DurableQueueRecord] = field(default_factory=dict)
    active: set[str] = field(default_factory=set)

    def ordered(self) -> list[DurableQueueRecord]:
        return [self.queues[k] for k in sorted(self.queues)]
