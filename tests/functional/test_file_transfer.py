"""File Transfer (enterprise build) through the generated client against the `ee` stub:
the settings (the `file_transfer` root), the exported files page by page, one transfer's
files, a download, and the answers while file transfer is disabled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import emqx_client
import pytest

from tests.functional.conftest import LiveStub


@pytest.fixture()
def ft(ee_client: Any, ee_stub: LiveStub) -> Iterator[Any]:
    ee_client.file_transfer.update(body={"enable": True})
    ee_stub.backend.add_exported_file("dev-1", "f-1", "a.txt", b"hello", timestamp=1714557600)
    ee_stub.backend.add_exported_file(
        "dev-1", "f-2", "b.bin", b"\x00\x01", meta={"name": "b.bin", "size": 2}
    )
    ee_stub.backend.add_exported_file("dev-2", "f-1", "c.txt", b"third")
    try:
        yield ee_client
    finally:
        ee_client.file_transfer.update(body={})
        ee_stub.backend.clear_exported_files()


def test_settings_forward_to_the_configuration_root(ee_client: Any) -> None:
    assert ee_client.file_transfer.get().enable is False
    changed = ee_client.file_transfer.update(body={"enable": True, "init_timeout": "20s"})
    assert (changed.enable, changed.init_timeout) == (True, "20s")
    assert ee_client.configs.get_file_transfer().init_timeout == "20s"
    none = {"storage": {"local": {"exporter": {"local": {"enable": False}}}}}
    with pytest.raises(emqx_client.BadRequestError) as bad:
        ee_client.file_transfer.update(body=none)
    assert bad.value.message == "file_transfer.storage.local.exporter: no_enabled_backend"
    assert ee_client.file_transfer.update(body={}).enable is False


def test_files_are_listed_after_the_cursor(ft: Any, ee_stub: LiveStub) -> None:
    first = ft.file_transfer.files.list(limit=2)
    assert [(f.clientid, f.fileid, f.name) for f in first.files] == [
        ("dev-1", "f-1", "a.txt"),
        ("dev-1", "f-2", "b.bin"),
    ]
    a, b = first.files
    assert (a.size, a.metadata, b.metadata.name, b.metadata.size) == (5, None, "b.bin", 2)
    assert int(a.timestamp.timestamp()) == 1714557600
    query = parse_qs(urlsplit(a.uri).query)
    assert urlsplit(a.uri).path == "/api/v5/file_transfer/file"
    assert query == {"node": [ee_stub.backend.node], "fileref": ["dev-1/f-1/a.txt"]}
    rest = ft.file_transfer.files.list(following=first.cursor, limit=2)
    assert [f.clientid for f in rest.files] == ["dev-2"] and rest.cursor is None
    with pytest.raises(emqx_client.BadRequestError) as bad:
        ft.file_transfer.files.list(following="%%%")
    assert bad.value.message == "Invalid cursor"


def test_one_transfers_files_and_a_download(ft: Any, ee_stub: LiveStub) -> None:
    files = ft.file_transfer.files.get(clientid="dev-1", fileid="f-2").files
    assert [f.name for f in files] == ["b.bin"]
    with pytest.raises(emqx_client.NotFoundError) as missing:
        ft.file_transfer.files.get(clientid="dev-3", fileid="f-1")
    assert (missing.value.code, missing.value.message) == (
        "FILES_NOT_FOUND",
        "Files requested for this transfer could not be found",
    )
    node = ee_stub.backend.node
    assert ft.file_transfer.files.download(node=node, fileref="dev-1/f-1/a.txt") == (b"hello")
    for node_, fileref, message in (
        (node, "dev-1/f-1/none.txt", "Not found"),
        (node, "../etc/passwd", "Invalid query parameter: ../etc/passwd"),
        (node, "/abs/path", "Invalid query parameter: /abs/path"),
        ("nobody@nowhere", "dev-1/f-1/a.txt", "Invalid query parameter: nobody@nowhere"),
    ):
        with pytest.raises(emqx_client.NotFoundError) as refused:
            ft.file_transfer.files.download(node=node_, fileref=fileref)
        assert refused.value.message == message


def test_a_disabled_file_transfer_serves_no_files(ee_client: Any, ee_stub: LiveStub) -> None:
    node = ee_stub.backend.node
    calls = (
        lambda: ee_client.file_transfer.files.list(),
        lambda: ee_client.file_transfer.files.get(clientid="c", fileid="f"),
        lambda: ee_client.file_transfer.files.download(node=node, fileref="c/f/x"),
    )
    for call in calls:
        with pytest.raises(emqx_client.ServiceUnavailableError) as off:
            call()
        assert (off.value.code, off.value.message) == ("SERVICE_UNAVAILABLE", "Service unavailable")
