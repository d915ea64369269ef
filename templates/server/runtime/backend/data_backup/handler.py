"""Data Backup: exporting the node's tables to real .tar.gz backup files (kept in memory),
listing, uploading, downloading and deleting them, and importing one.

A backup holds `META.hocon` (edition and version), `cluster.hocon` and one dump per table
under `mnesia/`. The stub writes its tables as JSON (the broker writes Mnesia backups), and
restores on import the ban and dashboard-user tables it wrote itself.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import time
from datetime import datetime
from typing import Any

from ... import errors, models
from ..._responses import UploadedFile
from ..banned.state import BANNED_KINDS, BanRecord
from ..common.clock import MAX_EPOCH_S, dt_s, now_ms
from ..common.paging import paginate
from ..common.version import VERSION
from ..dashboard.state import UserRecord
from ..state import State
from .state import BackupFile

TAR_SUFFIX = ".tar.gz"
EDITION = "ce"

# The table sets of the open-source build and their tables (emqx_db_backup implementations).
TABLE_SETS: dict[str, tuple[str, ...]] = {
    "api_keys": ("emqx_app",),
    "banned": ("emqx_banned_rules", "emqx_banned"),
    "builtin_authn": ("emqx_authn_mnesia", "emqx_authn_scram_mnesia"),
    "builtin_authz": ("emqx_acl",),
    "builtin_retainer": ("emqx_retainer_message",),
    "dashboard_users": ("emqx_admin",),
    "psk": ("emqx_psk",),
}

# The root keys of the open-source build's configuration schema.
ROOT_KEYS = frozenset(
    """
    listeners mqtt zones authorization authentication node cluster log rpc broker
    sys_topics force_shutdown overload_protection durable_storage force_gc conn_congestion
    stats sysmon alarm flapping_detect durable_sessions trace crl_cache banned bridges
    connectors actions sources retainer auto_subscribe telemetry delayed rewrite
    topic_metrics plugins dashboard gateway prometheus rule_engine exhook
    psk_authentication limiter slow_subs api_key
    """.split()
)

_RULE_KINDS = ("clientid_re", "username_re", "peerhost_net")
_BAD_NAME = "invalid backup name: file name must have .tar.gz extension"
_NOT_FOUND = "backup file not found"


class BackupError(Exception):
    """A backup that cannot be stored or imported; the argument is the broker's message."""


def _base(filename: str) -> str:
    return filename[: -len(TAR_SUFFIX)]


def _check_name(filename: str) -> None:
    if (
        not filename
        or "/" in filename
        or filename in (".", "..")
        or not filename.endswith(TAR_SUFFIX)
    ):
        raise errors.bad_request(_BAD_NAME, status=400)


def _check_node(state: State, node: str | None) -> None:
    if node is not None and node != state.node:
        raise errors.bad_request(f"Unknown node: {node}", status=400)


def _info(state: State, file: BackupFile) -> models.DataBackupFile:
    return models.DataBackupFile(
        node=state.node,
        filename=file.filename,
        created_at=dt_s(file.created_at_sec),
        created_at_sec=file.created_at_sec,
        size=len(file.content),
    )


def _add(archive: tarfile.TarFile, name: str, data: bytes, mtime: int) -> None:
    entry = tarfile.TarInfo(name)
    entry.size = len(data)
    entry.mtime = mtime
    archive.addfile(entry, io.BytesIO(data))


def _dump_tables(state: State, tables: set[str]) -> dict[str, list[dict[str, Any]]]:
    dumps: dict[str, list[dict[str, Any]]] = {}
    if "emqx_banned" in tables:
        for table, rules in (("emqx_banned", False), ("emqx_banned_rules", True)):
            dumps[table] = [
                {"as": b.as_, "who": b.who, "by": b.by, "reason": b.reason}
                | {"at": b.at, "until": b.until}
                for b in state.bans.values()
                if (b.as_ in _RULE_KINDS) == rules
            ]
    if "emqx_admin" in tables:
        dumps["emqx_admin"] = [
            {"username": name, "description": u.description}
            | {"salt": u.salt.hex(), "pwdhash": u.password_hash.hex()}
            for name, u in state.users.items()
        ]
    return dumps


def build_backup(state: State, base: str, tables: set[str], root_keys: list[str] | None) -> bytes:
    mtime = int(time.time())
    meta = f'edition = {EDITION}\nversion = "{VERSION}"\n'
    keys = "all" if root_keys is None else ", ".join(root_keys) or "none"
    conf = f"# cluster configuration of the stub (root keys: {keys})\n"
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        _add(archive, f"{base}/META.hocon", meta.encode(), mtime)
        _add(archive, f"{base}/cluster.hocon", conf.encode(), mtime)
        for table, rows in _dump_tables(state, tables).items():
            data = "".join(json.dumps(row) + "\n" for row in rows).encode()
            _add(archive, f"{base}/mnesia/{table}", data, mtime)
    return out.getvalue()


def _meta_value(text: str, key: str) -> str | None:
    found = re.search(rf'^\s*"?{key}"?\s*[=:]\s*"?([^"\s]*)"?\s*$', text, re.MULTILINE)
    return found.group(1) if found else None


def _check_version(version: str) -> None:
    parts = [re.match(r"\d+", p) for p in version.split(".")[:2]]
    numbers = [int(m.group()) for m in parts if m is not None]
    if len(numbers) < 2:
        raise BackupError("invalid backup archive content: wrong EMQX version value in META.hocon")
    major, minor = numbers
    own_major, own_minor = (int(p) for p in VERSION.split(".")[:2])
    if major > own_major or minor > own_minor:  # the broker compares each part on its own
        raise BackupError(
            f'[warning] Backup version "{version}" is newer than EMQX version "{VERSION}", '
            "import is not allowed.\n"
        )


def read_backup(filename: str, content: bytes) -> dict[str, bytes]:
    """Check a backup as the broker does before storing or importing it; its members."""
    base = _base(filename)
    try:
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
            members: dict[str, bytes] = {}
            for entry in archive.getmembers():
                if entry.name.split("/", 1)[0] != base:
                    raise BackupError(
                        "invalid backup archive content: all files in the archive must be "
                        "under <backup name> directory"
                    )
                handle = archive.extractfile(entry) if entry.isfile() else None
                if handle is not None:
                    members[entry.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError("Unexpected end of file") from None
    meta = members.get(f"{base}/META.hocon", b"").decode("utf-8", errors="replace")
    edition, version = _meta_value(meta, "edition"), _meta_value(meta, "version")
    if edition is None or version is None:
        raise BackupError("invalid backup archive file: missing META.hocon")
    if edition not in ("ce", "ee"):
        raise BackupError("invalid backup archive content: wrong EMQX edition value in META.hocon")
    if edition == "ee" and EDITION == "ce":
        raise BackupError("importing EMQX Enterprise data backup to EMQX is not allowed")
    _check_version(version)
    return members


def _ban_row(row: dict[str, Any]) -> BanRecord:
    """A ban row of a dump the stub wrote, checked so that what is restored can be shown
    (ValueError on a row that was not written by the stub)."""
    ban = BanRecord(row["as"], row["who"], row["by"], row["reason"], row["at"], row["until"])
    texts = (ban.as_, ban.who, ban.by, ban.reason)
    times = (ban.at,) if ban.until is None else (ban.at, ban.until)
    if not all(isinstance(t, str) for t in texts) or ban.as_ not in BANNED_KINDS:
        raise ValueError("not a ban row")
    if not all(type(t) is int and 0 <= t <= MAX_EPOCH_S for t in times):
        raise ValueError("not a ban row")
    "".join(texts).encode("utf-8")  # a lone surrogate cannot be shown: UnicodeEncodeError
    return ban


def _restore(state: State, base: str, members: dict[str, bytes]) -> None:
    """Restore the tables the stub wrote itself on top of the current ones (records with
    the same key are replaced). Dumps in another format (the broker's) are skipped."""
    for table in ("emqx_banned_rules", "emqx_banned", "emqx_admin"):
        data = members.get(f"{base}/mnesia/{table}")
        try:
            rows = [json.loads(line) for line in (data or b"").decode().splitlines() if line]
            users = {
                row["username"]: UserRecord(
                    bytes.fromhex(row["salt"]), bytes.fromhex(row["pwdhash"]), row["description"]
                )
                for row in rows
                if table == "emqx_admin"
            }
            bans = [_ban_row(row) for row in rows if table != "emqx_admin"]
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        state.users.update(users)
        state.bans.update({(ban.as_, ban.who): ban for ban in bans})


class DataBackupApi:
    """DataBackupHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _files(self) -> dict[str, BackupFile]:
        return self._state.data_backup.files

    def _file(self, filename: str, node: str | None) -> BackupFile:
        _check_node(self._state, node)
        _check_name(filename)
        file = self._files.get(filename)
        if file is None:
            raise errors.not_found(_NOT_FOUND, status=404)
        return file

    async def export_data(self, *, body: models.DataExportRequest) -> models.DataBackupFile:
        if body.root_keys is not None:
            unknown = sorted(set(body.root_keys) - ROOT_KEYS)
            if unknown:
                message = f"Invalid root keys: {', '.join(unknown)}"
                raise errors.bad_request(message, status=400)
        tables = {t for names in TABLE_SETS.values() for t in names}
        if body.table_sets is not None:
            invalid = sorted(set(body.table_sets) - set(TABLE_SETS))
            if invalid:
                raise errors.bad_request(f"Invalid table sets: {', '.join(invalid)}", status=400)
            tables = {t for s in body.table_sets for t in TABLE_SETS[s]}
        stamp = now_ms()
        local = datetime.fromtimestamp(stamp / 1000)
        base = f"emqx-export-{local:%Y-%m-%d-%H-%M-%S}.{stamp % 1000:03d}"
        root_keys = sorted(set(body.root_keys)) if body.root_keys is not None else None
        with self._state.lock:
            content = build_backup(self._state, base, tables, root_keys)
            file = BackupFile(base + TAR_SUFFIX, content, stamp // 1000)
            self._files[file.filename] = file
            return _info(self._state, file)

    async def list_data_files(
        self, *, limit: int = 100, page: int = 1
    ) -> models.DataBackupFilePage:
        # paginate applies the parameter check; the handler's own is never reached
        with self._state.lock:
            files = sorted(
                self._files.values(),
                key=lambda f: (f.created_at_sec, f.filename),
                reverse=True,
            )
            chunk, meta = paginate(files, page, limit)
            data = [_info(self._state, f) for f in chunk]
        return models.DataBackupFilePage(data=data, meta=meta)

    async def upload_data_file(self, *, filename: UploadedFile | None = None) -> None:
        if filename is None:
            raise errors.bad_request("Missing required parameter: filename", status=400)
        name = filename.filename
        _check_name(name)
        with self._state.lock:
            if name in self._files:
                raise errors.bad_request(f'Backup file "{name}" already exists', status=400)
            try:
                read_backup(name, filename.content)
            except BackupError as exc:
                raise errors.bad_request(exc.args[0], status=400) from None
            self._files[name] = BackupFile(name, filename.content, now_ms() // 1000)

    async def download_data_file(self, *, filename: str, node: str | None = None) -> bytes:
        with self._state.lock:
            return self._file(filename, node).content

    async def delete_data_file(self, *, filename: str, node: str | None = None) -> None:
        with self._state.lock:
            self._file(filename, node)
            del self._files[filename]

    async def import_data(self, *, body: models.DataImportRequest) -> None:
        _check_node(self._state, body.node)
        with self._state.lock:
            _check_name(body.filename)
            file = self._files.get(body.filename)
            if file is None:
                raise errors.bad_request(_NOT_FOUND, status=400)
            try:
                members = read_backup(file.filename, file.content)
            except BackupError as exc:
                raise errors.bad_request(exc.args[0], status=400) from None
            _restore(self._state, _base(file.filename), members)
