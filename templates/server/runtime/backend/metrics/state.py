"""The dashboard monitor's samples: what the sampler stored every 10 seconds."""

from __future__ import annotations

from dataclasses import dataclass, field

Sample = dict[str, int]


@dataclass
class SamplesState:
    samples: dict[int, Sample] = field(default_factory=dict)
    last: tuple[int, Sample] | None = None  # the last tick: time, raw values
    cleared_at: int | None = None  # when the samples were last cleared (epoch ms)
