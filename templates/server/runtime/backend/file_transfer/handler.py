"""File Transfer (enterprise build): the settings (forwarded to the `file_transfer`
configuration root), the exported files, a transfer's files and a file's bytes.

As EMQX's filter does, every files operation answers 503 `Service unavailable` while
`file_transfer.enable` is false. The listing's cursor is opaque: the stub's is the
base64 of the last listed file's path, and anything else is `Invalid cursor`.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

from ... import errors, models
from ..._responses import Download
from ..common.clock import dt_s
from ..common.paging import check_pager
from ..configs.file_transfer_root import get_root, put_root
from ..state import State
from .state import ExportedFile

FILES_NOT_FOUND = "Files requested for this transfer could not be found"


def file_uri(node: str, fileref: str) -> str:
    """The download address of an exported file, as the fs exporter makes it."""
    return "/api/v5/file_transfer/file?" + urlencode({"node": node, "fileref": fileref})


def file_info(node: str, file: ExportedFile) -> dict[str, Any]:
    info: dict[str, Any] = {
        "name": file.name,
        "size": len(file.content),
        "timestamp": dt_s(file.timestamp).isoformat(),
        "clientid": file.clientid,
        "fileid": file.fileid,
        "uri": file_uri(node, file.fileref),
    }
    if file.meta is not None:
        info["metadata"] = file.meta
    return info


def decode_cursor(cursor: str) -> str:
    try:
        after = base64.b64decode(cursor, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        after = ""
    if not after:
        raise errors.bad_request("Invalid cursor", status=400)
    return after


def valid_fileref(fileref: str) -> bool:
    """Relative, not empty, and no part starting with `.` (as `parse_filepath` checks)."""
    parts = [p for p in fileref.split("/") if p]
    return not fileref.startswith("/") and bool(parts) and not any(p[0] == "." for p in parts)


class FileTransferApi:
    """FileTransferHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _check_enabled(self) -> None:
        with self._state.lock:
            enabled = bool(self._state.configs.roots["file_transfer"].get("enable", False))
        if not enabled:
            raise errors.service_unavailable("Service unavailable")

    async def get_file_transfer(self) -> models.ConfigFileTransfer:
        return get_root(self._state)

    async def update_file_transfer(
        self, *, body: models.ConfigFileTransfer
    ) -> models.ConfigFileTransfer:
        return put_root(self._state, body)

    async def list_file_transfer_files(
        self, *, following: str | None = None, limit: int = 100
    ) -> models.FileTransferFiles:
        self._check_enabled()
        check_pager(1, limit)
        after = decode_cursor(following) if following is not None else None
        with self._state.lock:
            files = [
                f for f in self._state.file_transfer.ordered() if after is None or f.fileref > after
            ]
            node = self._state.node
        chunk = files[:limit]
        body: dict[str, Any] = {"files": [file_info(node, f) for f in chunk]}
        if len(files) > limit:
            body["cursor"] = base64.urlsafe_b64encode(chunk[-1].fileref.encode()).decode()
        return models.FileTransferFiles.model_validate(body)

    async def get_file_transfer_files(
        self, *, clientid: str, fileid: str
    ) -> models.FileTransferFiles:
        self._check_enabled()
        with self._state.lock:
            files = [
                f
                for f in self._state.file_transfer.ordered()
                if (f.clientid, f.fileid) == (clientid, fileid)
            ]
            node = self._state.node
        if not files:
            raise errors.files_not_found(FILES_NOT_FOUND)
        return models.FileTransferFiles.model_validate(
            {"files": [file_info(node, f) for f in files]}
        )

    async def download_file_transfer_file(self, *, fileref: str, node: str) -> bytes | Download:
        self._check_enabled()
        if node != self._state.node:
            raise errors.not_found(f"Invalid query parameter: {node}")
        if not valid_fileref(fileref):
            raise errors.not_found(f"Invalid query parameter: {fileref}")
        key = "/".join(p for p in fileref.split("/") if p)
        with self._state.lock:
            file = self._state.file_transfer.files.get(key)
        if file is None:
            raise errors.not_found("Not found")
        return Download(file.content, media_type="application/data")
