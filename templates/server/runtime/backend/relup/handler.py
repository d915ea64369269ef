"""Relup: a hot-upgrade package (a hidden plugin `emqx_relup-<vsn>`), installed on every
node, and the upgrades it performs.

An upload is checked as the broker's plugin installer does: the file name, the
`plugins allow` list it shares with the plugins API (seed it with
`InMemoryBackend.allow_plugin_installation`), a gzipped tar
holding `<name>-<vsn>/release.json` with `name`, `rel_vsn`, `rel_apps` and
`description`. The package applies to the version the node ran when it was uploaded;
an upgrade finishes at once and moves the node to the package's version.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from datetime import datetime
from typing import Any, cast

from fastapi import Response

from ... import errors, models
from ..._responses import UploadedFile
from ..cluster.members import running_nodes
from ..state import State
from .state import RelupPackageRecord

PLUGIN_NAME = "emqx_relup"
_NOT_INSTALLED = "No relup package is installed"


def _bad_info(reason: str, filename: str) -> errors.ApiError:
    return errors.bad_plugin_info(f"{reason}: {filename}", status=400)


def _read_package(name_vsn: str, filename: str, content: bytes) -> dict[str, Any]:
    """The release.json of a package, checked as the plugin installer checks it."""
    try:
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as tar:
            member = tar.extractfile(f"{name_vsn}/release.json")
            raw = member.read() if member is not None else None
    except KeyError:
        raise _bad_info("bad_info_file", filename) from None
    except (tarfile.TarError, OSError, EOFError):
        raise _bad_info("bad_plugin_package", filename) from None
    if raw is None:
        raise _bad_info("bad_info_file", filename)
    try:
        info = json.loads(raw)
    except ValueError:
        raise _bad_info("bad_info_file", filename) from None
    needed = ("name", "rel_vsn", "rel_apps", "description")
    if not isinstance(info, dict) or any(key not in info for key in needed):
        raise _bad_info("bad_info_file_content", filename)
    if f"{info['name']}-{info['rel_vsn']}" != name_vsn:
        raise _bad_info("name_vsn_mismatch", filename)
    apps = info["rel_apps"]
    if not isinstance(apps, list) or not apps or not all("-" in str(a) for a in apps):
        raise _bad_info("bad_rel_apps", filename)
    return info


def _trim_trailing(text: str, characters: str) -> str:
    """Drop trailing characters found in `characters`, as the broker trims the package
    name (a set of characters, not a suffix: `emqx_relup-1.0.tar.gz` keeps `1.0`)."""
    end = len(text)
    while end and text[end - 1] in characters:
        end -= 1
    return text[:end]


def _rfc3339_us() -> datetime:
    return datetime.now().astimezone()


class RelupApi:
    """RelupHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _status(self, node: str) -> models.RelupNodeStatus:
        relup = self._state.relup
        live = sum(1 for c in self._state.clients.values() if c.connected)
        data = {
            "node": node,
            "role": "core",
            "live_connections": live if node == self._state.node else 0,
            "current_vsn": relup.version_of(node),
            "status": "idle",
            "upgrade_history": relup.history.get(node, []) if relup.package else [],
        }
        return models.RelupNodeStatus.model_validate(data)

    def _upgrade(self, node: str) -> errors.ApiError | None:
        """Upgrade one node; the error answer it would cause, if any."""
        relup = self._state.relup
        package = relup.package
        if package is None:
            return errors.bad_request(_NOT_INSTALLED, status=400)
        current = relup.version_of(node)
        if current not in package.applicable_vsns:
            message = json.dumps(
                {
                    "stage": "check_and_unpack",
                    "err_type": "vsn_not_applicable",
                    "details": {
                        "current_vsn": current,
                        "applicable_vsns": package.applicable_vsns,
                    },
                },
                separators=(",", ":"),
            )
            return errors.bad_request(message, status=400)
        started = _rfc3339_us()
        relup.versions[node] = package.target_vsn
        relup.history.setdefault(node, []).append(
            {
                "started_at": started,
                "finished_at": _rfc3339_us(),
                "from_vsn": current,
                "target_vsn": package.target_vsn,
                "upgrade_opts": {"deploy_inplace": False},
                "status": "finished",
                "result": "success",
            }
        )
        return None

    async def upload_relup_package(self, *, plugin: UploadedFile) -> None:
        filename = plugin.filename
        prefix, sep, _ = filename.partition("-")
        if not sep or prefix != PLUGIN_NAME:
            message = f"Invalid relup package name: {filename}"
            raise errors.bad_request(message, status=400)
        name_vsn = _trim_trailing(filename, ".tar.gz")
        with self._state.lock:
            relup = self._state.relup
            if relup.package is not None:
                message = (
                    "Only one relup package can be installed at a time."
                    "Please delete the existing package first."
                )
                raise errors.bad_request(message, status=400)
            if name_vsn not in self._state.plugins.allowed:
                message = (
                    "Package is not allowed installation; first allow it to be installed by"
                    f" running: `emqx ctl plugins allow {name_vsn}`"
                )
                raise errors.forbidden(message, status=403)
            info = _read_package(name_vsn, filename, plugin.content)
            vsn = str(info["rel_vsn"])
            relup.package = RelupPackageRecord(
                name_vsn=f"{PLUGIN_NAME}-{vsn}",
                target_vsn=vsn,
                built_on_otp_release=str(info.get("built_on_otp_release", "unknown")),
                build_date=str(info.get("git_commit_or_build_date", "unknown")),
                applicable_vsns=[relup.version_of(self._state.node)],
                md5_sum=hashlib.md5(plugin.content).hexdigest(),
            )

    async def get_relup_package(self) -> models.RelupPackage:
        with self._state.lock:
            package = self._state.relup.package
            if package is None:
                raise errors.not_found(_NOT_INSTALLED, status=404)
            return models.RelupPackage(
                name=package.name_vsn,
                target_vsn=package.target_vsn,
                built_on_otp_release=package.built_on_otp_release,
                applicable_vsns=list(package.applicable_vsns),
                build_date=package.build_date,
                change_logs=[],
                md5_sum=package.md5_sum,
            )

    async def delete_relup_package(self) -> None:
        with self._state.lock:
            package = self._state.relup.package
            if package is not None:
                # Deleting a package also forgets that its installation was allowed.
                self._state.plugins.allowed.discard(package.name_vsn)
            self._state.relup.package = None

    async def list_relup_status(self) -> list[models.RelupNodeStatus]:
        with self._state.lock:
            return [self._status(node) for node in running_nodes(self._state)]

    async def get_relup_node_status(self, *, node: str) -> models.RelupNodeStatus:
        with self._state.lock:
            if node in running_nodes(self._state):
                return self._status(node)
        # The broker's HTTP layer turns the handler's undeclared 404 into this text.
        message = (
            f"Unsupported code 'NOT_FOUND', message <<\"Node not found: {node}\">>, schema def []"
        )
        # Not an error body, so it goes back as a ready response (the route passes it on).
        answer = Response(message, status_code=500, media_type="text/plain")
        return cast(models.RelupNodeStatus, answer)

    async def start_relup_upgrade(self) -> None:
        with self._state.lock:
            if self._state.relup.package is None:
                raise errors.bad_request(_NOT_INSTALLED, status=400)
            problems = [self._upgrade(node) for node in running_nodes(self._state)]
        failure = next((p for p in problems if p is not None), None)
        if failure is not None:
            raise failure

    async def start_relup_node_upgrade(self, *, node: str) -> None:
        with self._state.lock:
            if self._state.relup.package is None:
                raise errors.bad_request(_NOT_INSTALLED, status=400)
            if node not in running_nodes(self._state):
                raise errors.not_found(f"Node not found: {node}", status=404)
            failure = self._upgrade(node)
        if failure is not None:
            raise failure
