"""Plugins: uploading plugin packages (real .tar.gz files, read in memory), their boot
order, starting and stopping them, and their configuration."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from typing import Any

from pydantic import ValidationError

from ... import errors, models
from ..._responses import UploadedFile
from ..state import State
from .state import BootEntry, InstalledPlugin, PluginsState

INSTALL_DIR = "plugins"
_NAME_RE = re.compile(r"^[A-Za-z]+[A-Za-z0-9_.-]*$")
_MANDATORY = ("name", "rel_vsn", "rel_apps", "description")


class PackageError(Exception):
    """Installing failed; the argument is the reason EMQX puts before the file name."""


def allow_installation(state: State, name_vsn: str, allowed: bool = True) -> None:
    """What `emqx ctl plugins allow|disallow <name-vsn>` does on the node."""
    with state.lock:
        if allowed:
            state.plugins.allowed.add(name_vsn)
        else:
            state.plugins.allowed.discard(name_vsn)


def _split_name_vsn(name_vsn: str) -> tuple[str, str] | None:
    app, sep, vsn = name_vsn.partition("-")
    return (app, vsn) if sep else None


def _check_name(name: str) -> None:
    size = len(name.encode("utf-8"))
    if not 0 < size <= 256:
        raise errors.bad_request("name: Name Length must =< 256", status=400)
    if not _NAME_RE.match(name):
        raise errors.bad_request(f"name: Name should be {_NAME_RE.pattern}", status=400)


def _member_text(archive: tarfile.TarFile, path: str) -> str | None:
    try:
        member = archive.getmember(path)
    except KeyError:
        return None
    handle = archive.extractfile(member)
    return None if handle is None else handle.read().decode("utf-8", errors="replace")


def _app_dir(name: str, apps: list[str]) -> str | None:
    matching = [app for app in apps if app.startswith(name)]
    return matching[0] if len(matching) == 1 else None


def read_package(name_vsn: str, content: bytes) -> InstalledPlugin:
    """Extract a package in memory and check its release file as the broker does."""
    try:
        archive = tarfile.open(fileobj=io.BytesIO(content), mode="r:gz")
    except (tarfile.TarError, OSError, EOFError):
        raise PackageError("bad_plugin_package") from None
    with archive:
        text = _member_text(archive, f"{name_vsn}/release.json")
        if text is None:
            raise PackageError("bad_info_file")
        try:
            info = json.loads(text)
        except ValueError:
            raise PackageError("bad_info_file") from None
        if not isinstance(info, dict) or any(key not in info for key in _MANDATORY):
            raise PackageError("bad_info_file_content")
        if f"{info['name']}-{info['rel_vsn']}" != name_vsn:
            raise PackageError("name_vsn_mismatch")
        apps = info["rel_apps"]
        if (
            not isinstance(apps, list)
            or not apps
            or not all(isinstance(a, str) and _split_name_vsn(a) for a in apps)
        ):
            raise PackageError("bad_rel_apps")
        readme = _member_text(archive, f"{name_vsn}/README.md") or ""
        config: dict[str, Any] | None = None
        if info.get("with_config_schema") is True:
            app_dir = _app_dir(str(info["name"]), apps)
            priv = f"{name_vsn}/{app_dir}/priv" if app_dir else f"{name_vsn}/priv"
            default = _member_text(archive, f"{priv}/config.hocon")
            try:
                parsed = json.loads(default) if default is not None else None
            except ValueError:
                parsed = None  # HOCON beyond JSON: the stub cannot read it
            config = parsed if isinstance(parsed, dict) else None
    plugin = InstalledPlugin(
        name_vsn=name_vsn,
        info=info,
        readme=readme,
        md5sum=hashlib.md5(content).hexdigest(),
        config=config,
    )
    try:
        _format(plugin, "emqx@check", with_readme=True)
    except ValidationError:
        raise PackageError("bad_info_file_content") from None
    return plugin


def _format(plugin: InstalledPlugin, node: str, *, with_readme: bool) -> models.Plugin:
    data = dict(plugin.info)
    data["md5sum"] = plugin.md5sum
    if with_readme:
        data["readme"] = plugin.readme
    data["running_status"] = [{"node": node, "status": "running" if plugin.running else "stopped"}]
    return models.Plugin.model_validate(data)


def _compact(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class PluginsApi:
    """PluginsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _plugins(self) -> PluginsState:
        return self._state.plugins

    def _installed(self, name: str) -> InstalledPlugin:
        plugin = self._plugins.installed.get(name)
        if plugin is None:
            raise errors.not_found("Plugin Not Found", status=404)
        return plugin

    def _entry(self, name_vsn: str) -> BootEntry | None:
        return next((e for e in self._plugins.boot if e.name_vsn == name_vsn), None)

    def _set_enable(self, name_vsn: str, enable: bool) -> None:
        entry = self._entry(name_vsn)
        if entry is None:
            self._plugins.boot.append(BootEntry(name_vsn, enable))
        else:
            entry.enable = enable

    async def list_plugins(self) -> list[models.Plugin]:
        with self._state.lock:
            installed = self._plugins.installed
            order = [e.name_vsn for e in self._plugins.boot if e.name_vsn in installed]
            order += sorted(nv for nv in installed if nv not in order)
            plugins = [installed[nv] for nv in order]
            return [
                _format(p, self._state.node, with_readme=False)
                for p in plugins
                if p.info.get("hidden") is not True
            ]

    async def get_plugin(self, *, name: str) -> models.Plugin:
        _check_name(name)
        with self._state.lock:
            plugin = self._plugins.installed.get(name)
            if plugin is None:
                raise errors.not_found(name, status=404)
            return _format(plugin, self._state.node, with_readme=True)

    async def install_plugin(self, *, plugin: UploadedFile | None = None) -> None:
        if plugin is None:
            message = "form-data should be `plugin=@packagename-vsn.tar.gz;type=application/x-gzip`"
            raise errors.bad_form_data(message, status=400)
        filename = plugin.filename
        name_vsn = filename.rstrip(".targz")  # the broker trims any of these characters
        with self._state.lock:
            if name_vsn in self._plugins.installed:
                message = f'<<"{filename}">> is already installed'
                raise errors.already_installed(message, status=400)
            parsed = _split_name_vsn(filename)
            if parsed is None:
                raise errors.bad_plugin_info(f"bad_name_vsn:{filename}", status=400)
            app = parsed[0]
            others = sorted(nv for nv in self._plugins.installed if nv.startswith(f"{app}-"))
            if others:
                paths = ",".join(f'"{INSTALL_DIR}/{nv}.tar.gz"' for nv in others)
                raise errors.already_installed(f"[{paths}] already installed", status=400)
            if name_vsn not in self._plugins.allowed:
                message = (
                    "Package is not allowed installation; first allow it to be installed by "
                    f"running: `emqx ctl plugins allow {name_vsn}`"
                )
                raise errors.forbidden(message, status=403)
            try:
                installed = read_package(name_vsn, plugin.content)
            except PackageError as exc:
                raise errors.bad_plugin_info(f"{exc.args[0]}: {filename}", status=400) from None
            self._plugins.installed[name_vsn] = installed
            if self._entry(name_vsn) is None:
                self._plugins.boot.append(BootEntry(name_vsn, False))

    async def delete_plugin(self, *, name: str) -> None:
        _check_name(name)
        with self._state.lock:
            self._plugins.allowed.discard(name)
            if name not in self._plugins.installed:
                message = f"{INSTALL_DIR}/{name}/release.json does not exist"
                raise errors.not_found(message, status=404)
            del self._plugins.installed[name]
            self._plugins.boot = [e for e in self._plugins.boot if e.name_vsn != name]

    async def update_plugin_state(self, *, action: models.PluginAction, name: str) -> None:
        _check_name(name)
        with self._state.lock:
            plugin = self._plugins.installed.get(name)
            if plugin is None:
                return  # the broker ignores the failed start/stop and answers 204
            start = action == models.PluginAction.START
            plugin.running = start
            self._set_enable(name, start)

    async def get_plugin_config(self, *, name: str) -> models.PluginConfig:
        _check_name(name)
        with self._state.lock:
            plugin = self._installed(name)
            if plugin.config is None:
                raise errors.bad_config("Plugin Config Not Found", status=400)
            return models.PluginConfig.model_validate(plugin.config)

    async def update_plugin_config(self, *, name: str, body: models.PluginConfig) -> None:
        _check_name(name)
        with self._state.lock:
            self._installed(name).config = body.model_dump(mode="json", by_alias=True)

    async def get_plugin_schema(self, *, name: str) -> models.PluginSchemaInfo:
        _check_name(name)
        with self._state.lock:
            self._installed(name)
        return models.PluginSchemaInfo(avsc=None, i18n=None)  # what the open-source build says

    async def move_plugin(self, *, name: str, body: models.PluginPosition) -> None:
        _check_name(name)
        where, anchor = _parse_position(body.position, name)
        with self._state.lock:
            if name not in self._plugins.installed:
                reason = {
                    "msg": "bad_info_file",
                    "reason": f'{{enoent,"{INSTALL_DIR}/{name}/release.json"}}',
                }
                raise errors.move_failed(_compact(reason), status=400)
            rest = [e for e in self._plugins.boot if e.name_vsn != name]
            item = BootEntry(name, True)
            if where == "front":
                rest.insert(0, item)
            elif where == "rear":
                rest.append(item)
            else:
                at = next((i for i, e in enumerate(rest) if e.name_vsn == anchor), None)
                if at is None:
                    reason = {
                        "hint": "maybe_install_and_configure",
                        "msg": "position_anchor_plugin_not_configured",
                        "name_vsn": str(anchor),
                    }
                    raise errors.move_failed(_compact(reason), status=400)
                rest.insert(at if where == "before" else at + 1, item)
            self._plugins.boot = rest


def _parse_position(position: str | None, name: str) -> tuple[str, str | None]:
    if position in ("front", "rear"):
        return position, None
    for prefix, where in (("before:", "before"), ("after:", "after")):
        if position is not None and position.startswith(prefix):
            target = position[len(prefix) :]
            if target == name:
                message = f"Invalid parameter. Cannot be placed {where} itself"
            elif not target:
                message = f"Invalid parameter. Cannot be placed {where} an empty target"
            else:
                return where, target
            raise errors.bad_position(message, status=400)
    shown = "#{}" if position is None else f'#{{<<"position">> => <<"{position}">>}}'
    raise errors.bad_position(shown, status=400)
