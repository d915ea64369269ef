"""The files the local exporter holds, by their path under its root
(`<clientid>/<fileid>/<name>`); the stub has no MQTT file transfer, so tests seed them
with `InMemoryBackend.add_exported_file`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExportedFile:
    clientid: str
    fileid: str
    name: str
    content: bytes
    timestamp: int  # seconds since the epoch
    meta: dict[str, Any] | None = None

    @property
    def fileref(self) -> str:
        return f"{self.clientid}/{self.fileid}/{self.name}"


@dataclass
class FileTransferState:
    files: dict[str, ExportedFile] = field(default_factory=dict)

    def ordered(self) -> list[ExportedFile]:
        return [self.files[k] for k in sorted(self.files)]
