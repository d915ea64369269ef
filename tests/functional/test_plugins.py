"""Plugins through the generated client against the live stub: uploading real .tar.gz
packages, the install permission, start/stop, boot order, configuration and removal."""

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


def package(
    name: str,
    vsn: str,
    *,
    readme: str | None = None,
    config: dict[str, Any] | None = None,
    info: dict[str, Any] | None = None,
) -> bytes:
    """A plugin package as the plugin template's build makes it (release file, README,
    the plugin's application with its default configuration)."""
    name_vsn = f"{name}-{vsn}"
    release = {
        "name": name,
        "rel_vsn": vsn,
        "rel_apps": [f"{name}-{vsn}"],
        "description": f"The {name} test plugin.",
        "author": ["Functional Tests"],
        "builder": {"name": "CI", "contact": "ci@example.com", "website": "example.com"},
        "compatibility": {"emqx": "~>5.0"},
        "with_config_schema": config is not None,
        **(info or {}),
    }
    files = {f"{name_vsn}/release.json": json.dumps(release).encode()}
    if readme is not None:
        files[f"{name_vsn}/README.md"] = readme.encode()
    if config is not None:
        files[f"{name_vsn}/{name_vsn}/priv/config.hocon"] = json.dumps(config).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for path, data in files.items():
            entry = tarfile.TarInfo(path)
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
    return out.getvalue()


def install(client: Any, stub: LiveStub, name: str, vsn: str, **kwargs: Any) -> bytes:
    data = package(name, vsn, **kwargs)
    stub.backend.allow_plugin_installation(f"{name}-{vsn}")
    client.plugins.install(plugin=(f"{name}-{vsn}.tar.gz", data, "application/gzip"))
    return data


def test_installing_needs_permission_and_a_valid_package(client: Any, stub: LiveStub) -> None:
    data = package("ft_gate", "1.0.0", readme="# Gate\n")
    upload = ("ft_gate-1.0.0.tar.gz", data, "application/gzip")
    with pytest.raises(emqx_client.PermissionDeniedError) as denied:
        client.plugins.install(plugin=upload)
    assert denied.value.code == models.ErrorCode.FORBIDDEN
    assert "emqx ctl plugins allow ft_gate-1.0.0" in str(denied.value.message)

    stub.backend.allow_plugin_installation("ft_gate-1.0.0")
    client.plugins.install(plugin=upload)
    with pytest.raises(emqx_client.BadRequestError) as again:
        client.plugins.install(plugin=upload)
    assert again.value.code == models.ErrorCode.ALREADY_INSTALLED
    newer = ("ft_gate-2.0.0.tar.gz", package("ft_gate", "2.0.0"), "application/gzip")
    with pytest.raises(emqx_client.BadRequestError) as other:
        client.plugins.install(plugin=newer)
    assert other.value.code == models.ErrorCode.ALREADY_INSTALLED
    assert "plugins/ft_gate-1.0.0.tar.gz" in str(other.value.message)

    with pytest.raises(emqx_client.BadRequestError) as no_file:
        client.plugins.install()
    assert no_file.value.code == models.ErrorCode.BAD_FORM_DATA
    with pytest.raises(emqx_client.BadRequestError) as no_vsn:
        client.plugins.install(plugin=("ft_noversion.tar.gz", data))
    assert no_vsn.value.code == models.ErrorCode.BAD_PLUGIN_INFO
    assert no_vsn.value.message == "bad_name_vsn:ft_noversion.tar.gz"

    stub.backend.allow_plugin_installation("ft_junk-1.0.0")
    with pytest.raises(emqx_client.BadRequestError) as junk:
        client.plugins.install(plugin=("ft_junk-1.0.0.tar.gz", b"not a tarball"))
    assert junk.value.message == "bad_plugin_package: ft_junk-1.0.0.tar.gz"
    stub.backend.allow_plugin_installation("ft_renamed-1.0.0")
    with pytest.raises(emqx_client.BadRequestError) as renamed:
        client.plugins.install(plugin=("ft_renamed-1.0.0.tar.gz", data))
    assert renamed.value.message == "bad_info_file: ft_renamed-1.0.0.tar.gz"

    # Uninstalling withdraws the permission: the same upload is refused again.
    client.plugins.delete(name="ft_gate-1.0.0")
    with pytest.raises(emqx_client.PermissionDeniedError):
        client.plugins.install(plugin=upload)


def test_plugin_lifecycle(client: Any, stub: LiveStub) -> None:
    data = install(client, stub, "ft_life", "0.3.1", readme="# Life\nLogs events.\n")
    listed = {p.name: p for p in client.plugins.list()}
    plugin = listed["ft_life"]
    assert plugin.rel_vsn == "0.3.1" and plugin.rel_apps == ["ft_life-0.3.1"]
    assert plugin.md5sum == hashlib.md5(data).hexdigest()
    assert plugin.readme is None  # only the single-plugin read carries it
    assert plugin.builder is not None and plugin.builder.contact == "ci@example.com"
    assert [(s.node, s.status) for s in plugin.running_status] == [(stub.backend.node, "stopped")]

    got = client.plugins.get(name="ft_life-0.3.1")
    assert got.readme == "# Life\nLogs events.\n" and got.author == ["Functional Tests"]

    client.plugins.update_state(name="ft_life-0.3.1", action="start")
    running = client.plugins.get(name="ft_life-0.3.1").running_status
    assert [s.status for s in running] == ["running"]
    client.plugins.update_state(name="ft_life-0.3.1", action=models.PluginAction.STOP)
    assert client.plugins.get(name="ft_life-0.3.1").running_status[0].status == "stopped"

    # Without a configuration schema the plugin has no configuration until one is set.
    with pytest.raises(emqx_client.BadRequestError) as none_yet:
        client.plugins.get_config(name="ft_life-0.3.1")
    assert none_yet.value.code == models.ErrorCode.BAD_CONFIG
    client.plugins.update_config(
        name="ft_life-0.3.1", body={"level": "debug", "targets": [{"port": 9000}]}
    )
    config = client.plugins.get_config(name="ft_life-0.3.1")
    assert config.model_dump() == {"level": "debug", "targets": [{"port": 9000}]}
    schema = client.plugins.get_schema(name="ft_life-0.3.1")
    assert schema.avsc is None and schema.i18n is None

    client.plugins.delete(name="ft_life-0.3.1")
    assert "ft_life" not in {p.name for p in client.plugins.list()}
    with pytest.raises(emqx_client.NotFoundError) as gone:
        client.plugins.get(name="ft_life-0.3.1")
    assert gone.value.message == "ft_life-0.3.1"
    with pytest.raises(emqx_client.NotFoundError) as twice:
        client.plugins.delete(name="ft_life-0.3.1")
    assert twice.value.message == "plugins/ft_life-0.3.1/release.json does not exist"
    for call in (client.plugins.get_config, client.plugins.get_schema):
        with pytest.raises(emqx_client.NotFoundError) as missing:
            call(name="ft_life-0.3.1")
        assert missing.value.message == "Plugin Not Found"
    with pytest.raises(emqx_client.NotFoundError):
        client.plugins.update_config(name="ft_life-0.3.1", body={"level": "info"})
    # Starting a plugin that is not installed fails silently, as on the broker.
    client.plugins.update_state(name="ft_life-0.3.1", action="start")


def test_default_configuration_and_hidden_plugins(client: Any, stub: LiveStub) -> None:
    install(client, stub, "ft_conf", "1.2.0", config={"interval": "5s", "enable": True})
    config = client.plugins.get_config(name="ft_conf-1.2.0")
    assert config.model_dump() == {"interval": "5s", "enable": True}
    install(client, stub, "ft_hidden", "1.0.0", info={"hidden": True})
    assert "ft_hidden" not in {p.name for p in client.plugins.list()}
    assert client.plugins.get(name="ft_hidden-1.0.0").hidden is True
    for name in ("ft_conf-1.2.0", "ft_hidden-1.0.0"):
        client.plugins.delete(name=name)


def test_boot_order(client: Any, stub: LiveStub) -> None:
    for name in ("ft_order_a", "ft_order_b", "ft_order_c"):
        install(client, stub, name, "1.0.0")

    def order() -> list[str]:
        return [p.name for p in client.plugins.list() if p.name.startswith("ft_order")]

    assert order() == ["ft_order_a", "ft_order_b", "ft_order_c"]
    client.plugins.move(name="ft_order_a-1.0.0", body={"position": "rear"})
    assert order() == ["ft_order_b", "ft_order_c", "ft_order_a"]
    client.plugins.move(name="ft_order_c-1.0.0", body={"position": "front"})
    assert order()[0] == "ft_order_c"
    client.plugins.move(name="ft_order_a-1.0.0", body={"position": "before:ft_order_b-1.0.0"})
    client.plugins.move(name="ft_order_c-1.0.0", body={"position": "after:ft_order_b-1.0.0"})
    assert order() == ["ft_order_a", "ft_order_b", "ft_order_c"]

    bad = {
        "before:ft_order_a-1.0.0": "Invalid parameter. Cannot be placed before itself",
        "after:": "Invalid parameter. Cannot be placed after an empty target",
        "middle": '#{<<"position">> => <<"middle">>}',
    }
    for position, message in bad.items():
        with pytest.raises(emqx_client.BadRequestError) as info:
            client.plugins.move(name="ft_order_a-1.0.0", body={"position": position})
        assert info.value.code == models.ErrorCode.BAD_POSITION and info.value.message == message
    with pytest.raises(emqx_client.BadRequestError) as no_anchor:
        client.plugins.move(name="ft_order_a-1.0.0", body={"position": "after:nobody-1.0"})
    assert no_anchor.value.code == models.ErrorCode.MOVE_FAILED
    assert "position_anchor_plugin_not_configured" in str(no_anchor.value.message)
    with pytest.raises(emqx_client.BadRequestError) as not_installed:
        client.plugins.move(name="nobody-1.0", body={"position": "front"})
    assert not_installed.value.code == models.ErrorCode.MOVE_FAILED

    with pytest.raises(emqx_client.BadRequestError) as bad_name:
        client.plugins.get(name="1-starts-with-a-digit")
    assert bad_name.value.code == models.ErrorCode.BAD_REQUEST
    for name in ("ft_order_a", "ft_order_b", "ft_order_c"):
        client.plugins.delete(name=f"{name}-1.0.0")
