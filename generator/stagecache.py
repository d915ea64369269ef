"""Texts that generate made before, keyed by a digest of everything they were made from.

A stage (the models module, the TypedDicts, a formatted file) asks for its text by a key
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

    def _path(self, stage: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / stage / digest(self._salt, key)

    def get(self, stage: str, key: str) -> str | None:
        path = self._path(stage, key)
        if path is None:
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self._used.add(path)
        return text

    def put(self, stage: str, key: str, text: str) -> None:
        path = self._path(stage, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            return
        self._used.add(path)

    def prune(self) -> None:
        """Drop every entry this run neither read nor wrote."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path not in self._used:
                path.unlink(missing_ok=True)
