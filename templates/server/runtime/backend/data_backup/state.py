"""The backup files the node holds."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BackupFile:
    filename: str
    content: bytes = field(repr=False)
    created_at_sec: int


@dataclass
class DataBackupState:
    files: dict[str, BackupFile] = field(default_factory=dict)
