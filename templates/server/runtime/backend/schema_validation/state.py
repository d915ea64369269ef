"""The validations, in the order they run."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common.processing import Processing


@dataclass
class SchemaValidationState:
    """The validations in running order, each with its counters."""

    validations: list[Processing] = field(default_factory=list)
