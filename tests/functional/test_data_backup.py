"""Data backup through the generated client against the live stub: exporting real
.tar.gz backups, listing, downloading, uploading, deleting and importing them."""

from __future__ import annotations

import io
import tarfile
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def archive(base: str, files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for path, text in files.items():
            data = text.encode()
            entry = tarfile.TarInfo(f"{base}/{path}" if not path.startswith("/") else path[1:])
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return out.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {
            m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def test_export_list_download_delete(client: Any, stub: LiveStub) -> None:
    made = client.data_backup.export_data(body={})
    assert made.filename.startswith("emqx-export-") and made.filename.endswith(".tar.gz")
    assert made.node == stub.backend.node and made.size > 0
    assert int(made.created_at.timestamp()) == made.created_at_sec

    assert made.filename in [f.filename for f in client.data_backup.data_files.list()]
    content = client.data_backup.data_files.download(filename=made.filename)
    assert isinstance(content, bytes) and len(content) == made.size
    base = made.filename.removesuffix(".tar.gz")
    inside = members(content)
    assert b'version = "5.8.9"' in inside[f"{base}/META.hocon"]
    assert f"{base}/mnesia/emqx_admin" in inside

    with pytest.raises(emqx_client.BadRequestError) as unknown_node:
        client.data_backup.data_files.download(filename=made.filename, node="nobody@nowhere")
    assert unknown_node.value.message == "Unknown node: nobody@nowhere"
    with pytest.raises(emqx_client.BadRequestError) as bad_name:
        client.data_backup.data_files.download(filename="backup.zip")
    assert "must have .tar.gz extension" in str(bad_name.value.message)

    client.data_backup.data_files.delete(filename=made.filename, node=stub.backend.node)
    with pytest.raises(emqx_client.NotFoundError) as gone:
        client.data_backup.data_files.download(filename=made.filename)
    assert gone.value.message == "backup file not found"
    with pytest.raises(emqx_client.NotFoundError):
        client.data_backup.data_files.delete(filename=made.filename)


def test_export_refuses_unknown_names(client: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as sets:
        client.data_backup.export_data(body={"table_sets": ["foo", "bar", "foo", "banned"]})
    assert sets.value.message == "Invalid table sets: bar, foo"
    with pytest.raises(emqx_client.BadRequestError) as keys:
        client.data_backup.export_data(body={"root_keys": ["retainer", "nope"]})
    assert keys.value.message == "Invalid root keys: nope"
    scoped = client.data_backup.export_data(
        body={"table_sets": ["banned"], "root_keys": ["retainer"]}
    )
    names = members(client.data_backup.data_files.download(filename=scoped.filename))
    assert not any(name.endswith("emqx_admin") for name in names)
    client.data_backup.data_files.delete(filename=scoped.filename)


def test_pages_of_backup_files(client: Any) -> None:
    made = [client.data_backup.export_data(body={"table_sets": []}) for _ in range(3)]
    first = client.data_backup.data_files.list(page=1, limit=2)
    assert len(first.items) == 2 and first.has_next_page()
    everything = [f.filename for f in client.data_backup.data_files.list(limit=2)]
    assert {m.filename for m in made} <= set(everything)
    assert len(everything) == len(set(everything))
    stamps = [
        (f.created_at_sec, f.filename) for f in client.data_backup.data_files.list(limit=100).items
    ]
    assert stamps == sorted(stamps, reverse=True)
    with pytest.raises(emqx_client.BadRequestError) as bad_pager:
        client.data_backup.data_files.list(limit=0)
    assert bad_pager.value.code == models.ErrorCode.BAD_REQUEST
    for file in made:
        client.data_backup.data_files.delete(filename=file.filename)


def test_upload_checks_the_archive(client: Any) -> None:
    meta = 'edition = ce\nversion = "5.8.2"\n'
    good = archive("my-backup", {"META.hocon": meta, "cluster.hocon": ""})
    client.data_backup.data_files.upload(filename=("my-backup.tar.gz", good))
    listed = {f.filename: f for f in client.data_backup.data_files.list(limit=100).items}
    assert listed["my-backup.tar.gz"].size == len(good)
    with pytest.raises(emqx_client.BadRequestError) as twice:
        client.data_backup.data_files.upload(filename=("my-backup.tar.gz", good))
    assert twice.value.message == 'Backup file "my-backup.tar.gz" already exists'

    refused = {
        "plain.zip": (good, "must have .tar.gz extension"),
        "stray.tar.gz": (archive("stray", {"/elsewhere/x": "x"}), "under <backup name>"),
        "nometa.tar.gz": (archive("nometa", {"cluster.hocon": ""}), "missing META.hocon"),
        "ee.tar.gz": (
            archive("ee", {"META.hocon": 'edition = ee\nversion = "5.8.9"\n'}),
            "Enterprise",
        ),
        "future.tar.gz": (
            archive("future", {"META.hocon": 'edition = ce\nversion = "5.9.0"\n'}),
            "is newer than EMQX version",
        ),
        "junk.tar.gz": (b"junk", ""),
    }
    for name, (data, text) in refused.items():
        with pytest.raises(emqx_client.BadRequestError) as info:
            client.data_backup.data_files.upload(filename=(name, data))
        assert info.value.code == models.ErrorCode.BAD_REQUEST
        assert text in str(info.value.message), name
    with pytest.raises(emqx_client.BadRequestError) as missing:
        client.data_backup.data_files.upload()
    assert missing.value.message == "Missing required parameter: filename"

    client.data_backup.import_data(body={"filename": "my-backup.tar.gz"})
    client.data_backup.data_files.delete(filename="my-backup.tar.gz")


def test_import_restores_tables(client: Any, stub: LiveStub) -> None:
    client.banned.create(body={"as": "username", "who": "backup-victim", "reason": "x"})
    stub.backend.add_dashboard_user("backup_user", "b4ckup-pass", "restored later")
    made = client.data_backup.export_data(body={"table_sets": ["banned", "dashboard_users"]})
    client.banned.delete(as_="username", who="backup-victim")
    assert "backup-victim" not in [b.who for b in client.banned.list()]

    client.data_backup.import_data(body={"filename": made.filename, "node": stub.backend.node})
    restored = [b for b in client.banned.list() if b.who == "backup-victim"]
    assert [(b.as_, b.reason) for b in restored] == [("username", "x")]
    login = client.dashboard.login(body={"username": "backup_user", "password": "b4ckup-pass"})
    assert login.token

    with pytest.raises(emqx_client.BadRequestError) as missing:
        client.data_backup.import_data(body={"filename": "emqx-export-nothing.tar.gz"})
    assert missing.value.message == "backup file not found"
    with pytest.raises(emqx_client.BadRequestError) as node:
        client.data_backup.import_data(body={"filename": made.filename, "node": "x@y"})
    assert node.value.message == "Unknown node: x@y"
    client.banned.delete(as_="username", who="backup-victim")
    client.data_backup.data_files.delete(filename=made.filename)
