"""The plugins installed, their boot order, and the packages allowed to be installed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class InstalledPlugin:
    """A package extracted into the install directory."""

    name_vsn: str
    info: dict[str, Any]  # release.json as parsed
    readme: str
    md5sum: str
    running: bool = False
    config: dict[str, Any] | None = None


@dataclass
class BootEntry:
    """One item of the configured plugin list (`plugins.states`): boot order and enable."""

    name_vsn: str
    enable: bool


@dataclass
class PluginsState:
    installed: dict[str, InstalledPlugin] = field(default_factory=dict)
    boot: list[BootEntry] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)  # `emqx ctl plugins allow <name-vsn>`
