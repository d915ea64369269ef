"""The hot-upgrade package installed, each node's version and its upgrade history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..common.version import VERSION


@dataclass
class RelupPackageRecord:
    name_vsn: str
    target_vsn: str
    built_on_otp_release: str
    build_date: str
    applicable_vsns: list[str]
    md5_sum: str


@dataclass
class RelupState:
    package: RelupPackageRecord | None = None
    versions: dict[str, str] = field(default_factory=dict)  # by node; VERSION if absent
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by node

    def version_of(self, node: str) -> str:
        return self.versions.get(node, VERSION)
