"""Relup: uploading a hot-upgrade package, reading it, upgrading nodes, deleting it."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub

TARGET = "5.8.10"
NAME_VSN = f"emqx_relup-{TARGET}"
FILENAME = f"{NAME_VSN}.tar.gz"


def _package(name_vsn: str = NAME_VSN, info: dict[str, Any] | None = None) -> bytes:
    name, _, vsn = name_vsn.partition("-")
    release = info or {
        "name": name,
        "rel_vsn": vsn,
        "rel_apps": [f"{name}-0.1.0"],
        "description": "hot upgrade to " + vsn,
        "built_on_otp_release": "26",
        "git_commit_or_build_date": "2025-01-20",
    }
    raw = json.dumps(release).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        entry = tarfile.TarInfo(f"{name_vsn}/release.json")
        entry.size = len(raw)
        tar.addfile(entry, io.BytesIO(raw))
    return buffer.getvalue()


def _fails(error: type[Exception], call: Any, **kwargs: Any) -> Any:
    with pytest.raises(error) as info:
        call(**kwargs)
    return info.value


def test_nothing_installed(client: Any, stub: LiveStub) -> None:
    relup = client.relup
    relup.package.delete()  # succeeds with nothing to delete
    missing = _fails(emqx_client.NotFoundError, relup.package.get)
    assert (missing.code, missing.message) == (
        models.ErrorCode.NOT_FOUND,
        "No relup package is installed",
    )
    for call, kwargs in (
        (relup.start_upgrade, {}),
        (relup.start_node_upgrade, {"node": "nobody@nowhere"}),
    ):
        error = _fails(emqx_client.BadRequestError, call, **kwargs)
        assert error.message == "No relup package is installed"
    [status] = relup.list_status()
    assert status.node == stub.backend.node and status.status.value == "idle"
    assert status.role.value == "core" and status.upgrade_history == []
    assert relup.get_node_status(node=stub.backend.node) == status


def test_unknown_node_status_is_a_text_500(client: Any) -> None:
    error = _fails(emqx_client.InternalServerError, client.relup.get_node_status, node="x@y")
    assert error.code is None
    assert error.body.startswith("Unsupported code 'NOT_FOUND'")
    assert "Node not found: x@y" in error.body


def test_upload_is_checked_like_a_plugin(client: Any, stub: LiveStub) -> None:
    upload = client.relup.package.upload
    bad_name = _fails(emqx_client.BadRequestError, upload, plugin=("relup-5.8.10.tar.gz", b"x"))
    assert bad_name.message == "Invalid relup package name: relup-5.8.10.tar.gz"
    denied = _fails(emqx_client.PermissionDeniedError, upload, plugin=(FILENAME, _package()))
    assert denied.code == models.ErrorCode.FORBIDDEN
    assert f"emqx ctl plugins allow {NAME_VSN}" in denied.message

    stub.backend.allow_plugin_installation(NAME_VSN)
    for content, reason in (
        (b"not a tarball", "bad_plugin_package"),
        (_package("emqx_relup-9.9.9"), "bad_info_file"),
        (_package(info={"name": "emqx_relup"}), "bad_info_file_content"),
        (
            _package(
                info={
                    "name": "emqx_relup",
                    "rel_vsn": "5.8.11",
                    "rel_apps": ["emqx_relup-0.1.0"],
                    "description": "wrong version",
                }
            ),
            "name_vsn_mismatch",
        ),
    ):
        error = _fails(emqx_client.BadRequestError, upload, plugin=(FILENAME, content))
        assert (error.code, error.message) == (
            models.ErrorCode.BAD_PLUGIN_INFO,
            f"{reason}: {FILENAME}",
        )
    # Nothing was installed by the failed attempts.
    _fails(emqx_client.NotFoundError, client.relup.package.get)


def test_upload_upgrade_and_delete(client: Any, stub: LiveStub) -> None:
    relup = client.relup
    content = _package()
    stub.backend.allow_plugin_installation(NAME_VSN)
    relup.package.upload(plugin=(FILENAME, content, "application/gzip"))
    package = relup.package.get()
    assert package.name == NAME_VSN and package.target_vsn == TARGET
    assert package.applicable_vsns == ["5.8.9"] and package.change_logs == []
    assert package.built_on_otp_release == "26" and package.build_date == "2025-01-20"
    assert package.md5_sum == hashlib.md5(content).hexdigest()
    second = _fails(emqx_client.BadRequestError, relup.package.upload, plugin=(FILENAME, content))
    assert second.message.startswith("Only one relup package can be installed at a time.")

    missing = _fails(emqx_client.NotFoundError, relup.start_node_upgrade, node="x@y")
    assert missing.message == "Node not found: x@y"
    relup.start_node_upgrade(node=stub.backend.node)
    status = relup.get_node_status(node=stub.backend.node)
    assert status.current_vsn == TARGET
    [record] = status.upgrade_history
    assert (record.from_vsn, record.target_vsn) == ("5.8.9", TARGET)
    assert record.status.value == "finished" and record.result is not None
    assert record.finished_at is not None and record.finished_at >= record.started_at
    # The running version is no longer one the package applies to.
    again = _fails(emqx_client.BadRequestError, relup.start_upgrade)
    assert "check_and_unpack" in again.message

    # Deleting the package also forgets that it was allowed.
    relup.package.delete()
    _fails(emqx_client.NotFoundError, relup.package.get)
    assert relup.list_status()[0].upgrade_history == []
    _fails(emqx_client.PermissionDeniedError, relup.package.upload, plugin=(FILENAME, content))

    # A package for the version the node runs now upgrades every node.
    newer = "emqx_relup-5.8.11"
    stub.backend.allow_plugin_installation(newer)
    relup.package.upload(plugin=(f"{newer}.tar.gz", _package(newer)))
    assert relup.package.get().applicable_vsns == [TARGET]
    relup.start_upgrade()
    [status] = relup.list_status()
    assert status.current_vsn == "5.8.11"
    assert [r.target_vsn for r in status.upgrade_history] == [TARGET, "5.8.11"]
    relup.package.delete()
