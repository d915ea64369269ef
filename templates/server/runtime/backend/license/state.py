"""The license key in force and the license's settings, as a fresh enterprise node has
them: the built-in evaluation license and watermarks of 75% and 80%."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_KEY = "default"


def _default_settings() -> dict[str, Any]:
    return {
        "connection_low_watermark": "75%",
        "connection_high_watermark": "80%",
        # shown and applied only under a business-critical license; the built-in one is not
        "dynamic_max_connections": 25,
    }


@dataclass
class LicenseState:
    key: str = DEFAULT_KEY
    settings: dict[str, Any] = field(default_factory=_default_settings)
