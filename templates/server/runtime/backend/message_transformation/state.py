"""The transformations, in the order they run."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common.processing import Processing


@dataclass
class MessageTransformationState:
    """The transformations in running order, each with its counters."""

    transformations: list[Processing] = field(default_factory=list)
