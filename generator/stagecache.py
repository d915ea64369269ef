"""Texts that generate made before, keyed by a digest of everything they were made from.

A stage (the models module, a formatted file) asks for its text by a key
of its inputs; an edit that leaves those inputs alone reuses the text instead of running
datamodel-code-generator or ruff again. Every key also holds the digest of the generator's
own source and the versions of the tools, so a new generator or tool never reads an old
entry. Entries are plain files under `<output's parent>/.emqx-codegen-cache/` (ignored by
git); after a generate, entries that run did not use are dropped, so the folder holds one
generation. A cache that cannot be read or written is the same as an empty one.
`EMQX_CODEGEN_CACHE=0` turns it off; `check` never uses it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.config import Config

FOLDER = ".emqx-codegen-cache"
JINJA = "jinja"  # Jinja's own cache of compiled templates (keyed by their text), not pruned
_SWITCH = "EMQX_CODEGEN_CACHE"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class StageCache:
    """Texts by (stage, key). With no folder, it stores nothing and finds nothing."""

    def __init__(self, folder: Path | None, salt: str = "") -> None:
        self.folder = folder
        self._salt = salt
        self._used: set[Path] = set()

    @classmethod
    def for_config(cls, config: Config) -> StageCache:
        if os.environ.get(_SWITCH, "1").lower() in ("0", "off", "no", "false"):
            return cls(None)
        from generator import fingerprint  # the generator's digest and the tools' versions

        salt = digest(fingerprint.generator_digest(), repr(sorted(fingerprint.versions().items())))
        return cls(config.output.resolve().parent / FOLDER, salt)

    def folder_of(self, stage: str) -> Path | None:
        """A stage's folder (made if needed), for a tool that keeps its own entries there."""
        if self.folder is None:
            return None
        try:
            (self.folder / stage).mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return self.folder / stage

    def has_entries(self, stage: str) -> bool:
        if self.folder is None:
            return False
        try:
            return any((self.folder / stage).iterdir())
        except OSError:
            return False

    def _path(self, stage: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / stage / digest(self._salt, key)

    def get(self, stage: str, key: str) -> str | None:
        data = self.get_bytes(stage, key)
        try:
            return None if data is None else data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, stage: str, key: str, text: str) -> None:
        self.put_bytes(stage, key, text.encode("utf-8"))

    def get_bytes(self, stage: str, key: str) -> bytes | None:
        path = self._path(stage, key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self._used.add(path)
        return data

    def put_bytes(self, stage: str, key: str, data: bytes) -> None:
        path = self._path(stage, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError:
            return
        self._used.add(path)

    def prune(self) -> None:
        """Drop every entry this run neither read nor wrote."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path not in self._used and path.parent.name != JINJA:
                path.unlink(missing_ok=True)
