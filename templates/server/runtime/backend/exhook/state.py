"""The ExHook servers, in calling order."""

from __future__ import annotations

from dataclasses import dataclass, field

from ... import models


@dataclass
class ExhookState:
    """The configured servers, in calling order."""

    servers: list[models.ExhookServer] = field(default_factory=list)
