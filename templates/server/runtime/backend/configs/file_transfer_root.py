"""The `file_transfer` root (enterprise build): the check its schema's validator makes,
and reading and replacing it, shared by the Configs and File Transfer areas."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ... import errors, models
from ..state import State
from .state import deobfuscate, fill_root, obfuscate

ROOT = "file_transfer"


def check_single_backends(conf: Mapping[str, Any]) -> None:
    """emqx_ft_schema's validator: exactly one enabled storage backend, and exactly one
    enabled exporter of the local storage."""
    storage = conf.get("storage") or {}
    exporter = (storage.get("local") or {}).get("exporter") or {}
    for where, backends in (("storage", storage), ("storage.local.exporter", exporter)):
        enabled = [
            k for k, v in backends.items() if isinstance(v, Mapping) and v.get("enable", True)
        ]
        if len(enabled) != 1:
            reason = "no_enabled_backend" if not enabled else "multiple_enabled_backends"
            raise errors.bad_request(f"file_transfer.{where}: {reason}")


def get_root(state: State) -> models.ConfigFileTransfer:
    with state.lock:
        data = copy.deepcopy(state.configs.roots[ROOT])
    return models.ConfigFileTransfer.model_validate(obfuscate(data))


def put_root(state: State, body: models.ConfigFileTransfer) -> models.ConfigFileTransfer:
    """Replace the root (defaults filled in, `******` keeping the stored secret)."""
    with state.lock:
        sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        filled = fill_root(ROOT, deobfuscate(sent, state.configs.roots.get(ROOT)))
        check_single_backends(filled)
        state.configs.roots[ROOT] = filled
    return models.ConfigFileTransfer.model_validate(obfuscate(filled))
